/**
 * Every file a loudspeaker plays holds the broadcast profile as ffmpeg's own meter reads the
 * stored MP3 (`ebur128=peak=true`, issue 21): the true peak at or under media.true_peak_db on
 * synthesised speech, loud uploads and rendered playlists; speech within ±0.5 LU of
 * media.loudness_lufs; a warning in words when a source is too quiet to get there; and a file
 * cut short refused with what its header declares and what it holds.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const TARGET_LUFS = -16;
const CEILING_DBTP = -1.5;

let tc: TestController;

/** Integrated loudness and true peak as `ffmpeg -af ebur128=peak=true` prints them. */
function meter(file: string): { lufs: number; dbtp: number } {
  const { stderr } = spawnSync(ffmpegInstaller.path, [
    '-hide_banner',
    '-nostats',
    '-i',
    file,
    '-af',
    'ebur128=peak=true',
    '-f',
    'null',
    '-',
  ]);
  const summary = stderr.toString().split('Summary:').pop()!;
  return {
    lufs: Number(/I:\s+(-?[\d.]+)\s+LUFS/.exec(summary)![1]),
    dbtp: Number(/Peak:\s+(-?[\d.]+|-inf)\s+dBFS/.exec(summary)![1].replace('-inf', '-Infinity')),
  };
}

/** Audio made by ffmpeg from a lavfi source expression. */
function generate(name: string, source: string, args: string[] = []): string {
  const file = join(tc.dir, name);
  execFileSync(ffmpegInstaller.path, [
    '-y',
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    source,
    ...args,
    file,
  ]);
  return file;
}

async function uploadReady(file: string, title: string, headers: Record<string, string> = {}): Promise<any> {
  const up = await uploadFile(tc.url, tc.token, file, file.split('/').pop()!, title);
  expect(up.status, JSON.stringify(up.body)).toBe(202);
  await waitFor(
    async () => (await tc.api('GET', `/api/media/${up.body.id}`)).body.status !== 'processing',
    `${title} transcoded`,
    60_000,
  );
  return (await tc.api('GET', `/api/media/${up.body.id}`, undefined, headers)).body;
}

/** The stored MP3 as a receiver downloads it. */
async function stored(mediaId: string): Promise<string> {
  const res = await fetch(`${tc.url}/api/media/${mediaId}/audio`, { headers: { authorization: `Bearer ${tc.token}` } });
  expect(res.status).toBe(200);
  const file = join(tc.dir, `stored-${mediaId}.mp3`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

beforeAll(async () => {
  tc = await startTestController({ media: { loudness_lufs: TARGET_LUFS, true_peak_db: CEILING_DBTP } });
});

afterAll(async () => {
  await tc?.close();
});

describe('the true-peak ceiling and the loudness target', () => {
  let bulletin: { id: string; file: string };

  it('brings a synthesised bulletin to the target within 0.5 LU, under the ceiling', async () => {
    const text =
      'Ủy ban nhân dân xã thông báo: từ 7h30 ngày 15/12/2026, trạm y tế xã tổ chức tiêm phòng cho trẻ em dưới 5 tuổi. ' +
      'Đề nghị bà con đưa trẻ đến đúng giờ, mang theo sổ tiêm chủng. Thôn 3 mất điện từ 14h đến 16h để sửa đường dây, bà con chú ý.';
    const res = await fetch(`${tc.url}/api/tts/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tc.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(res.status).toBe(200);
    const file = join(tc.dir, 'bulletin.mp3');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const measured = meter(file);
    expect(measured.dbtp).toBeLessThanOrEqual(CEILING_DBTP);
    expect(Math.abs(measured.lufs - TARGET_LUFS)).toBeLessThanOrEqual(0.5);
    // The API says what the file measures, as the meter reads it.
    const media = (await tc.api('GET', `/api/media/${res.headers.get('x-media-id')}`)).body;
    expect(media.loudness_lufs).toBeCloseTo(measured.lufs, 1);
    expect(media.true_peak_dbtp).toBeCloseTo(measured.dbtp, 1);
    expect(media.warning).toBeNull();
    bulletin = { id: media.id, file };
  }, 60_000);

  it('holds the ceiling on loud uploads: a clipping square wave, and quiet tone under full-scale clicks', async () => {
    // Full scale and 3 dB past it: the WAV clips, every sample at the rails.
    const square = generate('square.wav', 'aevalsrc=0.999*(2*gte(sin(2*PI*220*t)\\,0)-1):d=8', [
      '-af',
      'volume=3dB',
      '-ac',
      '2',
    ]);
    // The loudness is in a quiet tone, the peaks in clicks: the gain that brings the tone up
    // drives the clicks far past the ceiling, which only the limiter and the final check hold.
    const clicks = generate(
      'clicks.wav',
      'aevalsrc=0.05*sin(2*PI*220*t)+lt(mod(t\\,0.5)\\,0.01)*(2*gte(sin(2*PI*3000*t)\\,0)-1):d=8',
      ['-af', 'volume=2dB'],
    );
    expect(meter(clicks).dbtp).toBeGreaterThan(0);
    for (const [file, title] of [
      [square, 'Sóng vuông'],
      [clicks, 'Tiếng gõ'],
    ]) {
      const media = await uploadReady(file, title);
      expect(media.status).toBe('ready');
      const measured = meter(await stored(media.id));
      expect(measured.dbtp, title).toBeLessThanOrEqual(CEILING_DBTP);
      expect(Math.abs(measured.lufs - TARGET_LUFS), title).toBeLessThanOrEqual(0.5);
    }
  }, 120_000);

  it('holds the ceiling on a rendered playlist', async () => {
    const tone = await uploadReady(generate('tone.wav', 'aevalsrc=0.9*sin(2*PI*997*t):d=3'), 'Nhạc hiệu');
    const created = await tc.api('POST', '/api/playlists', {
      name: 'Buổi sáng',
      opening_media_id: tone.id,
      closing_media_id: tone.id,
      items: [{ media_id: bulletin.id }, { media_id: bulletin.id }],
    });
    expect(created.status).toBe(201);
    const rendered = (await tc.api('POST', `/api/playlists/${created.body.id}/render`)).body.media;
    expect(rendered.status).toBe('ready');
    expect(rendered.warning).toBeNull(); // the same field as a media item's, in words when there is one
    expect(rendered).not.toHaveProperty('warning_code');
    const measured = meter(await stored(rendered.id));
    expect(measured.dbtp).toBeLessThanOrEqual(CEILING_DBTP);
    expect(Math.abs(measured.lufs - TARGET_LUFS)).toBeLessThanOrEqual(0.5);
  }, 120_000);
});

describe('a source that cannot reach the target', () => {
  it('keeps a -55 LUFS recording with a warning in words, in the API and the list', async () => {
    // A 997 Hz sine at amplitude 0.0025 measures about -55 LUFS (-3 LUFS at full scale).
    const quiet = generate('quiet.wav', 'aevalsrc=0.0025*sin(2*PI*997*t):d=4');
    expect(meter(quiet).lufs).toBeLessThan(-54);
    const media = await uploadReady(quiet, 'Thu âm xa micrô');
    expect(media.status).toBe('ready');
    expect(media.warning.code).toBe('media_warning_too_quiet');
    expect(media.warning.message).toMatch(/quá nhỏ \(-5[56],\d LUFS\)/);
    expect(media.warning.message_en).toMatch(/too quiet \(-5[56]\.\d LUFS\)/);
    expect(media.loudness_lufs).toBeLessThan(TARGET_LUFS - 10);
    const english = (await tc.api('GET', `/api/media/${media.id}`, undefined, { 'accept-language': 'en' })).body;
    expect(english.warning.message).toBe(media.warning.message_en);
    const listed = (await tc.api('GET', '/api/media?scope=library')).body.find((m: any) => m.id === media.id);
    expect(listed.warning.code).toBe('media_warning_too_quiet');

    // Joined with a normal part, it stays quieter than the rest: the joined playlist says so (outsider).
    const normal = await uploadReady(generate('normal-part.wav', 'sine=frequency=440:duration=3'), 'Phần bình thường');
    const playlist = await tc.api('POST', '/api/playlists', {
      name: 'Có phần nhỏ',
      items: [{ media_id: normal.id }, { media_id: media.id }],
    });
    const rendered = (await tc.api('POST', `/api/playlists/${playlist.body.id}/render`)).body.media;
    expect(rendered.status).toBe('ready');
    expect(rendered.warning?.code).toBe('media_warning_playlist_parts');
    expect(rendered.warning.message).toMatch(/^1 phần của danh sách phát có cảnh báo âm lượng/);
  }, 90_000);

  it('does not call a clip too short to measure silent (0.34 s of tone): it says it is too short, and keeps its level', async () => {
    const blip = await uploadReady(generate('blip.wav', 'sine=frequency=500:duration=0.34'), 'Tiếng bíp');
    expect(blip.status).toBe('ready');
    expect(blip.warning).toMatchObject({ code: 'media_warning_too_short' });
    expect(blip.warning.message).toContain('quá ngắn để đo độ to');
    expect(blip.duration_ms).toBeGreaterThan(300);
    // A short clip of true silence is still silent.
    const hush = await uploadReady(generate('hush.wav', 'anullsrc=r=44100:cl=mono', ['-t', '0.3']), 'Im lặng ngắn');
    expect(hush.warning.code).toBe('media_warning_silent');
  });

  it('warns that a silent file will play nothing', async () => {
    const silence = generate('silence.wav', 'anullsrc=r=44100:cl=mono', ['-t', '2']);
    const media = await uploadReady(silence, 'Im lặng');
    expect(media.status).toBe('ready');
    expect(media.warning.code).toBe('media_warning_silent');

    // A playlist joined from it says so under the same name and shape, not as the stored key.
    const playlist = await tc.api('POST', '/api/playlists', { name: 'Im lặng', items: [{ media_id: media.id }] });
    const rendered = (await tc.api('POST', `/api/playlists/${playlist.body.id}/render`)).body.media;
    expect(rendered.status).toBe('ready');
    expect(rendered).not.toHaveProperty('warning_code');
    expect(rendered).not.toHaveProperty('warning_params');
    expect(rendered.warning).toEqual({
      code: 'media_warning_silent',
      message: expect.stringMatching(/im lặng|không có tiếng/),
      message_en: expect.stringMatching(/silent/),
    });
    expect((await tc.api('GET', `/api/media/${rendered.id}`)).body.warning).toEqual(rendered.warning);
  }, 90_000);
});

describe('a file cut short', () => {
  const cut = (file: string, name: string, fraction: number) => {
    const bytes = readFileSync(file);
    const out = join(tc.dir, name);
    writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
    return out;
  };

  it('refuses an MP3 whose Xing header declares 3 s and which holds 0.4 s, and accepts the whole one', async () => {
    const whole = generate('whole.mp3', 'sine=frequency=440:duration=3', [
      '-ac',
      '1',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '128k',
    ]);
    const before = (await tc.api('GET', '/api/media?scope=all&limit=1000')).body.length;
    const refused = await uploadFile(tc.url, tc.token, cut(whole, 'cut.mp3', 0.15), 'cut.mp3', 'Bị cắt');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('upload_truncated');
    expect(refused.body.error.message).toContain('3,0 giây');
    expect(refused.body.error.message).toMatch(/chỉ còn 0,[34] giây/);
    expect(refused.body.error.message_en).toMatch(/says 3\.0 s but only 0\.[34] s/);
    expect((await tc.api('GET', '/api/media?scope=all&limit=1000')).body.length).toBe(before);
    const accepted = await uploadReady(whole, 'Nguyên vẹn');
    expect(accepted.status).toBe('ready');
    expect(accepted.duration_ms).toBeGreaterThan(2900);
  }, 60_000);

  it('refuses a WAV whose data chunk is longer than the bytes that arrived', async () => {
    const whole = generate('whole.wav', 'sine=frequency=440:duration=3', ['-ac', '1']);
    const refused = await uploadFile(tc.url, tc.token, cut(whole, 'cut.wav', 0.5), 'cut.wav', 'Bị cắt');
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('upload_truncated');
    expect(refused.body.error.message_en).toMatch(/says 3\.0 s but only 1\.5 s/);
  });
});
