/**
 * One broadcast run (one fleet size on one broker) in a process of its own, forked by
 * bench/run-all.ts: a commune's controller serves one fleet in its own process. Run one after the
 * other in the bench's process, the 10,000-receiver run came after the smaller ones in the same
 * heap, and read slower than the same run alone (fan-out p50 0.90-1.0 s in the table's runs of
 * 2026-12-05, 0.55 s alone); in fresh processes it read between the two (README, "Fan-out").
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { fleetShape, type BenchBroker } from './bench-fleet.js';
import { runBroadcastBench, type BroadcastBenchResult } from './broadcast-bench.js';

/** Far beyond a run's length (about 6 minutes at 10,000 receivers). */
const RUN_LIMIT_MS = 40 * 60_000;

interface RunRequest {
  receivers: number;
  broker: BenchBroker;
  fleetProcesses: number;
}

/** Runs one broadcast bench in a fresh process (same node options as this one) and returns its figures. */
export async function runBroadcastBenchApart(receivers: number, broker: BenchBroker): Promise<BroadcastBenchResult> {
  const dir = process.env.TT_BENCH_CONTROLLER_PROFILE;
  const child = fork(fileURLToPath(import.meta.url), ['--child'], {
    serialization: 'advanced',
    // TT_BENCH_CONTROLLER_PROFILE=<dir>: a CPU profile of the controller's process (and its broker thread).
    execArgv: [...process.execArgv, ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [])],
  });
  const request: RunRequest = { receivers, broker, fleetProcesses: fleetShape.processes };
  child.send(request);
  let answer: { result?: BroadcastBenchResult; error?: string } | undefined;
  child.on('message', (m: typeof answer) => (answer = m));
  // A run bounds its own rounds (a few minutes at 10,000); one that hangs must not hang the bench.
  const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  const [code] = await once(child, 'exit');
  clearTimeout(limit);
  if (answer?.result) return answer.result;
  throw new Error(
    answer?.error ?? `the broadcast run at ${receivers} receivers on ${broker} exited with ${code ?? 'a signal'}`,
  );
}

if (process.argv.includes('--child')) {
  process.once('message', async (request: RunRequest) => {
    fleetShape.processes = request.fleetProcesses;
    try {
      const result = await runBroadcastBench(request.receivers, request.broker);
      process.send!({ result }, () => process.exit(0));
    } catch (err) {
      process.send!({ error: (err as Error).stack ?? String(err) }, () => process.exit(1));
    }
  });
}
