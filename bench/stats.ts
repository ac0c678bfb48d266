/** Small helpers for benchmark figures. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(values: number[]): { p50: number; p99: number; max: number; n: number } {
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values), n: values.length };
}

/** When the last receiver held the command; NaN when not every receiver did. */
export const lastHeld = (s: ReturnType<typeof summary>, receivers: number) => (s.n >= receivers ? s.max : NaN);

export const nowMs = () => performance.timeOrigin + performance.now();

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

export function row(label: string, floor: number | undefined, product: number, unit = 'ms'): string {
  const ratio = floor === undefined ? '' : `  ratio ${(product / floor).toFixed(2)}x`;
  const f = floor === undefined ? ''.padEnd(14) : `${floor.toFixed(1)} ${unit}`.padEnd(14);
  return `  ${label.padEnd(44)} floor ${f} product ${`${product.toFixed(1)} ${unit}`.padEnd(12)}${ratio}`;
}
