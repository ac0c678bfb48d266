/**
 * /metrics as Prometheus's own linter reads it: the live scrape of a real controller, after a
 * broadcast has been played (so the ack counters and the start-time histogram carry samples),
 * piped to the real `promtool check metrics` (Debian package prometheus; .ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let agent: ReceiverAgent;

beforeAll(async () => {
  tc = await startTestController();
  agent = await startTestAgent(tc, 'rx-m1', 'thon-1');
});
afterAll(async () => {
  await agent?.stop();
  await tc?.close();
});

function promtoolCheck(exposition: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.error)
    throw new Error(
      `promtool is not installed: apt-get install prometheus (the CI script does this): ${run.error.message}`,
    );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('/metrics and promtool', () => {
  it('passes `promtool check metrics` with no problem printed', async () => {
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-m1')).body.status === 'online', 'online');
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['rx-m1'] },
      priority: 'priority',
    });
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-m1')).outcome === 'finished', 'play');

    const res = await fetch(`${tc.url}/metrics`, { headers: { authorization: `Bearer ${tc.token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    // The scrape carries what the linter should judge: samples of counters and the histogram.
    expect(text).toMatch(/^# TYPE tt_acks_total counter$/m);
    expect(text).toMatch(/^tt_acks_total\{result="stored"\} [1-9]\d*$/m);
    expect(text).toMatch(/^tt_broadcast_start_seconds_count\{priority="priority"\} 1$/m);
    // And the process's own metrics, under the standard names the linter judges too.
    expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
    expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);

    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('is the check that refuses a gauge named like a counter', () => {
    // The same linter on a known-bad line: proves the check above can fail.
    const bad = promtoolCheck('# HELP tt_acks_total Acks\n# TYPE tt_acks_total gauge\ntt_acks_total 1\n');
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('non-counter metrics should not have "_total" suffix');
  });
});
