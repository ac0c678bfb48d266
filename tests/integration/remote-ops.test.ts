/** Technicians act on a receiver from afar: request and reply over the signed command path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer, type PlayRequest } from '../../firmware-bridge/agent/players.js';
import { topics } from '../../controller/protocol/topics.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
const plays: PlayRequest[] = [];
const agents: ReceiverAgent[] = [];

class RecordingPlayer extends SilentPlayer {
  override play(request: PlayRequest, signal: AbortSignal) {
    plays.push(request);
    return super.play(request, signal);
  }
}
const op = (id: string, body: object) => tc.api('POST', `/api/receivers/${id}/ops`, body);

beforeAll(async () => {
  tc = await startTestController();
  agents.push(await startTestAgent(tc, 'rx-op', 'thon-1', { player: new RecordingPlayer(0.01) }));
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('remote operations', () => {
  it("sets the receiver's own volume, which scales what it plays", async () => {
    const res = await op('rx-op', { op: 'set_volume', args: { volume_pct: 50 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', data: { volume_pct: 50 } });
    // The audit log names the operation in words, not only "remote operation".
    const audit = (await tc.api('GET', '/api/audit')).body;
    const entries = (Array.isArray(audit) ? audit : audit.entries) as { action: string; action_text: string }[];
    expect(entries.find((e) => e.action === 'receiver.op')?.action_text).toBe('Điều khiển cụm loa từ xa: đặt âm lượng');
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['rx-op'] },
      volume_pct: 80,
    });
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-op')).outcome === 'finished', 'play');
    expect(plays.find((p) => p.broadcast_id === b.body.id)?.volume_pct).toBe(40);
    // Out of range: refused by the controller in words, never sent.
    const loud = await op('rx-op', { op: 'set_volume', args: { volume_pct: 150 } });
    expect(loud.status).toBe(422);
    expect(loud.body.error).toMatchObject({ code: 'op_volume_out_of_range' });
    expect(loud.body.error.message).toContain('từ 0 đến 100, không phải "150"');
    // The receiver's own check holds too, for what reaches it another way (its words, as it said them).
    expect((await op('rx-op', { op: 'test_tone', args: { seconds: 1, volume_pct: 5 } })).body.status).toBe('ok');
    // How each ended is in the audit log too, beside the request.
    const after = (await tc.api('GET', '/api/audit')).body;
    const texts = ((Array.isArray(after) ? after : after.entries) as { action: string; action_text: string }[]).map(
      (e) => `${e.action}: ${e.action_text}`,
    );
    expect(texts).toContain('receiver.op_done: Cụm loa đã thực hiện: đặt âm lượng');
  });

  it('never lets a speaker turned down to 0 silence an emergency', async () => {
    expect((await op('rx-op', { op: 'set_volume', args: { volume_pct: 0 } })).body).toMatchObject({ status: 'ok' });
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const asked = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['rx-op'] },
      priority: 'emergency',
      repeat_count: 1,
    });
    const sent = await tc.api('POST', asked.body.confirmation.confirm_url, {});
    expect(sent.status).toBe(201);
    await waitFor(
      async () => (await coverageRow(tc, sent.body.id, 'rx-op')).outcome === 'finished',
      'the emergency to play',
    );
    expect(plays.find((p) => p.broadcast_id === sent.body.id)?.volume_pct).toBe(100);
    const normal = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['rx-op'] },
      volume_pct: 80,
    });
    await waitFor(
      async () => (await coverageRow(tc, normal.body.id, 'rx-op')).outcome === 'finished',
      'the normal item to play',
    );
    expect(plays.find((p) => p.broadcast_id === normal.body.id)?.volume_pct).toBe(0);
    await op('rx-op', { op: 'set_volume', args: { volume_pct: 100 } });
  });

  it('never cuts an emergency with a restart: the restart waits until it has played', async () => {
    const slow = await startTestAgent(tc, 'rx-slow', 'thon-2', { player: new SilentPlayer(1) });
    agents.push(slow);
    const events: string[] = [];
    slow.on('played', () => events.push('played'));
    slow.on('restart', () => events.push('restart'));
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
    const asked = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['rx-slow'] },
      priority: 'emergency',
      repeat_count: 1,
    });
    const sent = await tc.api('POST', asked.body.confirmation.confirm_url, {});
    await waitFor(async () => (await coverageRow(tc, sent.body.id, 'rx-slow')).started_at, 'the emergency to start');
    expect((await op('rx-slow', { op: 'restart', args: {} })).body).toMatchObject({
      status: 'ok',
      data: { restarting: true },
    });
    await waitFor(() => events.includes('restart'), 'the restart, once the emergency is over', 15_000);
    expect(events).toEqual(['played', 'restart']);
    // The "finished" ack is on the receiver's disk before the restart; it reaches the controller
    // moments later (a restarted receiver sends it once it is back).
    await waitFor(
      async () => (await coverageRow(tc, sent.body.id, 'rx-slow')).outcome === 'finished',
      'the emergency to be reported finished',
    );
  }, 30_000);

  it('plays a test tone, reports its clock offset, and hands over its recent log', async () => {
    expect((await op('rx-op', { op: 'test_tone', args: { seconds: 1 } })).body.status).toBe('ok');
    expect(plays.some((p) => p.file.endsWith('test-tone.mp3'))).toBe(true);
    const clock = (await op('rx-op', { op: 'sync_clock' })).body;
    expect(Math.abs(clock.data.offset_ms)).toBeLessThan(2000);
    const logs = (await op('rx-op', { op: 'fetch_logs', args: { lines: 20 } })).body;
    expect(logs.data.lines.some((l: string) => l.includes('ack finished'))).toBe(true);
  });

  it('says, by its name, that a receiver never connected cannot take a command', async () => {
    await tc.api('POST', '/api/receivers', { id: 'rx-gone', hamlet_id: 'thon-2', name: 'Loa đầu ngõ' });
    const res = await op('rx-gone', { op: 'sync_clock' });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('op_receiver_never_connected');
    expect(res.body.error.message).toContain('"Loa đầu ngõ" chưa từng kết nối');
    const audit = (await tc.api('GET', '/api/audit')).body;
    const entries = (Array.isArray(audit) ? audit : audit.entries) as { action: string; action_text: string }[];
    expect(entries.find((e) => e.action === 'receiver.op_unanswered')?.action_text).toBe(
      'Cụm loa không trả lời lệnh: đồng bộ đồng hồ',
    );
  }, 20_000);

  it('says at once that an offline receiver cannot take it, by its name said once, and the audit log keeps the request', async () => {
    const agent = await startTestAgent(tc, 'rx-away', 'thon-2');
    await tc.api('PATCH', '/api/receivers/rx-away', { name: 'Cụm loa cuối xóm' });
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-away')).body.status === 'online', 'online');
    await agent.stop();
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-away')).body.status === 'offline', 'offline');
    const res = await op('rx-away', { op: 'test_tone' });
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('op_receiver_offline');
    expect(res.body.error.message).toMatch(/^"Cụm loa cuối xóm" đang mất kết nối/);
    const audit = (await tc.api('GET', '/api/audit')).body;
    const entries = (Array.isArray(audit) ? audit : audit.entries) as {
      action: string;
      action_text: string;
      subject_name: string;
    }[];
    expect(entries.find((e) => e.action === 'receiver.op_not_sent')).toMatchObject({
      action_text: 'Lệnh từ xa không gửi được (cụm loa đang mất kết nối): phát âm thử',
      subject_name: 'Cụm loa cuối xóm',
    });
  }, 30_000);

  it("ignores a reply for another receiver's operation, and malformed replies", async () => {
    const enrol = await tc.api('POST', '/api/receivers', { id: 'rx-liar', hamlet_id: 'thon-2', name: 'liar' });
    const liar = await mqtt.connectAsync(tc.controller.mqttUrl, {
      clientId: 'rx-liar',
      username: 'rx-liar',
      password: enrol.body.agent_config.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    try {
      const before = tc.controller.remoteOps.malformed;
      await liar.publishAsync(topics.reply('rx-liar'), 'garbage', { qos: 1 });
      const pending = op('rx-op', { op: 'sync_clock' });
      await liar.publishAsync(
        topics.reply('rx-liar'),
        JSON.stringify({
          v: 1,
          receiver_id: 'rx-liar',
          command_id: crypto.randomUUID(),
          status: 'ok',
          data: {},
          error: null,
          at: new Date().toISOString(),
        }),
        { qos: 1 },
      );
      expect((await pending).body.status).toBe('ok');
      expect(tc.controller.remoteOps.malformed - before).toBe(1);
    } finally {
      await liar.endAsync();
    }
  });
});
