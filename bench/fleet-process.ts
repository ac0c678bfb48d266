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
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  });
  const ask = (op: string, extra: object = {}) =>
    new Promise<any>((resolve, reject) => {
      const onMsg = (m: any) => {
        if (m.op !== op) return;
        child.off('message', onMsg);
        if (m.error) reject(new Error(m.error));
        else resolve(m);
      };
      child.on('message', onMsg);
      child.send({ op, ...extra });
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
