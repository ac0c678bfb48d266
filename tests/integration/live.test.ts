/**
 * Live audio: a relayed stream and a staff member's voice reach receivers as they come, end
 * cleanly when the source ends, and a stream that drops is reported, with nothing left playing.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { consumeStream, SilentPlayer, type StreamRequest } from '../../firmware-bridge/agent/players.js';
import { makeTone, uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let source: Server;
let sourceUrl: string;
const agents: ReceiverAgent[] = [];
const firstChunkAt = new Map<string, number>();

/** Records when the first live bytes reach the receiver. */
class ListeningPlayer extends SilentPlayer {
  constructor(private readonly id: string) {
    super(0.01);
  }
  override playStream(request: StreamRequest, signal: AbortSignal) {
    return consumeStream(request, signal, () => {
      if (!firstChunkAt.has(`${this.id}:${request.broadcast_id}`))
        firstChunkAt.set(`${this.id}:${request.broadcast_id}`, Date.now());
    });
  }
}

async function agent(id: string, hamlet: string) {
  const a = await startTestAgent(tc, id, hamlet, { player: new ListeningPlayer(id) });
  agents.push(a);
  return a;
}
const row = (broadcastId: string, id: string) => coverageRow(tc, broadcastId, id);

beforeAll(async () => {
  tc = await startTestController();
  const tones: Record<string, Buffer> = {
    '/short.mp3': readFileSync(makeTone(join(tc.dir, 'short.mp3'), 3, 1)),
    '/long.mp3': readFileSync(makeTone(join(tc.dir, 'long.mp3'), 60, 1)),
  };
  source = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'audio/mpeg' });
    res.end(tones[req.url ?? ''] ?? Buffer.alloc(0));
  });
  await new Promise<void>((r) => source.listen(0, '127.0.0.1', () => r()));
  sourceUrl = `http://127.0.0.1:${(source.address() as { port: number }).port}`;
  await agent('rx-l1', 'thon-1');
  await agent('rx-l2', 'thon-2');
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
  source?.close();
});

describe('relaying a stream (the provincial station)', () => {
  it('plays it on every targeted receiver as it comes, and finishes when the source ends', async () => {
    const session = await tc.api('POST', '/api/live', {
      title: 'Tiếp sóng Đài tỉnh',
      source_url: `${sourceUrl}/short.mp3`,
    });
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({ source: 'relay', status: 'live' });
    // Every hamlet with receivers is the whole commune: confirmed first.
    const b = await broadcastConfirmed(tc, {
      live_id: session.body.id,
      target: { hamlet_ids: ['thon-1', 'thon-2'] },
      priority: 'priority',
    });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ live_id: session.body.id, media_id: null });
    for (const id of ['rx-l1', 'rx-l2']) {
      await waitFor(async () => (await row(b.body.id, id)).outcome === 'finished', `${id} to finish the relay`, 20_000);
      expect(firstChunkAt.has(`${id}:${b.body.id}`)).toBe(true);
    }
  }, 30_000);
});

describe('live voice', () => {
  it("carries the speaker's audio to receivers while it is still being recorded", async () => {
    const session = await tc.api('POST', '/api/live', { title: 'Chủ tịch xã phát biểu' });
    expect(session.body).toMatchObject({ source: 'voice', status: 'waiting' });
    const b = await tc.api('POST', '/api/broadcasts', {
      live_id: session.body.id,
      target: { receiver_ids: ['rx-l1'] },
      priority: 'priority',
    });
    await waitFor(async () => (await row(b.body.id, 'rx-l1')).outcome === 'playing', 'the receiver to tune in');
    // The microphone: 6 s of audio sent in real time, a quarter second at a time.
    const audio = readFileSync(makeTone(join(tc.dir, 'voice.mp3'), 6, 1));
    const chunk = Math.ceil(audio.length / 24);
    let sentLast = 0;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let i = 0; i < audio.length; i += chunk) {
          controller.enqueue(new Uint8Array(audio.subarray(i, i + chunk)));
          await new Promise((r) => setTimeout(r, 250));
        }
        sentLast = Date.now();
        controller.close();
      },
    });
    const res = await fetch(`${tc.url}/api/live/${session.body.id}/audio`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tc.token}`, 'content-type': 'audio/mpeg' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(204);
    await waitFor(
      async () => (await row(b.body.id, 'rx-l1')).outcome === 'finished',
      'the receiver to finish cleanly',
      15_000,
    );
    // Live, not store-and-forward: sound reached the receiver well before the speaker finished.
    expect(firstChunkAt.get(`rx-l1:${b.body.id}`)!).toBeLessThan(sentLast - 2000);
  }, 30_000);
});

describe('a stream that drops', () => {
  it('is reported by the receivers as dropped, and leaves nothing playing', async () => {
    const session = await tc.api('POST', '/api/live', { title: 'Tiếp sóng dài', source_url: `${sourceUrl}/long.mp3` });
    const b = await tc.api('POST', '/api/broadcasts', {
      live_id: session.body.id,
      target: { receiver_ids: ['rx-l2'] },
      priority: 'priority',
    });
    await waitFor(() => firstChunkAt.has(`rx-l2:${b.body.id}`), 'the stream to reach the receiver');
    tc.controller.live.drop(session.body.id);
    const r = await waitFor(async () => {
      const x = await row(b.body.id, 'rx-l2');
      return x.outcome === 'failed' ? x : undefined;
    }, 'the drop to be reported');
    expect(r.reason).toBe('stream_dropped');
    // The receiver is free: the next item plays.
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const next = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { receiver_ids: ['rx-l2'] } });
    await waitFor(async () => (await row(next.body.id, 'rx-l2')).outcome === 'finished', 'the next item to play');
    // A broadcast of an ended session is refused.
    const late = await tc.api('POST', '/api/broadcasts', {
      live_id: session.body.id,
      target: { receiver_ids: ['rx-l2'] },
    });
    expect(late.status).toBe(409);
  }, 30_000);

  it('serves the stream to enrolled receivers and staff only', async () => {
    const session = await tc.api('POST', '/api/live', { title: 'Kiểm tra', source_url: `${sourceUrl}/short.mp3` });
    expect((await fetch(`${tc.url}/api/live/${session.body.id}/stream`)).status).toBe(401);
    expect(
      (
        await tc.api('POST', '/api/broadcasts', {
          media_id: '00000000-0000-4000-8000-000000000000',
          live_id: session.body.id,
          target: { all: true },
        })
      ).status,
    ).toBe(422);
  });
});
