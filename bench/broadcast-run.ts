/**
 * One broadcast run (one fleet size on one broker) in a process of its own, forked by
 * bench/run-all.ts. A commune's controller serves one fleet in its own process: run one after the
 * other in the bench's process, the 10,000-receiver run came after the smaller ones had grown
 * its heap (held under the service unit's --max-old-space-size), and read slower than the same run
 * alone (fan-out p50 0.90-1.0 s in the table's runs of 2026-12-05, 0.55 s alone).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { fleetShape, type BenchBroker } from './bench-fleet.js';
import { runBroadcastBench, type BroadcastBenchResult } from './broadcast-bench.js';

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
  const [code] = await once(child, 'exit');
  if (answer?.result) return answer.result;
  throw new Error(answer?.error ?? `the broadcast run at ${receivers} receivers on ${broker} exited with ${code}`);
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
