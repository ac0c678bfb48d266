/**
 * A bulletin put in the programme keeps its category: its plays count against the plan's weekly
 * targets as the bulletin's own broadcasts do. An outsider scheduled a health bulletin and the
 * report counted it "uncategorised" (session 19): the console's schedule form has no category.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
let bulletinMedia: string;
let tone: { id: string };

beforeAll(async () => {
  tc = await startTestController();
  await enrolReceiver(tc.url, tc.token, 'rx-1', 'thon-1', 'rx-1');
  tone = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  const recording = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  const draft = await tc.api('POST', '/api/bulletins', {
    title: 'Lịch tiêm chủng',
    category: 'health',
    recorded_media_id: recording.id,
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  expect((await tc.api('POST', `/api/bulletins/${draft.body.id}/submit`, {})).status).toBe(200);
  expect((await tc.api('POST', `/api/bulletins/${draft.body.id}/approve`, {})).status).toBe(200);
  bulletinMedia = (await tc.api('GET', `/api/bulletins/${draft.body.id}`)).body.media_id;
  expect(bulletinMedia).toEqual(expect.any(String));
}, 60_000);
afterAll(async () => tc?.close());

const schedule = (media_id: string, extra: object = {}) => ({
  name: 'Bản tin sức khỏe',
  media_id,
  target: { hamlet_ids: ['thon-1'] },
  priority: 'normal',
  start_time: '06:00',
  recurrence: { kind: 'daily' },
  accept_conflicts: true,
  ...extra,
});

describe("a scheduled bulletin's category", () => {
  it("is the bulletin's when none is given, when saved and when changed", async () => {
    const made = await tc.api('POST', '/api/schedules', schedule(bulletinMedia));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.schedule.category).toBe('health');
    const changed = await tc.api('PUT', `/api/schedules/${made.body.schedule.id}`, {
      ...schedule(bulletinMedia),
      start_time: '06:30',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.schedule.category).toBe('health');
  });

  it('is the one given, when one is given; other audio has none unless given', async () => {
    const given = await tc.api('POST', '/api/schedules', schedule(bulletinMedia, { category: 'agriculture' }));
    expect(given.body.schedule.category).toBe('agriculture');
    const plain = await tc.api('POST', '/api/schedules', schedule(tone.id, { start_time: '07:00' }));
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect(plain.body.schedule.category).toBeUndefined();
  });
});
