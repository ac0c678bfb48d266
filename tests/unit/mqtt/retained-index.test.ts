/** The retained-message index answers exact subscriptions exactly as aedes's own scan does. */
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { indexRetained } from '../../../controller/mqtt/retained-index.js';

const memory = createRequire(import.meta.url)('aedes-persistence') as () => any;
const packet = (topic: string, payload: string) => ({
  cmd: 'publish',
  topic,
  payload: Buffer.from(payload),
  qos: 1,
  retain: true,
  messageId: 1,
  brokerId: 'b',
  brokerCounter: 1,
});
const topicsOf = async (stream: Readable) =>
  (await stream.toArray()).map((p: { topic: string; payload: Buffer }) => `${p.topic}=${p.payload}`).sort();

async function both(patterns: string[], setup: (p: any) => Promise<void>) {
  const plain = memory();
  const indexed = indexRetained(memory());
  for (const p of [plain, indexed]) {
    await p.setup({ id: 'test' });
    await setup(p);
  }
  return {
    plain: await topicsOf(plain.createRetainedStreamCombi(patterns)),
    indexed: await topicsOf(indexed.createRetainedStreamCombi(patterns)),
  };
}

describe('the retained index', () => {
  const fill = async (p: any) => {
    await p.storeRetained(packet('tt/v1/rx/a/status', 'online-a'));
    await p.storeRetained(packet('tt/v1/rx/b/status', 'online-b'));
    await p.storeRetained(packet('tt/v1/rx/b/status', 'offline-b')); // replaced
    await p.storeRetained(packet('tt/v1/rx/c/status', 'online-c'));
    await p.storeRetained(packet('tt/v1/rx/c/status', '')); // cleared
  };

  it.each([
    [['tt/v1/rx/b/status']],
    [['tt/v1/rx/c/status']],
    [['tt/v1/cmd/rx/a', 'tt/v1/cmd/hamlet/thon-1']],
    [['tt/v1/rx/a/status', 'tt/v1/rx/b/status']],
    [['tt/v1/rx/+/status']],
    [['#']],
  ])('answers %j as the scan does', async (patterns) => {
    const { plain, indexed } = await both(patterns, fill);
    expect(indexed).toEqual(plain);
  });

  it('finds the latest retained message of an exact topic', async () => {
    const { indexed } = await both(['tt/v1/rx/b/status'], fill);
    expect(indexed).toEqual(['tt/v1/rx/b/status=offline-b']);
  });
});
