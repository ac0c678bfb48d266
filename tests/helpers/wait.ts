/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/**
 * Waits until `read` has not changed for three looks 200 ms apart (and is above `above`): a broker
 * holding acks for good, not one merely slow on a loaded machine.
 */
export async function waitForSteady(read: () => number, what: string, above = -Infinity, timeoutMs = 60_000) {
  let before = NaN;
  let steady = 0;
  await waitFor(
    () => {
      const now = read();
      steady = now > above && now === before ? steady + 1 : 0;
      before = now;
      return steady >= 3;
    },
    what,
    timeoutMs,
    200,
  );
}
