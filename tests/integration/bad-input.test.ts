/** Bad input gets a clear error in Vietnamese (English beside it) and loses nothing. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTone, uploadFile, uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { uploadWhileSending as sendWhileAnswered } from '../helpers/uploads.js';

let tc: TestController;
let media: any;

beforeAll(async () => {
  tc = await startTestController({ media: { max_upload_mb: 0.5, max_duration_s: 20 } });
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  await tc.api('POST', '/api/receivers', { id: 'rx-bad-1', hamlet_id: 'thon-1', name: 'Cụm loa thử' });
});

afterAll(async () => {
  await tc?.close();
});

const incomingFiles = () => readdirSync(join(tc.dir, 'data', 'media', 'incoming'));

describe('uploads', () => {
  it('refuses random bytes named .mp3 with 422 and a reason', async () => {
    const res = await uploadFile(tc.url, tc.token, randomBytes(20_000), 'bai-hat.mp3');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('upload_not_audio');
    expect(res.body.error.message).toMatch(/không phải âm thanh/);
    expect(res.body.error.message_en).toMatch(/not audio/);
    // Neither the server's file paths nor ffprobe's English reach the person uploading (the technician's `details` keep the reason, without paths).
    expect(`${res.body.error.message} ${res.body.error.message_en}`).not.toMatch(
      /\/tmp|data\/media|incoming|Invalid data|ffprobe/i,
    );
    expect(JSON.stringify(res.body)).not.toMatch(/\/tmp\/|data\/media|incoming/);
  });

  it('refuses a text file and an HLS playlist that points elsewhere', async () => {
    expect((await uploadFile(tc.url, tc.token, Buffer.from('Xin chào bà con'), 'note.txt')).status).toBe(422);
    const playlist = Buffer.from(
      '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n',
    );
    const res = await uploadFile(tc.url, tc.token, playlist, 'list.m3u8');
    expect(res.status).toBe(422);
  });

  it('refuses a concat script before it opens the file it names', async () => {
    // A named pipe beside the uploads: opening it would hang the probe, so a quick answer naming
    // the whitelist shows the file was never opened.
    execFileSync('mkfifo', [join(tc.dir, 'data', 'media', 'incoming', 'secret.fifo')]);
    const script = Buffer.from('ffconcat version 1.0\nfile secret.fifo\n');
    const res = await uploadFile(tc.url, tc.token, script, 'playlist.mp3');
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatch(/whitelist/);
  }, 20_000);

  it('refuses an upload over the size limit with 413 and keeps no partial file', async () => {
    const res = await uploadFile(tc.url, tc.token, randomBytes(800_000), 'big.wav');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('upload_too_large');
    expect(res.body.error.message).toContain('0.5 MB');
    expect(incomingFiles().filter((f) => f.endsWith('.upload'))).toEqual([]);
  });

  const total = 40 * 1024 * 1024; // against the test's 0.5 MB limit
  const uploadWhileSending = (declareLength: boolean) =>
    sendWhileAnswered(new URL('/api/media', tc.url).href, tc.token, { bytes: total, declareLength });

  it('refuses an upload declared over the limit before taking its body in, and the client still reads the 413 while it uploads', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await uploadWhileSending(true);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe('upload_too_large');
      expect(answer.sentWhenAnswered).toBeLessThan(total / 4);
    }
  }, 60_000);

  it('refuses a chunked upload the moment it passes the limit, not after reading the rest (an outsider: 300 MB read, +47 MB of memory)', async () => {
    const before = incomingFiles().length;
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await uploadWhileSending(false);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe('upload_too_large');
      expect(answer.sentWhenAnswered).toBeLessThan(total / 4);
    }
    expect(incomingFiles()).toHaveLength(before);
  }, 60_000);

  it('refuses audio longer than the limit with 422 naming both durations', async () => {
    const res = await uploadFile(
      tc.url,
      tc.token,
      makeTone(join(tc.dir, 'long.mp3'), 30, 1, ['-b:a', '32k']),
      'long.mp3',
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('upload_too_long');
    expect(res.body.error.message_en).toContain('30 s');
    expect(res.body.error.message_en).toContain('20 s');
  });

  it('refuses a request without a file', async () => {
    const form = new FormData();
    form.append('title', 'no file');
    const res = await fetch(`${tc.url}/api/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tc.token}` },
      body: form,
    });
    expect(res.status).toBe(400);
    const json = await fetch(`${tc.url}/api/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tc.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('answers a multipart body cut short with 400, not a server error', async () => {
    const res = await fetch(`${tc.url}/api/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tc.token}`, 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\n\r\nabc',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('upload_malformed');
  });

  it('never uses the uploaded name as a path', async () => {
    const res = await uploadFile(tc.url, tc.token, makeTone(join(tc.dir, 'x.wav'), 1), '../../../../tmp/evil.wav');
    expect(res.status).toBe(202);
    expect(res.body.title).not.toContain('/');
    expect(
      readdirSync(join(tc.dir, 'data', 'media')).every((f) => /^[0-9a-f-]{36}\.mp3(\.part)?$|^incoming$/.test(f)),
    ).toBe(true);
  });
});

describe('broadcasts', () => {
  it('names unknown hamlets and receivers with 404', async () => {
    const h = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1', 'thon-99'] },
    });
    expect(h.status).toBe(404);
    expect(h.body.error.code).toBe('unknown_hamlets');
    expect(h.body.error.message).toContain('thon-99');
    const r = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { receiver_ids: ['rx-ghost'] } });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toContain('rx-ghost');
  });

  it('refuses an empty target, unknown media, a bad priority and an expiry over the limit', async () => {
    expect((await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: {} })).body.error.code).toBe(
      'target_required',
    );
    expect(
      (await tc.api('POST', '/api/broadcasts', { media_id: crypto.randomUUID(), target: { all: true } })).status,
    ).toBe(404);
    const bad = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { all: true },
      priority: 'urgent!!',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.message).toBe(
      'Dữ liệu gửi lên chưa đúng: Mức ưu tiên (priority): phải là một trong: normal, priority, emergency',
    );
    expect(bad.body.error.details).toMatch(/priority/);
    const long = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { all: true },
      expires_in_s: 999_999,
    });
    expect(long.status).toBe(422);
    expect(long.body.error.code).toBe('expiry_too_long');
  });

  it('refuses a hamlet id with MQTT wildcards before it reaches a topic', async () => {
    const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1/#'] } });
    expect(res.status).toBe(400);
  });

  it('answers in English when the client asks for it', async () => {
    const res = await tc.api(
      'POST',
      '/api/broadcasts',
      { media_id: media.id, target: { hamlet_ids: ['thon-99'] } },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(res.body.error.message).toBe(res.body.error.message_en);
    expect(res.body.error.message).toMatch(/^Unknown hamlets/);
  });
});

describe('access', () => {
  it('refuses every API route without a token, and with a wrong one', async () => {
    for (const path of [
      '/api/hamlets',
      '/api/receivers',
      '/api/media',
      '/api/broadcasts',
      '/api/audit',
      '/api/system/status',
    ]) {
      expect((await fetch(tc.url + path)).status, path).toBe(401);
      expect((await fetch(tc.url + path, { headers: { authorization: 'Bearer tt_wrong' } })).status, path).toBe(401);
    }
    expect((await fetch(`${tc.url}/api/system/health`)).status).toBe(200);
  });

  it('answers an unknown route with a 404 that says where to look', async () => {
    const res = await tc.api('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('/docs');
  });

  it('refuses to delete a hamlet that still has receivers', async () => {
    const res = await tc.api('DELETE', '/api/hamlets/thon-1');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('hamlet_not_empty');
  });
});
