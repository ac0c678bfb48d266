/**
 * The whole loop with real parts: controller, embedded broker, SQLite file, ffmpeg, and
 * simulated receivers that are real agents with their own credentials.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let fleet: Fleet;
let media: any;

const coverageOf = async (id: string) => (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body;

beforeAll(async () => {
  tc = await startTestController();
  fleet = new Fleet({
    controllerUrl: tc.url,
    token: tc.token,
    hamlets: ['thon-1', 'thon-2'],
    perHamlet: 2,
    stateDir: join(tc.dir, 'agents'),
    store: 'file',
    speed: 0.05,
  });
  await fleet.start();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
});

afterAll(async () => {
  await fleet?.stop();
  await tc?.close();
});

describe('the broadcast loop', () => {
  it('normalises the upload to the broadcast loudness (-16 LUFS) under the true-peak ceiling', async () => {
    const { spawnSync } = await import('node:child_process');
    const ffmpegPath = (await import('@ffmpeg-installer/ffmpeg')).default.path;
    const file = join(tc.dir, 'data', 'media', `${media.id}.mp3`);
    const { stderr } = spawnSync(ffmpegPath, [
      '-hide_banner',
      '-i',
      file,
      '-af',
      'loudnorm=print_format=summary',
      '-f',
      'null',
      '-',
    ]);
    const text = stderr.toString();
    expect(Math.abs(Number(/Input Integrated:\s+(-?[\d.]+)/.exec(text)![1]) - -16)).toBeLessThan(1);
    expect(Number(/Input True Peak:\s+(-?[\d.]+)/.exec(text)![1])).toBeLessThanOrEqual(-1);
    const { execFileSync } = await import('node:child_process');
    const ffprobePath = (await import('@ffprobe-installer/ffprobe')).default.path;
    expect(
      execFileSync(ffprobePath, ['-v', 'error', '-show_entries', 'stream=channels,codec_name', '-of', 'csv=p=0', file])
        .toString()
        .trim(),
    ).toBe('mp3,1');
  });

  it('transcodes an upload to a mono MP3 with its hash, size and duration', () => {
    expect(media.status).toBe('ready');
    expect(media.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(media.size_bytes).toBeGreaterThan(1000);
    expect(media.duration_ms).toBeGreaterThan(1900);
    expect(media.duration_ms).toBeLessThan(2200);
  });

  it('plays a broadcast in the chosen hamlet only, and coverage shows every receiver finished', async () => {
    const res = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'normal',
      volume_pct: 70,
    });
    expect(res.status).toBe(201);
    expect(res.body.targeted_receivers).toBe(2);
    const coverage = await waitFor(async () => {
      const c = await coverageOf(res.body.id);
      return c.totals.finished === 2 ? c : undefined;
    }, 'both thon-1 receivers to finish');
    expect(coverage.complete).toBe(true);
    expect(coverage.hamlets.map((h: any) => h.hamlet_id)).toEqual(['thon-1']);
    expect(coverage.hamlets[0].receivers.map((r: any) => [r.receiver_id, r.outcome])).toEqual([
      ['sim-thon-1-001', 'finished'],
      ['sim-thon-1-002', 'finished'],
    ]);
    for (const r of coverage.hamlets[0].receivers) {
      expect(r.received_at <= r.downloaded_at && r.downloaded_at <= r.started_at && r.started_at <= r.finished_at).toBe(
        true,
      );
    }
    expect(coverage.households_reached).toBe(100);
    // Receivers of thon-2 heard nothing.
    await new Promise((r) => setTimeout(r, 200));
    const thon2 = fleet.agents.filter((a) => a.id.startsWith('sim-thon-2'));
    for (const agent of thon2) expect(agent.pendingAckCount()).toBe(0);
  });

  it('reaches the whole commune and single receivers, and every targeted receiver is accounted for', async () => {
    const all = await broadcastConfirmed(tc, { media_id: media.id, target: { all: true }, priority: 'priority' });
    expect(all.status).toBe(201);
    expect(all.body.targeted_receivers).toBe(4);
    await waitFor(async () => (await coverageOf(all.body.id)).totals.finished === 4, 'all four to finish');

    const one = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['sim-thon-2-002'] },
    });
    expect(one.status).toBe(201);
    const c = await waitFor(async () => {
      const cov = await coverageOf(one.body.id);
      return cov.totals.finished === 1 ? cov : undefined;
    }, 'the single receiver to finish');
    expect(c.totals.targeted).toBe(1);
    expect(c.hamlets[0].receivers[0].receiver_id).toBe('sim-thon-2-002');
  });

  it('empties every agent outbox once the controller confirms storing the acks', async () => {
    await waitFor(() => fleet.agents.every((a) => a.pendingAckCount() === 0), 'outboxes to drain');
    // four stages each: 2 receivers, then 4, then 1
    expect(tc.controller.health().acks.stored).toBe(4 * (2 + 4 + 1));
  });

  it('marks the receivers online through their retained status', async () => {
    const list = (await tc.api('GET', '/api/receivers')).body as any[];
    const sims = list.filter((r) => r.id.startsWith('sim-'));
    expect(sims).toHaveLength(4);
    expect(sims.every((r) => r.status === 'online' && r.enrolled)).toBe(true);
  });

  it("keeps every receiver's signature on its acks, so that an altered ack is found", async () => {
    const list = (await tc.api('GET', '/api/broadcasts')).body as any[];
    const id = list.at(-1).id; // the first broadcast
    const ok = (await tc.api('GET', `/api/broadcasts/${id}/verify`)).body;
    expect(ok).toMatchObject({ checked: 8, bad: [] });
    // Someone with database access rewrites when a receiver finished.
    tc.controller.db.exec('DROP TRIGGER acks_no_update');
    tc.controller.db
      .prepare(
        "UPDATE acks SET at = '2026-01-01T00:00:00.000Z' WHERE broadcast_id = ? AND receiver_id = 'sim-thon-1-001' AND stage = 'finished'",
      )
      .run(id);
    const found = (await tc.api('GET', `/api/broadcasts/${id}/verify`)).body;
    expect(found.bad).toEqual([
      {
        receiver_id: 'sim-thon-1-001',
        command_id: expect.any(String),
        stage: 'finished',
        problem: 'signature does not match',
      },
    ]);
  });

  it('records every broadcast in the audit log with a whole hash chain', async () => {
    const log = (await tc.api('GET', '/api/audit?limit=1000')).body as any[];
    expect(log.filter((e) => e.action === 'broadcast.created')).toHaveLength(3);
    expect(log.filter((e) => e.action === 'receiver.enrolled')).toHaveLength(4);
    // The whole proof is checked; an earlier test here edited an ack on purpose, so only the audit log's own findings count.
    const verdict = (await tc.api('GET', '/api/audit/verify')).body;
    expect(verdict.problems.filter((p: { log: string }) => p.log === 'audit')).toEqual([]);
    expect(verdict.rows).toBeGreaterThan(5);
  });
});

describe('serving media to receivers', () => {
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it('serves the audio to an enrolled receiver with Range and ETag, and refuses everyone else', async () => {
    const enrol = await tc.api('POST', '/api/receivers', { id: 'rx-media-test', hamlet_id: 'thon-3', name: 'Thử tải' });
    expect(enrol.status).toBe(201);
    const secret = enrol.body.agent_config.secret;
    const audioUrl = `${tc.url}/api/media/${media.id}/audio`;

    const full = await fetch(audioUrl, { headers: { authorization: basic('rx-media-test', secret) } });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toContain('audio/mpeg');
    const bytes = Buffer.from(await full.arrayBuffer());
    expect(bytes.length).toBe(media.size_bytes);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(media.sha256);
    const etag = full.headers.get('etag');
    expect(etag).toBeTruthy();

    const part = await fetch(audioUrl, {
      headers: { authorization: basic('rx-media-test', secret), range: 'bytes=0-99' },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 100));

    // fetch() adds "Cache-Control: no-cache" to conditional requests unless one is given.
    const cached = await fetch(audioUrl, {
      headers: { authorization: basic('rx-media-test', secret), 'if-none-match': etag!, 'cache-control': 'max-age=0' },
    });
    expect(cached.status).toBe(304);

    expect((await fetch(audioUrl)).status).toBe(401);
    expect((await fetch(audioUrl, { headers: { authorization: basic('rx-media-test', 'wrong-secret') } })).status).toBe(
      401,
    );
    // A receiver may download audio, nothing else.
    const asReceiver = await fetch(`${tc.url}/api/receivers`, {
      headers: { authorization: basic('rx-media-test', secret) },
    });
    expect(asReceiver.status).toBe(403);

    // After revocation the old secret no longer works.
    expect((await tc.api('DELETE', '/api/receivers/rx-media-test')).status).toBe(204);
    expect((await fetch(audioUrl, { headers: { authorization: basic('rx-media-test', secret) } })).status).toBe(401);
  });

  it('describes every route in the OpenAPI document, tagged by area', async () => {
    const doc = await (await fetch(`${tc.url}/docs/json`)).json();
    const ops = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((p) => Object.values(p));
    expect(ops.length).toBeGreaterThanOrEqual(15);
    const areas = new Set([
      'reports',
      'publishing',
      'programme',
      'hamlets',
      'receivers',
      'media',
      'tts',
      'bulletins',
      'broadcasts',
      'live',
      'coverage',
      'proof',
      'alerts',
      'accounts',
      'system',
    ]);
    for (const op of ops) expect(op.tags?.some((t: string) => areas.has(t))).toBe(true);
    expect((await fetch(`${tc.url}/docs`)).status).toBe(200);
  });
});
