/**
 * A receiver back on a slow link gets what the broker kept for it in one burst: a broadcast's play,
 * then its stop, the stop's packet a moment after the play's. It must not start the play in
 * between: the desk stopped that broadcast, and for a fraction of a second the hamlet heard it
 * anyway, its row saying "stopped while playing" (seen in `stop-offline`, session 35). A broadcast
 * sent after the stop still plays.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow } from '../helpers/agents.js';
import { startSlowLink, type SlowLink } from '../helpers/slow-link.js';
import { CommandSigner } from '../../controller/protocol/signing.js';
import { topics } from '../../controller/protocol/topics.js';
import {
  brokerClientAsController,
  broadcastConfirmed,
  onExternalBroker,
  startTestController,
  type TestController,
} from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
const links: SlowLink[] = [];
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await Promise.all(links.map((l) => l.close()));
  await tc?.close();
});

/** The receiver's agent (the same state each time it is made: started again, it is the same receiver). */
function receiverOf(config: AgentConfig, player = new SilentPlayer(0.2)): ReceiverAgent {
  const agent = new ReceiverAgent({
    config,
    store: new FileAgentStore(config.state_dir),
    player,
    logger: pino({ level: 'silent' }),
  });
  agents.push(agent);
  return agent;
}

/** An emergency to one receiver, confirmed at the desk. */
const sendEmergency = async (rx: string, toHamlet?: string) => {
  const sent = await broadcastConfirmed(tc, {
    media_id: media.id,
    target: toHamlet ? { hamlet_ids: [toHamlet] } : { receiver_ids: [rx] },
    priority: 'emergency',
    repeat_count: 1,
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body.id as string;
};

const send = async (hamlet: string) => {
  const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: [hamlet] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};

// 10 KB/s, 2 KB/s (where an outsider heard whole stopped broadcasts when the wait was counted
// from the CONNACK: the first kept play came 352 ms after it, the stop 250 ms after the play), 1 and 0.25 KB/s.
const speeds = [
  { rx: 'rx-10k', hamlet: 'thon-1', pieceBytes: 100, everyMs: 10 },
  { rx: 'rx-2k', hamlet: 'thon-2', pieceBytes: 100, everyMs: 50 },
  { rx: 'rx-1k', hamlet: 'thon-3', pieceBytes: 100, everyMs: 100 },
  // Where the backlog takes longer than 10 s to come (a limit counted from the CONNACK once let a stopped one sound).
  { rx: 'rx-025k', hamlet: 'thon-3', pieceBytes: 100, everyMs: 400 },
];

describe('a stop in the burst a receiver gets when it comes back', () => {
  it.each(speeds)(
    'silences its play before it starts, on a slow link ($pieceBytes bytes every $everyMs ms)',
    async ({ rx, hamlet, ...speed }) => {
      const link = await startSlowLink(tc.controller.mqttUrl, speed);
      links.push(link);
      const config = {
        ...(await enrolReceiver(tc.url, tc.token, rx, hamlet, rx)),
        mqtt_url: link.url,
        state_dir: join(tc.dir, rx),
      };
      const started: string[] = [];
      const agentOf = () => {
        const agent = receiverOf(config);
        agent.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
        return agent;
      };
      // Online once, and the audio cached: the play, when it comes, could start the moment it is read.
      const first = agentOf();
      await first.start();
      const warmup = await send(hamlet);
      await waitFor(async () => (await coverageRow(tc, warmup, rx))?.outcome === 'finished', 'warm-up', 20_000);
      await first.stop();
      await waitFor(async () => (await tc.api('GET', `/api/receivers/${rx}`)).body.status === 'offline', 'offline');

      // Away: a broadcast and its stop, then a stop of the hamlet after another, both queued at the broker.
      const stopped = await send(hamlet);
      expect((await tc.api('POST', `/api/broadcasts/${stopped}/stop`, {})).status).toBe(202);
      const silenced = await send(hamlet);
      expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: [hamlet] })).status).toBe(202);
      await new Promise((r) => setTimeout(r, 20)); // a later instant than the stop's
      const after = await send(hamlet);

      await agentOf().start();
      await waitFor(
        async () => (await coverageRow(tc, after, rx))?.outcome === 'finished',
        'the later broadcast',
        90_000,
      );
      expect(started, 'what started after coming back').not.toContain(stopped);
      expect(started).not.toContain(silenced);
      expect(started).toContain(after);
      for (const id of [stopped, silenced]) {
        const row = await coverageRow(tc, id, rx);
        // Stopped before it played: no start on record.
        expect(row, id).toMatchObject({ outcome: 'failed', reason: 'stopped' });
        expect(row.started_at, id).toBeNull();
      }
    },
    150_000,
  );

  /** A receiver that went away, and an emergency sent to it meanwhile (kept for it at the broker). */
  async function awayWithEmergency(rx: string) {
    const config = { ...(await enrolReceiver(tc.url, tc.token, rx, 'thon-1', rx)), state_dir: join(tc.dir, rx) };
    const first = receiverOf(config);
    await first.start();
    await first.stop();
    await waitFor(async () => (await tc.api('GET', `/api/receivers/${rx}`)).body.status === 'offline', 'offline');
    return { config, id: await sendEmergency(rx) };
  }

  it("starts an emergency kept for it as soon as the burst is in, not at the wait's 10 s limit", async () => {
    const { config } = await awayWithEmergency('rx-fast');
    const back = receiverOf(config);
    let connectedAt = NaN;
    back.once('connected', () => (connectedAt = performance.now()));
    const playing = new Promise<number>((resolve) => back.once('playing', () => resolve(performance.now())));
    await back.start();
    const delay = (await playing) - connectedAt;
    // The SUBACK, then a second for the controller's answer to "online" (the stops it has not
    // taken, which a broker that lost its session no longer keeps): under 3 s here; the limit is 10 s.
    expect(delay).toBeGreaterThanOrEqual(900);
    expect(delay).toBeLessThan(3_000);
  }, 60_000);

  // Someone with broker access but not the controller's key sends, every 100 ms, a forged play, or
  // the genuine emergency again (captured). On Mosquitto a second client on the controller's
  // account would take over its session.
  it.skipIf(onExternalBroker).each(['forged', 'replayed'] as const)(
    'is not drawn out by %s plays: an emergency kept for it starts all the same',
    async (kind) => {
      const rx = `rx-${kind}`;
      const { config, id } = await awayWithEmergency(rx);
      const genuine = (tc.controller.db.prepare('SELECT payload FROM commands WHERE broadcast_id = ?').get(id) as any)
        .payload as string;
      const { sig: _sig, ...unsigned } = JSON.parse(genuine);
      const forger = CommandSigner.generate().signer;
      const attacker = await brokerClientAsController(tc);
      const back = receiverOf(config);
      const refused: string[] = [];
      back.on('refused', (r: { reason: string }) => refused.push(r.reason));
      let connectedAt = NaN;
      let flood: NodeJS.Timeout | undefined;
      back.once('connected', () => {
        connectedAt = performance.now();
        flood = setInterval(() => {
          const forged = () =>
            JSON.stringify(
              forger.sign({ ...unsigned, command_id: crypto.randomUUID(), broadcast_id: crypto.randomUUID() }),
            );
          const payload = kind === 'forged' ? forged() : genuine;
          // A callback, not publishAsync: the publishes still in flight when the attacker is closed
          // are failed with "Connection closed", which is the attacker's business, not the test's.
          attacker.publish(topics.receiverCommands(rx), payload, { qos: 1 }, () => {});
        }, 100);
      });
      const playing = new Promise<number>((resolve) => back.once('playing', () => resolve(performance.now())));
      try {
        await back.start();
        // Not at all, before: each drew the wait out by another 300 ms, for as long as they came.
        const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 10_000));
        const delay = (await Promise.race([playing, timeout])) - connectedAt;
        if (kind === 'forged') expect(refused.length, 'forged plays refused meanwhile').toBeGreaterThan(0);
        expect(delay).toBeLessThan(3_000);
      } finally {
        clearInterval(flood);
        await attacker.endAsync(true);
      }
    },
    60_000,
  );

  it('lets the programme play on while a kept emergency waits for the burst: a withdrawn one never cuts it', async () => {
    const link = await startSlowLink(tc.controller.mqttUrl, { pieceBytes: 100, everyMs: 10 });
    links.push(link);
    const config = {
      ...(await enrolReceiver(tc.url, tc.token, 'rx-pre', 'thon-2', 'rx-pre')),
      mqtt_url: link.url,
      state_dir: join(tc.dir, 'rx-pre'),
    };
    const agent = receiverOf(config, new SilentPlayer(20)); // the 1 s tone lasts 20 s: a programme on air
    const started: string[] = [];
    agent.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
    await agent.start();
    const toIt = { media_id: media.id, target: { receiver_ids: ['rx-pre'] } };
    const programme = (await tc.api('POST', '/api/broadcasts', toIt)).body.id as string;
    await waitFor(async () => started.includes(programme), 'the programme on air');
    // The link drops while it plays; an emergency is sent and withdrawn meanwhile, both kept. Long
    // enough for both to go out before it is back, even on a busy machine (1.5 s was not: the
    // emergency then came live and rightly cut the programme).
    agent.dropLink(8_000);
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-pre')).body.status === 'offline', 'offline');
    const emergency = await broadcastConfirmed(tc, { ...toIt, priority: 'emergency', repeat_count: 1 });
    expect(emergency.status, JSON.stringify(emergency.body)).toBe(201);
    expect((await tc.api('POST', `/api/broadcasts/${emergency.body.id}/stop`, {})).status).toBe(202);
    expect((await tc.api('GET', '/api/receivers/rx-pre')).body.status, 'both sent while it was away').toBe('offline');
    await waitFor(
      async () => (await coverageRow(tc, programme, 'rx-pre'))?.outcome === 'finished',
      'the programme played to its end',
      40_000,
    );
    expect(started).not.toContain(emergency.body.id);
    const row = await coverageRow(tc, emergency.body.id, 'rx-pre');
    expect(row).toMatchObject({ outcome: 'failed', reason: 'stopped' });
    expect(row.started_at).toBeNull();
  }, 60_000);

  describe('after a power cut mid-emergency (on-air recovery replays it from the start)', () => {
    /** A receiver whose emergency was on air when it went down: its state says so. */
    async function cutMidEmergency(rx: string, toHamlet?: string) {
      const config = {
        ...(await enrolReceiver(tc.url, tc.token, rx, toHamlet ?? 'thon-1', rx)),
        state_dir: join(tc.dir, rx),
      };
      // The 1 s tone lasts 8 s: still on air when the power goes.
      const agentOf = (mqttUrl = config.mqtt_url) => receiverOf({ ...config, mqtt_url: mqttUrl }, new SilentPlayer(8));
      const before = agentOf();
      await before.start();
      const on = new Promise((resolve) => before.once('playing', resolve));
      const id = await sendEmergency(rx, toHamlet);
      await on;
      await before.stop(); // the power goes mid-play: the state still says "on air"
      await waitFor(async () => (await tc.api('GET', `/api/receivers/${rx}`)).body.status === 'offline', 'offline');
      return { id, agentOf };
    }

    it('does not sound again an emergency withdrawn while the receiver was down', async () => {
      // To its hamlet (thon-3: the receivers there are done with their own cases), as the outsider's was.
      const { id, agentOf } = await cutMidEmergency('rx-cut-stopped', 'thon-3');
      expect((await tc.api('POST', `/api/broadcasts/${id}/stop`, {})).status).toBe(202);
      const back = agentOf();
      const started: string[] = [];
      back.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
      const stages: string[] = [];
      back.on('ack', (a: { stage: string; reason: string | null }) => stages.push(`${a.stage}:${a.reason}`));
      await back.start();
      await waitFor(async () => (await coverageRow(tc, id, 'rx-cut-stopped'))?.reason === 'stopped', 'stopped', 20_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(started, 'the withdrawn alarm replayed after the power came back').toEqual([]);
      // On-air recovery did take it up again (cut off, to play from its start), and the stop silenced it first.
      expect(stages.filter((x) => !x.startsWith('received'))).toEqual(['interrupted:player_error', 'failed:stopped']);
      // Its row says the power cut cut it off.
      expect((await coverageRow(tc, id, 'rx-cut-stopped')).restarted_at).not.toBeNull();

      // And the power goes again: the stop taken is remembered, not only the play (an outsider
      // heard the withdrawn alarm three times over after a second power cut).
      await back.stop();
      const again = agentOf();
      again.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
      await again.start();
      await new Promise((r) => setTimeout(r, 1_500));
      expect(started, 'the withdrawn alarm replayed after a second power cut').toEqual([]);
    }, 60_000);

    it('does not sound it either when the receiver was enrolled again while it was down', async () => {
      // A technician's `enrol --existing --force`, or the simulator at each start: new credentials
      // and a new replay memory. The stop, kept by the broker, predates that memory; refused as
      // such, the withdrawn alarm played in full (outsider, session 38).
      const { id } = await cutMidEmergency('rx-cut-reenrolled');
      expect((await tc.api('POST', `/api/broadcasts/${id}/stop`, {})).status).toBe(202);
      await new Promise((r) => setTimeout(r, 5)); // its enrolment comes after the stop, as a technician's would
      const config = {
        ...(await enrolReceiver(tc.url, tc.token, 'rx-cut-reenrolled', 'thon-1', 'rx-cut-reenrolled')),
        state_dir: join(tc.dir, 'rx-cut-reenrolled'),
      };
      const back = receiverOf(config, new SilentPlayer(8));
      const started: string[] = [];
      back.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
      await back.start();
      await waitFor(
        async () => (await coverageRow(tc, id, 'rx-cut-reenrolled'))?.reason === 'stopped',
        'stopped',
        20_000,
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(started, 'the withdrawn alarm replayed after a re-enrolment').toEqual([]);
      // The stop was taken (stop_sent_at is cleared by its "received" ack). The old play may come
      // again too, when the power went before its PUBACK: refused as older than the new memory, rightly.
      expect(await coverageRow(tc, id, 'rx-cut-reenrolled')).toMatchObject({ outcome: 'failed', stop_sent_at: null });
    }, 60_000);

    it('does not sound it either on a link that answers but passes the CONNACK only after 20 s', async () => {
      // Each connection held 12 s: the first attempt is let go for want of a CONNACK, the second gets through.
      const link = await startSlowLink(tc.controller.mqttUrl, { pieceBytes: 1_000, everyMs: 1 }, 12_000);
      links.push(link);
      const { id, agentOf } = await cutMidEmergency('rx-cut-held', 'thon-2');
      expect((await tc.api('POST', `/api/broadcasts/${id}/stop`, {})).status).toBe(202);
      const back = agentOf(link.url);
      const started: string[] = [];
      back.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
      const connected = new Promise((resolve) => back.once('connected', resolve));
      const startedAt = performance.now();
      await back.start(false);
      await connected;
      expect(performance.now() - startedAt, 'the CONNACK came after the no-link limit').toBeGreaterThan(10_000);
      await waitFor(async () => (await coverageRow(tc, id, 'rx-cut-held'))?.reason === 'stopped', 'stopped', 20_000);
      // It played from the start 10 s after the start before: a withdrawn alarm, for 12 s and more.
      expect(started).toEqual([]);
    }, 90_000);

    it('plays one that stands again as soon as the burst is in, and after 10 s with no link at all', async () => {
      const online = await cutMidEmergency('rx-cut-online');
      const back = online.agentOf();
      let connectedAt = NaN;
      back.once('connected', () => (connectedAt = performance.now()));
      const replayed = new Promise<number>((resolve) => back.once('playing', () => resolve(performance.now())));
      await back.start();
      const delay = (await replayed) - connectedAt;
      expect(delay).toBeGreaterThanOrEqual(900);
      expect(delay).toBeLessThan(3_000);
      // Its row says its restart cut it off (and it plays again from the start).
      await waitFor(async () => (await coverageRow(tc, online.id, 'rx-cut-online'))?.restarted_at, 'restarted_at');

      // No link at all after the power cut (nothing listens there): the hamlet is warned from the store.
      const offline = await cutMidEmergency('rx-cut-nolink');
      const alone = offline.agentOf('mqtt://127.0.0.1:9');
      const startedAt = performance.now();
      const alarm = new Promise<number>((resolve) => alone.once('playing', () => resolve(performance.now())));
      await alone.start(false);
      const wait = (await alarm) - startedAt;
      expect(wait).toBeGreaterThanOrEqual(9_500);
      expect(wait).toBeLessThan(13_000);
    }, 90_000);
  });
});
