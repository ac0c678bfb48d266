/**
 * The simulated fleet in a process of its own (bench/fleet-worker.ts: its own event loop and file
 * descriptors), and the one way the benchmarks talk to it and send broadcasts as staff do.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nowMs } from './stats.js';

export interface FleetProcess {
  process: ChildProcess;
  /** One request to the fleet process and its answer (rejects with the worker's error). */
  ask(op: string, extra?: object): Promise<any>;
}

export function forkFleet(): FleetProcess {
  const child = fork(fileURLToPath(new URL('./fleet-worker.ts', import.meta.url)), {
    // TT_BENCH_FLEET_PROFILE=<dir>: a CPU profile of each fleet process, to see where its time goes.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.TT_BENCH_FLEET_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TT_BENCH_FLEET_PROFILE}`]
        : []),
    ],
    serialization: 'advanced',
  });
  // A fleet process that dies mid-run (a crash, a signal) fails the request instead of leaving
  // the bench waiting forever for its answer (a run once hung so, with nothing said).
  let exited: Error | undefined;
  child.on('exit', (code, signal) => {
    exited = new Error(`the simulated fleet's process exited (code ${code}, signal ${signal})`);
    child.emit('message', { op: '*', error: exited.message });
  });
  const ask = (op: string, extra: object = {}) =>
    new Promise<any>((resolve, reject) => {
      if (exited) return reject(exited);
      const onMsg = (m: any) => {
        if (m.op !== op && m.op !== '*') return;
        child.off('message', onMsg);
        if (m.error) reject(new Error(m.error));
        else resolve(m);
      };
      child.on('message', onMsg);
      // A process dead but not yet reported as exited: the send fails, and so does the request.
      child.send({ op, ...extra }, (err) => {
        if (!err) return;
        child.off('message', onMsg);
        reject(err);
      });
    });
  return { process: child, ask };
}

/**
 * Sends a broadcast as staff do: the whole commune needs a second confirmation. `start` is that
 * click (nowMs clock), `api_ms` how long the confirmation call took to answer.
 */
export async function sendConfirmed(
  baseUrl: string,
  token: string,
  body: object,
): Promise<{ id: string; start: number; api_ms: number }> {
  const authorization = `Bearer ${token}`;
  const first = await fetch(`${baseUrl}/api/broadcasts`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const asked = (await first.json()) as { confirmation?: { confirm_url: string } };
  if (!asked.confirmation) throw new Error(`broadcast refused: ${first.status} ${JSON.stringify(asked)}`);
  const start = nowMs();
  const res = await fetch(`${baseUrl}${asked.confirmation.confirm_url}`, {
    method: 'POST',
    headers: { authorization },
  });
  const api_ms = nowMs() - start;
  return { id: ((await res.json()) as { id: string }).id, start, api_ms };
}

/**
 * How the answers of several fleet processes, each running a share of the receivers, add up to
 * the fleet's: counts and lists are joined, the fleet is connected when its slowest share is, the
 * flood started with the first share and was taken with the last, and the busy share is the mean
 * of the processes' (each its own loop on a shared machine).
 */
const MERGE: Record<string, (values: any[]) => unknown> = {
  count: (v) => v.reduce((a, b) => a + b, 0),
  own_topic_messages: (v) => v.reduce((a, b) => a + b, 0),
  connect_ms: (v) => Math.max(...v),
  build_ms: (v) => Math.max(...v),
  acked_at: (v) => Math.max(...v),
  started_at: (v) => Math.min(...v),
  share: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  arrivals: (v) => v.flat(),
  late: (v) => v.flat(),
};

function mergeAnswers(answers: any[]): any {
  const merged: Record<string, unknown> = { ...answers[0] };
  for (const key of Object.keys(merged)) {
    const values = answers.map((a) => a[key]);
    merged[key] = MERGE[key] ? MERGE[key](values) : values[0];
  }
  return merged;
}

/**
 * The simulated fleet across `count` processes, the receivers dealt out in turn (so each process
 * has every hamlet): a real receiver has a CPU of its own, and one process doing the work of
 * thousands queues each receiver's messages behind all the others' (the emergency behind a
 * thousand receivers checking the broadcast before it). `init` deals the configs out; every other
 * request goes to each process and the answers are merged.
 */
export function forkFleetGroup(count: number): FleetProcess & { processes: ChildProcess[] } {
  const members = Array.from({ length: Math.max(1, count) }, () => forkFleet());
  const ask = async (op: string, extra: any = {}) => {
    const answers = await Promise.all(
      members.map((m, i) =>
        op === 'init'
          ? m.ask(op, { ...extra, configs: extra.configs.filter((_: unknown, j: number) => j % members.length === i) })
          : m.ask(op, extra),
      ),
    );
    return mergeAnswers(answers);
  };
  return { process: members[0].process, processes: members.map((m) => m.process), ask };
}
