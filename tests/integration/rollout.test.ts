/**
 * Agent updates rolled out in stages to real agents: each receiver checks the package against
 * the signed hash, installs it and restarts (a service manager's part is played by the test);
 * one receiver does not come back healthy, so the rollout stops there and that receiver is
 * rolled back when it returns; a tampered package is refused and installs nowhere.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { AGENT_VERSION, ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { uploadWhileSending } from '../helpers/uploads.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
const running = new Map<string, ReceiverAgent>();
const configs = new Map<string, AgentConfig>();
/** Receivers that do not come back after an update (their new version fails to start). */
const broken = new Set(['rx-c']);
/** Set when the tests end: the service manager then starts nothing again. */
let closing = false;

async function boot(id: string): Promise<void> {
  const config = configs.get(id)!;
  const stateDir = join(tc.dir, 'agents', id);
  const agent = new ReceiverAgent({
    config: { ...config, state_dir: stateDir },
    store: new FileAgentStore(stateDir),
    player: new SilentPlayer(0.01),
    logger: pino({ level: 'silent' }),
  });
  // The service manager: when the agent exits to restart, start it again (unless its update broke it).
  agent.on('restart', async () => {
    await agent.stop();
    running.delete(id);
    if (!broken.has(id) && !closing) await boot(id);
  });
  running.set(id, agent);
  await agent.start();
}

const version = async (id: string) => (await tc.api('GET', `/api/receivers/${id}`)).body.agent_version;

async function upload(v: string, bytes: Buffer) {
  const form = new FormData();
  form.append('version', v);
  form.append('file', new Blob([new Uint8Array(bytes)]), `agent-${v}.tgz`);
  const res = await fetch(`${tc.url}/api/agent-updates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tc.token}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; sha256: string };
}

beforeAll(async () => {
  tc = await startTestController();
  for (const [id, hamlet] of [
    ['rx-a', 'thon-1'],
    ['rx-b', 'thon-1'],
    ['rx-c', 'thon-1'],
    ['rx-d', 'thon-2'],
  ]) {
    configs.set(id, await enrolReceiver(tc.url, tc.token, id, hamlet, id));
    await boot(id);
  }
  for (const id of configs.keys()) await waitFor(async () => (await version(id)) === AGENT_VERSION, `${id} online`);
}, 30_000);
afterAll(async () => {
  closing = true;
  for (const a of running.values()) await a.stop();
  await tc?.close();
});

describe('a staged rollout', () => {
  it('updates batch by batch, stops at a receiver that does not come back, and rolls it back when it returns', async () => {
    const update = await upload('0.2.0', randomBytes(50_000));
    const started = await tc.api('POST', `/api/agent-updates/${update.id}/rollouts`, {
      hamlet_ids: ['thon-1'],
      batch_size: 1,
      health_wait_s: 5,
    });
    expect(started.status).toBe(201);
    const rolloutId = started.body.id;
    expect(started.body.receivers.map((r: any) => r.receiver_id)).toEqual(['rx-a', 'rx-b', 'rx-c']);

    const rollout = () => tc.api('GET', `/api/rollouts/${rolloutId}`).then((r) => r.body);
    const stopped = await waitFor(
      async () => {
        await tc.controller.rollouts.tick();
        const r = await rollout();
        return r.status !== 'running' ? r : undefined;
      },
      'the rollout to reach the broken receiver and stop',
      40_000,
      250,
    );
    expect(stopped.status).toBe('stopped');
    expect(stopped.reason).toContain('rx-c');
    const byId = Object.fromEntries(stopped.receivers.map((r: any) => [r.receiver_id, r.status]));
    expect(byId).toEqual({ 'rx-a': 'healthy', 'rx-b': 'healthy', 'rx-c': 'failed' });
    expect(await version('rx-a')).toBe('0.2.0');
    expect(await version('rx-d')).toBe(AGENT_VERSION); // not in the rollout

    // rx-c's watchdog starts it again; it gets the rollback that waited in the outbox.
    broken.delete('rx-c');
    await boot('rx-c');
    await waitFor(
      async () => {
        await tc.controller.rollouts.tick();
        return (await rollout()).receivers.find((r: any) => r.receiver_id === 'rx-c').status === 'rolled_back';
      },
      'rx-c to be rolled back',
      30_000,
      250,
    );
    expect(await version('rx-c')).toBe(AGENT_VERSION);
    const audit = (await tc.api('GET', '/api/audit?limit=200')).body.map((e: any) => e.action);
    expect(audit).toEqual(
      expect.arrayContaining([
        'agent_update.uploaded',
        'rollout.started',
        'receiver.update',
        'receiver.rollback',
        'rollout.stopped',
      ]),
    );
  }, 90_000);

  it('refuses a tampered package: nothing installs, the rollout stops', async () => {
    const update = await upload('0.3.0', randomBytes(20_000));
    const file = join(tc.dir, 'data', 'updates', `${update.id}.pkg`);
    const bytes = readFileSync(file);
    bytes[100] ^= 0xff; // someone swapped the package on the controller's disk
    writeFileSync(file, bytes);
    const started = await tc.api('POST', `/api/agent-updates/${update.id}/rollouts`, {
      hamlet_ids: ['thon-2'],
      health_wait_s: 5,
    });
    const r = await waitFor(
      async () => {
        await tc.controller.rollouts.tick();
        const x = (await tc.api('GET', `/api/rollouts/${started.body.id}`)).body;
        return x.status !== 'running' ? x : undefined;
      },
      'the tampered rollout to stop',
      30_000,
      250,
    );
    expect(r.status).toBe('stopped');
    expect(await version('rx-d')).toBe(AGENT_VERSION);
    const state = JSON.parse(readFileSync(join(tc.dir, 'agents', 'rx-d', 'state.json'), 'utf8'));
    expect(state.installed_version).toBeUndefined();
  }, 60_000);

  it('refuses a package without a version, and one over 200 MB as it passes the limit, so that the uploader reads why', async () => {
    const url = `${tc.url}/api/agent-updates`;
    const before = (await tc.api('GET', '/api/agent-updates')).body.length;
    // The file part before any version: refused before the package is read.
    const noVersion = await uploadWhileSending(url, tc.token, {
      bytes: 40 * 1024 * 1024,
      declareLength: true,
      fileName: 'agent.tgz',
    });
    expect(noVersion.status).toBe(422);
    expect(JSON.parse(noVersion.body).error.code).toBe('update_needs_version');
    expect(noVersion.sentWhenAnswered).toBeLessThan(10 * 1024 * 1024);
    // Chunked, so no length says it in advance: refused at 200 MB, not after the rest.
    const tooLarge = await uploadWhileSending(url, tc.token, {
      bytes: 300 * 1024 * 1024,
      declareLength: false,
      fields: { version: '9.9.9' },
      fileName: 'agent.tgz',
    });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body).error.code).toBe('upload_too_large');
    expect(tooLarge.sentWhenAnswered).toBeLessThan(250 * 1024 * 1024);
    expect((await tc.api('GET', '/api/agent-updates')).body).toHaveLength(before);
    expect(readdirSync(join(tc.dir, 'data', 'updates')).filter((f) => f.endsWith('.upload'))).toEqual([]);
  }, 60_000);

  it('never lets the generic remote-operation route send an update', async () => {
    const res = await tc.api('POST', '/api/receivers/rx-a/ops', {
      op: 'update',
      args: { url: 'http://example.invalid/evil', sha256: 'x', version: '9' },
    });
    expect(res.status).toBe(400);
  });
});
