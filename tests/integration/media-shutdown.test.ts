/**
 * Stopping the controller while audio is still being made: shutdown waits for every accept and
 * transcode under way before the database closes (none is left to write into a closed database,
 * which once surfaced as an unhandled rejection), refuses new work with a clear message, and no
 * item is left "processing" for ever after the restart.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTone, uploadFile } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

const opened: TestController[] = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
process.on('unhandledRejection', onRejection);

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  for (const tc of opened.reverse()) await tc.close().catch(() => {});
});

describe('shutdown with media work under way', () => {
  it('waits for uploads being made, refuses new ones, and leaves nothing processing', async () => {
    const first = await startTestController({}, { keepDir: true });
    opened.push(first); // stopped below; closed at the end for its Mosquitto (an external broker)
    const tone = makeTone(join(first.dir, 'tone.wav'), 20);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const up = await uploadFile(first.url, first.token, tone, `tone-${i}.wav`, `Bản tin ${i}`);
      expect(up.status).toBe(202);
      ids.push(up.body.id);
    }
    // A CAP poll or a synthesis that began just before the stop: already accepting.
    const late = first.controller.media.accept(join(first.dir, 'tone.wav'), 'Muộn', {
      id: 'test',
      ip: '127.0.0.1',
    } as never);
    await first.controller.stop();
    await expect(late).resolves.toMatchObject({ title: 'Muộn' });

    // After the stop: refused with words, never written into the closed database.
    const after = makeTone(join(first.dir, 'after.wav'), 1);
    await expect(
      first.controller.media.accept(after, 'Sau khi dừng', { id: 'test', ip: '127.0.0.1' } as never),
    ).rejects.toMatchObject({ code: 'controller_stopping', kind: 'conflict' });
    await new Promise((r) => setTimeout(r, 200));
    expect(rejections).toEqual([]);

    const second = await startTestController({}, { dir: first.dir });
    opened.push(second);
    const list = await second.api('GET', '/api/media?limit=100');
    const states = (Array.isArray(list.body) ? list.body : (list.body.items ?? list.body.media))
      .filter((m: { id: string }) => ids.includes(m.id))
      .map((m: { status: string }) => m.status);
    expect(states).toHaveLength(3);
    for (const s of states) expect(s).toBe('ready');
  }, 120_000);
});
