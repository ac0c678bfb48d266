/**
 * Delivery is a state machine per receiver and command, owned by the controller: a transient
 * failure is tried again until the receiver finishes, fails for a final reason, or the window
 * closes. Acks are checked at the door (negative receipts), gaps in a receiver's ack numbers are
 * asked for again, re-sends go to the one receiver's own topic, and a receiver whose memory was
 * wiped refuses what was captured before.
 */
import { createPrivateKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAck, topics, type Ack, type PlayCommand, type SignedCommand } from '../../controller/protocol/index.js';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow } from '../helpers/agents.js';
import {
  brokerClientAsController,
  onExternalBroker,
  startTestController,
  type TestController,
} from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];
const clients: MqttClient[] = [];

/** Stands between receivers and the controller's HTTP: cuts the next N audio downloads off mid-way. */
let cutNextDownloads = 0;
let downloadsCut = 0;
let controllerUrl = '';
const proxy: Server = createServer(async (req, res) => {
  if (req.url?.includes('/audio') && cutNextDownloads > 0) {
    cutNextDownloads--;
    downloadsCut++;
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': '100000' });
    res.write(Buffer.alloc(1000));
    return setTimeout(() => res.socket?.destroy(), 20); // the link drops (or the controller dies) mid-answer
  }
  const upstream = await fetch(controllerUrl + req.url, {
    headers: { authorization: req.headers.authorization ?? '' },
  });
  res.writeHead(
    upstream.status,
    Object.fromEntries([...upstream.headers].filter(([k]) => k !== 'content-encoding' && k !== 'transfer-encoding')),
  );
  res.end(Buffer.from(await upstream.arrayBuffer()));
});

async function startAgent(id: string, hamlet: string, config?: AgentConfig) {
  const cfg = config ?? (await enrolReceiver(tc.url, tc.token, id, hamlet, `Cụm loa ${id}`));
  const state_dir = join(tc.dir, 'agents', id);
  const agent = new ReceiverAgent({
    config: { ...cfg, state_dir },
    store: new FileAgentStore(state_dir),
    player: new SilentPlayer(0.01),
    logger: pino({ level: 'silent' }),
  });
  const played: string[] = [];
  const refused: { reason: string; command_id?: string }[] = [];
  agent.on('playing', (c) => played.push(c.broadcast_id));
  agent.on('refused', (r) => refused.push(r));
  agents.push(agent);
  await agent.start();
  return { agent, played, refused, config: cfg, state_dir };
}

/** A receiver driven by hand over MQTT (a vendor's device, or one with a broken signing key). */
async function rawReceiver(id: string, hamlet: string, subscribe: string[]) {
  const config = await enrolReceiver(tc.url, tc.token, id, hamlet, `Cụm loa ${id}`);
  const client = await mqtt.connectAsync(config.mqtt_url, {
    clientId: id,
    username: id,
    password: config.secret,
    protocolVersion: 4,
    clean: false,
    reconnectPeriod: 0,
  });
  clients.push(client);
  const got: { topic: string; command: SignedCommand }[] = [];
  client.on('message', (topic, payload) => got.push({ topic, command: JSON.parse(payload.toString()) }));
  await client.subscribeAsync(subscribe, { qos: 1 });
  await client.publishAsync(
    topics.status(id),
    JSON.stringify({
      v: 1,
      receiver_id: id,
      state: 'online',
      session: 1,
      at: new Date().toISOString(),
      agent_version: 'raw',
    }),
    { qos: 1, retain: true },
  );
  const key = createPrivateKey(config.ack_signing_key!);
  const ack = (
    seq: number,
    command: { command_id: string; broadcast_id: string | null },
    stage: Ack['stage'],
  ): Ack => ({
    v: 1,
    receiver_id: id,
    seq,
    command_id: command.command_id,
    broadcast_id: command.broadcast_id,
    stage,
    at: new Date().toISOString(),
    reason: null,
    detail: null,
  });
  const send = (a: Ack | Record<string, unknown>) => client.publishAsync(topics.ack(id), JSON.stringify(a), { qos: 1 });
  return { client, got, config, ack, sign: (a: Ack) => signAck(a, key), send };
}

const broadcastTo = async (target: object, extra: object = {}) => {
  const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target, expires_in_s: 600, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
};
const commandOf = (broadcastId: string): PlayCommand & { sig: unknown } =>
  JSON.parse(
    (
      tc.controller.db
        .prepare("SELECT payload FROM commands WHERE broadcast_id = ? AND type = 'play' ORDER BY created_at LIMIT 1")
        .get(broadcastId) as { payload: string }
    ).payload,
  );
const metric = async (line: RegExp) => {
  const text = (await tc.api('GET', '/metrics')).body as string;
  return Number(
    text
      .split('\n')
      .find((l) => line.test(l))
      ?.split(' ')
      .pop() ?? 0,
  );
};

beforeAll(async () => {
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  tc = await startTestController({
    http: { public_url: proxyUrl } as any,
    delivery: { retry_after_s: 1, ack_gap_wait_s: 1 } as any,
    emergency: { retry_after_s: 1 } as any,
  });
  controllerUrl = tc.url;
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
  await new Promise((r) => proxy.close(r));
});

describe('delivery until a final outcome', () => {
  it('tries a download cut off mid-way again, and the receiver plays it', async () => {
    const { played } = await startAgent('rx-dl', 'thon-1');
    cutNextDownloads = 2;
    const b = await broadcastTo({ receiver_ids: ['rx-dl'] });
    await waitFor(
      async () => (await coverageRow(tc, b.id, 'rx-dl'))?.outcome === 'finished',
      'rx-dl to finish after two cut downloads',
      20_000,
    );
    expect(downloadsCut).toBe(2);
    expect(played).toEqual([b.id]);
    const coverage = (await tc.api('GET', `/api/broadcasts/${b.id}/coverage`)).body;
    expect(coverage.totals).toMatchObject({ targeted: 1, finished: 1, failed: 0 });
    expect(coverage.complete).toBe(true);
  });

  it.skipIf(onExternalBroker)('plays the genuine command after a forged copy of it arrived first', async () => {
    const { played, refused } = await startAgent('rx-forge', 'thon-2');
    const attacker = await brokerClientAsController(tc);
    clients.push(attacker);
    // The genuine command is lost on its way (a new broker session, a dropped link) ...
    const link = tc.controller.mqtt as unknown as { publish: (topic: string, payload: string) => Promise<void> };
    const realPublish = link.publish.bind(link);
    let dropped = 0;
    link.publish = async (topic, payload) => {
      if (topic === topics.hamletCommands('thon-2') && dropped === 0) {
        dropped++;
        return;
      }
      return realPublish(topic, payload);
    };
    let b: { id: string };
    try {
      b = await broadcastTo({ hamlet_ids: ['thon-2'] });
    } finally {
      link.publish = realPublish;
    }
    // ... and an attacker's copy of it, louder, arrives instead.
    const genuine = commandOf(b.id);
    await attacker.publishAsync(topics.hamletCommands('thon-2'), JSON.stringify({ ...genuine, volume_pct: 100 }), {
      qos: 1,
    });
    await waitFor(
      () => refused.some((r) => r.command_id === genuine.command_id && r.reason === 'bad_signature'),
      'the forged copy to be refused',
    );
    // The controller does not take the refusal of a copy it never signed as an answer: it sends the genuine again.
    await waitFor(
      async () => (await coverageRow(tc, b.id, 'rx-forge'))?.outcome === 'finished',
      'the genuine command to play',
      20_000,
    );
    expect(played).toEqual([b.id]);
  });

  it('sends a returning receiver its command on its own topic only, never again to its hamlet', async () => {
    const watcher = await rawReceiver('rx-watch', 'thon-3', [topics.hamletCommands('thon-3')]);
    const lateConfig = await enrolReceiver(tc.url, tc.token, 'rx-late', 'thon-3', 'Cụm loa về muộn');
    const b = await broadcastTo({ hamlet_ids: ['thon-3'] });
    await waitFor(
      () => watcher.got.some((g) => g.command.command_id === commandOf(b.id).command_id),
      'the watcher to get the command',
    );
    const { played } = await startAgent('rx-late', 'thon-3', lateConfig);
    await waitFor(
      async () => (await coverageRow(tc, b.id, 'rx-late'))?.outcome === 'finished',
      'the late receiver to play',
      20_000,
    );
    expect(played).toEqual([b.id]);
    // Two follow-up rounds later, the hamlet topic has carried the command once.
    await new Promise((r) => setTimeout(r, 2500));
    expect(watcher.got.filter((g) => g.topic === topics.hamletCommands('thon-3'))).toHaveLength(1);
  });
});

describe('acks checked at the door', () => {
  it('answers an unsigned, a garbage-signed and a wrongly signed ack with a negative receipt, and counts none', async () => {
    const rx = await rawReceiver('rx-raw', 'thon-2', [topics.receiverCommands('rx-raw')]);
    const b = await broadcastTo({ receiver_ids: ['rx-raw'] });
    await waitFor(() => rx.got.find((g) => g.command.type === 'play'), 'the play command');
    const command = commandOf(b.id);
    const before = await metric(/^tt_acks_refused_total\{reason="bad_signature"\}/);
    await rx.send(rx.ack(0, command, 'received')); // no signature
    await rx.send({ ...rx.ack(1, command, 'downloaded'), sig: Buffer.alloc(64, 7).toString('base64') }); // garbage
    const other = rx.sign(rx.ack(2, command, 'finished'));
    await rx.send({ ...rx.ack(2, command, 'started'), sig: other.sig }); // a signature over other bytes
    const receipt = await waitFor(() => {
      const refused = rx.got
        .filter((g) => g.command.type === 'ack_receipt')
        .flatMap((g) => (g.command as any).refused ?? []);
      return refused.length >= 3 ? refused : undefined;
    }, 'negative receipts for the three acks');
    expect(receipt).toEqual(
      expect.arrayContaining([
        { seq: 0, reason: 'no_signature' },
        { seq: 1, reason: 'bad_signature' },
        { seq: 2, reason: 'bad_signature' },
      ]),
    );
    const row = await coverageRow(tc, b.id, 'rx-raw');
    expect(row.outcome).toBe('waiting');
    expect(row.received_at ?? null).toBeNull();
    expect(await metric(/^tt_acks_refused_total\{reason="no_signature"\}/)).toBeGreaterThanOrEqual(1);
    expect(await metric(/^tt_acks_refused_total\{reason="bad_signature"\}/)).toBe(before + 2);
    // A good ack after them is stored and receipted as usual.
    await rx.send(rx.sign(rx.ack(3, command, 'received')));
    await waitFor(
      () => rx.got.some((g) => g.command.type === 'ack_receipt' && (g.command as any).seqs.includes(3)),
      'the receipt of seq 3',
    );
    expect((await coverageRow(tc, b.id, 'rx-raw')).outcome).toBe('received');
  });

  it('asks a receiver for the acks missing from its sequence (resend_acks)', async () => {
    const rx = await rawReceiver('rx-gap', 'thon-1', [topics.receiverCommands('rx-gap')]);
    const b = await broadcastTo({ receiver_ids: ['rx-gap'] });
    await waitFor(() => rx.got.find((g) => g.command.type === 'play'), 'the play command');
    const command = commandOf(b.id);
    await rx.send(rx.sign(rx.ack(0, command, 'received')));
    await rx.send(rx.sign(rx.ack(2, command, 'started'))); // seq 1 ("downloaded") held back
    const op = await waitFor(
      () => rx.got.find((g) => g.command.type === 'op' && (g.command as any).op === 'resend_acks'),
      'a resend_acks request',
      10_000,
    );
    expect(op.topic).toBe(topics.receiverCommands('rx-gap'));
    await rx.send(rx.sign(rx.ack(1, command, 'downloaded')));
    await waitFor(
      () => rx.got.some((g) => g.command.type === 'ack_receipt' && (g.command as any).seqs.includes(1)),
      'the receipt of the resent ack',
    );
  });
});

describe('what a vendor reading PROTOCOL.md literally sends', () => {
  it('marks a receiver offline by a last will without agent_version', async () => {
    const config = await enrolReceiver(tc.url, tc.token, 'rx-will', 'thon-1', 'Cụm loa di chúc');
    const will = { v: 1, receiver_id: 'rx-will', state: 'offline', session: 1, at: new Date().toISOString() };
    const client = await mqtt.connectAsync(config.mqtt_url, {
      clientId: 'rx-will',
      username: 'rx-will',
      password: config.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
      will: { topic: topics.status('rx-will'), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
    });
    await client.publishAsync(topics.status('rx-will'), JSON.stringify({ ...will, state: 'online' }), {
      qos: 1,
      retain: true,
    });
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-will')).body.status === 'online', 'online');
    (client as any).stream.destroy(); // the power goes: the broker publishes the will
    await waitFor(
      async () => (await tc.api('GET', '/api/receivers/rx-will')).body.status === 'offline',
      'offline by its will',
      15_000,
    );
  });

  it('takes a confirmation posted with Content-Type: application/json and no body', async () => {
    const asked = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
    });
    expect(asked.status).toBe(202);
    const res = await fetch(tc.url + asked.body.confirmation.confirm_url, {
      method: 'POST',
      headers: { authorization: `Bearer ${tc.token}`, 'content-type': 'application/json' },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    await tc.api('POST', `/api/broadcasts/${(await res.json()).id}/stop`);
  });
});

describe('acks signed before a re-enrolment', () => {
  it('stores an ack signed with the key the receiver had before, sent after it was re-enrolled', async () => {
    const rx = await rawReceiver('rx-rotate', 'thon-2', [topics.receiverCommands('rx-rotate')]);
    const b = await broadcastTo({ receiver_ids: ['rx-rotate'] });
    await waitFor(() => rx.got.find((g) => g.command.type === 'play'), 'the play command');
    const command = commandOf(b.id);
    const signedBefore = rx.sign(rx.ack(0, command, 'received')); // still in its outbox at the rotation
    await rx.client.endAsync(true);
    const renewed = (await tc.api('POST', '/api/receivers/rx-rotate/enrol')).body.agent_config as AgentConfig;
    const client = await mqtt.connectAsync(renewed.mqtt_url, {
      clientId: 'rx-rotate',
      username: 'rx-rotate',
      password: renewed.secret,
      protocolVersion: 4,
      clean: false,
      reconnectPeriod: 0,
    });
    clients.push(client);
    const got: SignedCommand[] = [];
    client.on('message', (_t, p) => got.push(JSON.parse(p.toString())));
    await client.subscribeAsync(topics.receiverCommands('rx-rotate'), { qos: 1 });
    await client.publishAsync(topics.ack('rx-rotate'), JSON.stringify(signedBefore), { qos: 1 });
    await waitFor(
      () => got.some((c) => c.type === 'ack_receipt' && c.seqs.includes(0)),
      'the receipt of the ack signed with the old key',
    );
    expect(got.flatMap((c) => (c.type === 'ack_receipt' ? (c.refused ?? []) : []))).toEqual([]);
    expect((await coverageRow(tc, b.id, 'rx-rotate')).outcome).toBe('received');
    // ... and the proof checks agree: an ack signed before a re-enrolment is not "forged".
    expect((await tc.api('GET', `/api/broadcasts/${b.id}/verify`)).body.bad).toEqual([]);
    const all = (await tc.api('GET', '/api/coverage/verify')).body;
    expect(all.problems.filter((p: any) => p.receiver_id === 'rx-rotate')).toEqual([]);
  });
});

describe.skipIf(onExternalBroker)('a receiver that forgot what it saw', () => {
  it('refuses a command captured before its state was wiped, gets fresh copies of its programme, and plays what is new', async () => {
    const first = await startAgent('rx-wipe', 'thon-1');
    const b = await broadcastTo({ receiver_ids: ['rx-wipe'] });
    await waitFor(() => first.played.includes(b.id), 'the first play');
    const later = await broadcastTo(
      { receiver_ids: ['rx-wipe'] },
      { play_at: new Date(Date.now() + 60 * 60_000).toISOString(), expires_in_s: 7200 },
    );
    await waitFor(() => first.agent.heldItems().length === 1, 'the programme item held');
    const captured = commandOf(b.id);
    const heldBefore = commandOf(later.id);
    await first.agent.stop();
    rmSync(first.state_dir, { recursive: true, force: true }); // a new SD card, a wiped flash
    const again = await startAgent('rx-wipe', 'thon-1', first.config);
    // Its new memory is told in its status: the controller sends fresh copies of what it still has to play.
    const held = await waitFor(
      () => again.agent.heldItems().find((c) => c.broadcast_id === later.id),
      'a fresh copy of the programme item',
      15_000,
    );
    expect(held.command_id).not.toBe(heldBefore.command_id);
    expect(held.play_at).toBe(heldBefore.play_at);
    const attacker = await brokerClientAsController(tc);
    clients.push(attacker);
    await attacker.publishAsync(topics.receiverCommands('rx-wipe'), JSON.stringify(captured), { qos: 1 });
    await waitFor(() => again.refused.find((r) => r.command_id === captured.command_id), 'the replay to be refused');
    expect(again.refused.find((r) => r.command_id === captured.command_id)?.reason).toBe('predates_memory');
    expect(again.played).toEqual([]);
    const next = await broadcastTo({ receiver_ids: ['rx-wipe'] });
    await waitFor(() => again.played.includes(next.id), 'a new command to play');
    expect((await tc.api('GET', '/api/receivers/rx-wipe')).body.status).toBe('online');
  });

  it('refuses a command issued before its enrolment though its memory was kept, plays a fresh copy, and keeps its held programme', async () => {
    const { agent } = await startAgent('rx-reenrol', 'thon-1');
    const b = await broadcastTo(
      { receiver_ids: ['rx-reenrol'] },
      { play_at: new Date(Date.now() + 60 * 60_000).toISOString(), expires_in_s: 7200 },
    );
    await waitFor(() => agent.heldItems().length === 1, 'the held item');
    await agent.stop();
    // Sent while it is away, then it is re-enrolled (a new secret and ack key), its state directory kept.
    const pending = await broadcastTo({ receiver_ids: ['rx-reenrol'] });
    const original = commandOf(pending.id);
    const renewed = (await tc.api('POST', '/api/receivers/rx-reenrol/enrol')).body.agent_config as AgentConfig;
    expect(Date.parse(renewed.enrolled_at!)).toBeGreaterThan(Date.parse(original.issued_at));
    const fresh = await startAgent('rx-reenrol', 'thon-1', renewed);
    // A genuine command it held before is still genuine: the programme plays on.
    expect(fresh.agent.heldItems().map((c) => c.broadcast_id)).toEqual([b.id]);
    // The command issued before the enrolment is refused as it is, and the controller sends a fresh copy that plays.
    await waitFor(
      () => fresh.refused.some((r) => r.command_id === original.command_id && r.reason === 'predates_memory'),
      'the old command to be refused',
    );
    await waitFor(() => fresh.played.includes(pending.id), 'a fresh copy to play', 15_000);
    expect(fresh.played).toEqual([pending.id]);
    await waitFor(
      async () => (await coverageRow(tc, pending.id, 'rx-reenrol')).outcome === 'finished',
      'its finished ack stored',
    );
  });
});
