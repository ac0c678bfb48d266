/**
 * The controller's running parts, in ONE list: started in list order, stopped in reverse, by
 * one loop each (the model: zigbee2mqtt's extensions). A part that only needs one half leaves
 * the other out; where a component must start early and stop late (or the other way round),
 * its two halves are two parts at the two places in the list.
 */
export interface Part {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** A part from whichever halves it has. */
export function part(
  name: string,
  halves: { start?: () => void | Promise<void>; stop?: () => void | Promise<void> },
): Part {
  return { name, start: halves.start ?? (() => {}), stop: halves.stop ?? (() => {}) };
}

export async function startParts(parts: readonly Part[]): Promise<void> {
  for (const p of parts) await p.start();
}

export async function stopParts(parts: readonly Part[]): Promise<void> {
  for (const p of [...parts].reverse()) await p.stop();
}
