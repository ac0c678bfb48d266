/**
 * A background pass that runs one at a time (a scheduler tick, webhook or report sending):
 * calls while a pass runs share it, and a failing pass is logged and answered with `fallback`,
 * so a timer never throws into the event loop.
 */
import type { Logger } from '../logger.js';

export function singlePass<T>(pass: () => Promise<T>, log: Logger, what: string, fallback: T): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= pass()
      .catch((err: unknown) => {
        log.error({ err: (err as Error).message }, `${what} failed`);
        return fallback;
      })
      .finally(() => (running = undefined));
    return running;
  };
}
