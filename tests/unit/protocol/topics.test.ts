import { describe, expect, it } from 'vitest';
import { parseReceiverTopic, topics } from '../../../controller/protocol/topics.js';
import { ackSchema, parsePayload, telemetrySchema } from '../../../controller/protocol/messages.js';

describe('receiver topics', () => {
  it('round-trips every receiver topic', () => {
    expect(parseReceiverTopic(topics.ack('rx-1'))).toEqual({ receiverId: 'rx-1', kind: 'ack' });
    expect(parseReceiverTopic(topics.status('rx-1'))).toEqual({ receiverId: 'rx-1', kind: 'status' });
    expect(parseReceiverTopic(topics.telemetry('rx-1'))).toEqual({ receiverId: 'rx-1', kind: 'telemetry' });
  });

  it.each([
    'tt/v1/rx/rx-1/ack/x',
    'tt/v2/rx/rx-1/ack',
    'tt/v1/cmd/rx/rx-1',
    'tt/v1/rx/RX_1/ack',
    'tt/v1/rx/+/ack',
    'tt/v1/rx/rx-1/other',
    '',
    '$SYS/x',
  ])('rejects %s', (topic) => expect(parseReceiverTopic(topic)).toBeUndefined());
});

describe('payload parsing', () => {
  it('explains what is wrong instead of throwing', () => {
    expect(parsePayload(ackSchema, Buffer.from('nope'))).toEqual({ ok: false, error: 'not valid JSON' });
    const r = parsePayload(ackSchema, Buffer.from('{"v":1}'));
    expect(r.ok).toBe(false);
    expect(parsePayload(ackSchema, Buffer.alloc(70_000, 0x20))).toEqual({
      ok: false,
      error: 'payload larger than 64 KiB',
    });
  });

  it('keeps telemetry fields it does not know (newer firmware)', () => {
    const r = parsePayload(
      telemetrySchema,
      JSON.stringify({ v: 1, receiver_id: 'rx-1', at: '2026-11-25T00:00:00.000Z', amp_temp_c: 51 }),
    );
    expect(r.ok && (r.value as any).amp_temp_c).toBe(51);
  });
});
