/** Watching an urgent broadcast live: per-hamlet progress as Server-Sent Events, silent receivers retried. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestAgent } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
let media: any;
const agents: ReceiverAgent[] = [];

async function agent(id: string, hamlet: string, delayMs = 0) {
  agents.push(await startTestAgent(tc, id, hamlet, { processing_delay_ms: delayMs }));
}

/** Reads an event stream until `until` says stop; returns the events. */
async function readEvents(
  path: string,
  until: (events: { event: string; data: any }[]) => boolean,
  timeoutMs = 20_000,
) {
  const res = await fetch(tc.url + path, {
    headers: { authorization: `Bearer ${tc.token}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: { event: string; data: any }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    if (until(events)) break;
  }
  return events;
}

beforeAll(async () => {
  tc = await startTestController({ emergency: { retry_after_s: 1, max_retries: 2 } } as any);
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  await agent('rx-p1', 'thon-1');
  await agent('rx-p2', 'thon-2');
  await agent('rx-slow', 'thon-2', 2500);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('live progress', () => {
  it('streams per-hamlet progress, lists and retries a silent receiver, and ends when every receiver has an outcome', async () => {
    // Every hamlet with receivers is the whole commune: confirmed first.
    const sent = await broadcastConfirmed(tc, {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1', 'thon-2'] },
      priority: 'priority',
    });
    expect(sent.status).toBe(201);
    const events = await readEvents(`/api/broadcasts/${sent.body.id}/events`, (e) =>
      e.some((x) => x.event === 'complete'),
    );
    const coverage = events.filter((e) => e.event === 'coverage');
    expect(coverage.length).toBeGreaterThanOrEqual(2);
    expect(coverage[0].data.hamlets.map((h: any) => h.hamlet_id)).toEqual(['thon-1', 'thon-2']);
    const retry = events.find((e) => e.event === 'retry');
    expect(retry?.data.receivers.map((r: any) => r.receiver_id)).toContain('rx-slow');
    const complete = events.find((e) => e.event === 'complete')!;
    expect(complete.data.totals).toMatchObject({ targeted: 3, finished: 3 });
  }, 30_000);

  it('answers an unknown broadcast with 404 before any stream', async () => {
    const res = await fetch(`${tc.url}/api/broadcasts/00000000-0000-4000-8000-000000000000/events`, {
      headers: { authorization: `Bearer ${tc.token}` },
    });
    expect(res.status).toBe(404);
  });
});
