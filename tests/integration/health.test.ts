/** What technicians watch: availability history with uptime, and Prometheus metrics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { SilentPlayer, type PlayRequest } from '../../firmware-bridge/agent/players.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController({}, { overrides: { clock } });
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('availability history', () => {
  it("records each change of state and computes uptime on the controller's clock", async () => {
    const start = clock.now();
    const agent = await startTestAgent(tc, 'rx-h1', 'thon-1');
    agents.push(agent);
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-h1')).body.status === 'online', 'online');
    offset += 3600_000; // an hour online
    const reconnected = new Promise<void>((r) => agent.once('connected', () => r()));
    agent.dropLink(1000);
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-h1')).body.status === 'offline', 'the last will');
    offset += 3600_000; // an hour offline
    await reconnected;
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-h1')).body.status === 'online', 'back online');
    const from = new Date(start.getTime() - 1000).toISOString();
    const history = (await tc.api('GET', `/api/receivers/rx-h1/history?from=${encodeURIComponent(from)}`)).body;
    expect(history.events.map((e: any) => e.state)).toEqual(['online', 'offline', 'online']);
    expect(history.uptime_pct).toBeGreaterThan(45);
    expect(history.uptime_pct).toBeLessThan(55);
  });

  it('places a receiver on the map', async () => {
    const res = await tc.api('PATCH', '/api/receivers/rx-h1', { lat: 20.11, lon: 106.1 });
    expect(res.body).toMatchObject({ lat: 20.11, lon: 106.1 });
    expect((await tc.api('PATCH', '/api/receivers/rx-h1', { lat: 200 })).status).toBe(400);
  });

  it('answers an unknown receiver with 404', async () => {
    expect((await tc.api('GET', '/api/receivers/rx-none/history')).status).toBe(404);
  });
});

describe('metrics', () => {
  it('exposes receivers, acks and broadcast start times in Prometheus format to system:read only', async () => {
    offset = 0; // back to the receiver's time, or it refuses commands "from the future"
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['rx-h1'] },
      priority: 'priority',
    });
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-h1')).outcome === 'finished', 'play');
    const res = await fetch(`${tc.url}/metrics`, { headers: { authorization: `Bearer ${tc.token}` } });
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^tt_receivers\{status="online"\} 1$/m);
    // Registered without credentials (the config's own list): counted apart, never as "unknown".
    expect(text).toMatch(/^tt_receivers_not_enrolled \d+$/m);
    expect(text).toMatch(/^tt_acks_total\{result="stored"\} [1-9]\d*$/m);
    expect(text).toMatch(/^tt_broadcast_start_seconds_count\{priority="priority"\} 1$/m);
    expect(text).toMatch(/^tt_mqtt_connected 1$/m);
    // The process's own metrics under the standard names dashboards look for, not ours.
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).not.toMatch(/^tt_(process|nodejs)_/m);
    const viewer = tc.controller.accounts.createToken(
      { name: 'v', role: 'viewer' },
      { id: 't', permissions: new Set(PERMISSIONS) },
    ).token;
    expect((await fetch(`${tc.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(403);
    expect((await fetch(`${tc.url}/metrics`)).status).toBe(401);
  });
});

describe('health alerts', () => {
  const telemetry = (id: string, fields: object) =>
    Buffer.from(JSON.stringify({ v: 1, receiver_id: id, at: new Date().toISOString(), ...fields }));

  it('opens one alert per rule at its threshold, keeps it open once, and resolves it on recovery', async () => {
    const h = tc.controller.receiverHealth;
    const p = tc.controller.presence;
    p.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 65, amplifier: 'ok', free_storage_bytes: 1e9 }));
    expect(h.list('open').filter((a) => a.receiver_id === 'rx-h1')).toEqual([]);
    p.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 75, amplifier: 'fault' }));
    p.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 80, amplifier: 'fault' }));
    const open = h
      .list('open')
      .filter((a) => a.receiver_id === 'rx-h1')
      .map((a) => a.rule)
      .sort();
    expect(open).toEqual(['amplifier_fault', 'temperature']);
    const alerts = (await tc.api('GET', '/api/health/alerts?state=open')).body as any[];
    const hot = alerts.find((a) => a.rule === 'temperature');
    expect((await tc.api('POST', `/api/health/alerts/${hot.id}/acknowledge`)).body.state).toBe('acknowledged');
    p.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 40, amplifier: 'ok' }));
    expect(h.list('open').filter((a) => a.receiver_id === 'rx-h1')).toEqual([]);
    expect(
      h
        .list('resolved')
        .filter((a) => a.receiver_id === 'rx-h1')
        .map((a) => a.rule)
        .sort(),
    ).toEqual(['amplifier_fault', 'temperature']);
  });

  const status = (id: string, state: 'online' | 'offline', session: number) =>
    Buffer.from(
      JSON.stringify({ v: 1, receiver_id: id, state, session, at: clock.now().toISOString(), agent_version: '0.1.0' }),
    );
  const alertsOf = (id: string, state?: 'open' | 'resolved') =>
    tc.controller.receiverHealth
      .list(state)
      .filter((a) => a.receiver_id === id)
      .map((a) => a.rule);

  it('opens "cannot play" when a receiver reports a failed play (a dead sound card), and resolves it when one plays to the end', async () => {
    class BrokenThenFixed extends SilentPlayer {
      broken = true;
      override play(request: PlayRequest, signal: AbortSignal) {
        if (this.broken) return Promise.reject(new Error('[alsa] cannot open audio device hw:0 (No such file)'));
        return super.play(request, signal);
      }
    }
    const player = new BrokenThenFixed(0.01);
    agents.push(await startTestAgent(tc, 'rx-card', 'thon-2', { player }));
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const send = async () => {
      const b = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { receiver_ids: ['rx-card'] } });
      expect(b.status, JSON.stringify(b.body)).toBe(201);
      return b.body.id as string;
    };
    const failed = await send();
    await waitFor(async () => (await coverageRow(tc, failed, 'rx-card'))?.outcome === 'failed', 'the failed play');
    await waitFor(() => alertsOf('rx-card', 'open').includes('playback_failing'), 'the alert');
    const open = (await tc.api('GET', '/api/health/alerts?state=open')).body.find(
      (a: { receiver_id: string; rule: string }) => a.receiver_id === 'rx-card' && a.rule === 'playback_failing',
    );
    expect(open.detail).toContain('cannot open audio device');
    player.broken = false;
    const played = await send();
    await waitFor(async () => (await coverageRow(tc, played, 'rx-card'))?.outcome === 'finished', 'the play');
    await waitFor(() => alertsOf('rx-card', 'resolved').includes('playback_failing'), 'the alert resolved');
    expect(alertsOf('rx-card', 'open')).not.toContain('playback_failing');
  }, 60_000);

  it('never calls a receiver that never connected "offline": one "never connected" alert a day after its enrolment, resolved when it connects', async () => {
    const h = tc.controller.receiverHealth;
    await tc.api('POST', '/api/receivers', { id: 'rx-h2', hamlet_id: 'thon-2', name: 'never connects' });
    offset += 11 * 60_000;
    h.checkOffline();
    expect(alertsOf('rx-h2')).toEqual([]);
    // Still visible to the technician: the list says it has never been heard from.
    expect((await tc.api('GET', '/api/receivers/rx-h2')).body).toMatchObject({ status: 'unknown', status_at: null });
    offset += 23 * 3_600_000;
    h.checkOffline();
    expect(alertsOf('rx-h2')).toEqual([]);
    offset += 3_600_000; // past health.never_connected_hours (24) since its enrolment
    for (let i = 0; i < 3; i++) h.checkOffline();
    expect(alertsOf('rx-h2', 'open')).toEqual(['never_connected']);

    const p = tc.controller.presence;
    p.handleStatus('rx-h2', status('rx-h2', 'online', 1));
    p.flush();
    h.checkOffline();
    expect(alertsOf('rx-h2', 'open')).toEqual([]);
    expect(alertsOf('rx-h2', 'resolved')).toEqual(['never_connected']);
  });

  it("opens an offline alert for a receiver that was connected, only after the threshold, on the controller's clock", async () => {
    const h = tc.controller.receiverHealth;
    const p = tc.controller.presence;
    p.handleStatus('rx-h2', status('rx-h2', 'offline', 1));
    p.flush();
    h.checkOffline();
    expect(alertsOf('rx-h2', 'open')).toEqual([]);
    offset += 11 * 60_000;
    h.checkOffline();
    h.checkOffline();
    expect(alertsOf('rx-h2', 'open')).toEqual(['offline']);
  });

  it("refuses telemetry with wrong types, absurd values or another receiver's id, and keeps extra fields", () => {
    const p = tc.controller.presence;
    const before = p.malformed;
    p.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 'hot' }));
    p.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 900 }));
    p.handleTelemetry('rx-h1', telemetry('rx-h2', { temperature_c: 30 }));
    expect(p.malformed - before).toBe(3);
    p.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 30, fan_rpm: 1200 }));
    expect((p.latestTelemetry('rx-h1') as any).fan_rpm).toBe(1200);
  });

  it('keeps at most one sample per period and prunes old ones', () => {
    const h = tc.controller.receiverHealth;
    const count = () =>
      (tc.controller.db.prepare("SELECT count(*) AS n FROM telemetry_samples WHERE receiver_id = 'rx-h1'").get() as any)
        .n;
    const before = count();
    for (let i = 0; i < 5; i++)
      tc.controller.presence.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 30 }));
    expect(count() - before).toBeLessThanOrEqual(1);
    offset += 31 * 86_400_000;
    expect(h.prune()).toBeGreaterThanOrEqual(1);
    expect(count()).toBe(0);
  });

  it('keeps the sampling period across a restart: the last sample is read from the store, not from memory', () => {
    const h = tc.controller.receiverHealth;
    const count = () =>
      (tc.controller.db.prepare("SELECT count(*) AS n FROM telemetry_samples WHERE receiver_id = 'rx-h1'").get() as any)
        .n;
    offset += 3_600_000;
    tc.controller.presence.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 31 }));
    const stored = count();
    // What a restart loses: the samples' times kept in memory.
    (h as unknown as { lastSample: Map<string, number> }).lastSample.clear();
    offset += 60_000;
    tc.controller.presence.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 32 }));
    expect(count()).toBe(stored);
    offset += 300_000; // telemetry_sample_s
    tc.controller.presence.handleTelemetry('rx-h1', telemetry('rx-h1', { temperature_c: 33 }));
    expect(count()).toBe(stored + 1);
  });
});
