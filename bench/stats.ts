/** Small helpers for benchmark figures. */
import { readFileSync, writeFileSync } from 'node:fs';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(values: number[]): { p50: number; p99: number; max: number; n: number } {
  // A loop, not Math.max(...values): pooled rounds at 10,000 receivers overflow the argument stack.
  const max = values.reduce((m, v) => (v > m ? v : m), -Infinity);
  return { p50: percentile(values, 50), p99: percentile(values, 99), max, n: values.length };
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

/** A field of a process's /proc status in MB (VmRSS now, VmHWM its peak); undefined once the process is gone. */
export function procMemoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** A process's peak resident memory (VmHWM), in MB. */
export const peakRssMb = (pid: number) => procMemoryMb(pid, 'VmHWM');

/** Starts a process's VmHWM again from its RSS now (Linux clear_refs 5), so a phase gets its own peak; false when refused. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
