/**
 * Playlists as ordinary M3U: files written like Winamp's and VLC's import (names matched against
 * uploads, URLs fetched from a local HTTP server through the upload pipeline, every bad line named
 * at once; an empty file said to be empty), and the exported .m3u8 plays: ffprobe opens its first
 * link and the whole playlist, without an account, and the HLS flavour is read to its last entry
 * by ffmpeg's HLS reader.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHmac } from 'node:crypto';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTone, uploadFile } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/m3u');
const run = promisify(execFile);
let tc: TestController;
let server: Server;
let serverUrl = '';
let toneMp3: Buffer;

beforeAll(async () => {
  tc = await startTestController({ media: { max_upload_mb: 1 } });
  toneMp3 = readFileSync(makeTone(join(tc.dir, 'served.mp3'), 2));
  // A radio station's file server: one MP3, a missing file, one over the upload limit.
  server = createServer((req, res) => {
    if (req.url === '/am-thanh/ban-tin-sang.mp3') res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(toneMp3);
    else if (req.url === '/tin-tuc.xml')
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel/></rss>');
    else if (req.url === '/qua-lon.mp3')
      res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(Buffer.alloc(1_500_000));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  serverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 30_000);
afterAll(async () => {
  server?.close();
  await tc?.close();
});

async function importFile(bytes: Buffer, fileName: string, name?: string) {
  const form = new FormData();
  if (name) form.append('name', name);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  const res = await fetch(`${tc.url}/api/playlists/import/file`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tc.token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** Uploads a tone under a file name (and another title), as a person does from the library page. */
async function uploadNamed(fileName: string, seconds = 1) {
  const up = await uploadFile(
    tc.url,
    tc.token,
    makeTone(join(tc.dir, `${seconds}-${Date.now()}.mp3`), seconds),
    fileName,
    `Tệp ${fileName}`,
  );
  expect(up.status).toBe(202);
  return up.body;
}

const ready = (id: string) =>
  waitFor(
    async () => ((await tc.api('GET', `/api/media/${id}`)).body.status === 'ready' ? true : undefined),
    `media ${id} ready`,
  );
const mediaCount = async () => (await tc.api('GET', '/api/media?limit=1000')).body.length;

describe('importing M3U as players write it', () => {
  it('reads a Winamp playlist: Windows-1252, CRLF, Windows paths matched by file name', async () => {
    const jingle = await uploadNamed('Jingle café.mp3');
    const news = await uploadNamed('news-week.mp3', 2);
    const res = await importFile(readFileSync(join(FIXTURES, 'winamp.m3u')), 'winamp.m3u', 'Buổi sáng (Winamp)');
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Buổi sáng (Winamp)');
    expect(res.body.items.map((i: any) => i.media_id)).toEqual([jingle.id, news.id]);
    // é and the curly apostrophe (0x92) are Windows-1252, not latin-1 control codes.
    expect(res.body.items.map((i: any) => i.title)).toEqual([
      'Café Ensemble - Jingle’s theme',
      'Commune - News of the week',
    ]);

    // The same bytes named .m3u8 claim UTF-8, and are refused as not being it.
    const wrong = await importFile(readFileSync(join(FIXTURES, 'winamp.m3u')), 'winamp.m3u8');
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('m3u_not_utf8');
    expect(wrong.body.error.message).toContain('UTF-8');
  }, 30_000);

  it('reads a VLC playlist: #EXTVLCOPT skipped, an http URL fetched and uploaded, a file:/// URL matched by name', async () => {
    const jingle = await uploadNamed('nhạc-hiệu.mp3');
    const text = readFileSync(join(FIXTURES, 'vlc.m3u8'), 'utf8').replace('{{server}}', serverUrl);
    const res = await importFile(Buffer.from(text), 'vlc.m3u8');
    expect(res.status).toBe(201);
    const [fetched, local] = res.body.items;
    expect(local.media_id).toBe(jingle.id);
    expect(fetched.title).toBe('Đài xã - Bản tin sáng');
    const media = (await tc.api('GET', `/api/media/${fetched.media_id}`)).body;
    expect(media).toMatchObject({
      title: 'Đài xã - Bản tin sáng',
      file_name: 'ban-tin-sang.mp3',
      origin: 'upload',
      source_format: 'mp3',
    });
    await ready(fetched.media_id);
    expect((await tc.api('GET', `/api/media/${fetched.media_id}`)).body.duration_ms).toBeGreaterThan(1_500);
  }, 30_000);

  it('fetches from an HTTP/1.0 server that closes the connection after the body, and stays up', async () => {
    // python3 -m http.server answers so: with undici's fetch the FIN while the body was paused
    // crashed the whole controller (nodejs/undici#5360).
    // Long enough (about 900 KB) that the body is still being written when the FIN comes.
    const body = readFileSync(makeTone(join(tc.dir, 'long.mp3'), 55, 2, ['-b:a', '128k']));
    expect(body.length).toBeGreaterThan(600_000);
    const old = createNetServer((socket) =>
      socket.once('data', () => {
        socket.write('HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n');
        socket.end(body);
      }),
    );
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(old.address() as { port: number }).port}/ban-tin-cu.mp3`;
      const res = await tc.api('POST', '/api/playlists/import', {
        m3u: `#EXTM3U\n#EXTINF:2,Bản tin cũ\n${url}\n`,
        name: 'Từ máy chủ cũ',
      });
      expect(res.status).toBe(201);
      await ready(res.body.items[0].media_id);
      expect((await tc.api('GET', '/api/system/health')).status).toBe(200);
    } finally {
      old.close();
    }
  }, 30_000);

  it('names every line it cannot use at once, in Vietnamese first, keeping none of what it fetched', async () => {
    const before = await mediaCount();
    const text = [
      '#EXTM3U',
      '#EXTINF:10,Nhạc',
      'nhac-hieu-chua-tai.mp3',
      'rtsp://127.0.0.1/song',
      '#EXT-X-TT-BULLETIN:khong-phai-ma',
      `${serverUrl}/am-thanh/ban-tin-sang.mp3`,
      '#EXT-X-TT-RELAY:http://x/y',
    ].join('\n');
    const res = await tc.api('POST', '/api/playlists/import', { m3u: text });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('m3u_invalid');
    const { message, message_en, details } = res.body.error;
    expect(message).toMatch(/^Chưa nhập được danh sách phát: 4 dòng/);
    for (const said of [
      'dòng 3: chưa có tệp "nhac-hieu-chua-tai.mp3" trong thư viện',
      'dòng 4: "rtsp://127.0.0.1/song"',
      'dòng 5: mã bản tin "khong-phai-ma"',
      'dòng 7: không đặt tiếp sóng',
    ]) {
      expect(message).toContain(said);
    }
    expect(message_en).toContain('line 3: there is no "nhac-hieu-chua-tai.mp3" in the library');
    expect(details).toBe('3,4,5,7');
    expect(await mediaCount()).toBe(before);
  });

  it('names every URL it could not fetch, and keeps none of what it fetched', async () => {
    const before = await mediaCount();
    const text = [
      '#EXTM3U',
      `${serverUrl}/am-thanh/ban-tin-sang.mp3`,
      `${serverUrl}/khong-co.mp3`,
      `${serverUrl}/qua-lon.mp3`,
    ].join('\n');
    const res = await tc.api('POST', '/api/playlists/import', { m3u: text });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain(`dòng 3: không tải được ${serverUrl}/khong-co.mp3 (HTTP 404)`);
    expect(res.body.error.message).toContain(`dòng 4: ${serverUrl}/qua-lon.mp3 lớn hơn giới hạn tải lên 1 MB`);
    expect(res.body.error.details).toBe('3,4');
    expect(await mediaCount()).toBe(before);
  });

  it('names a missing file, a dead link and a link that is not audio in the same answer (not in rounds)', async () => {
    const before = await mediaCount();
    const text = [
      '#EXTM3U',
      'chua-tai-len.mp3',
      `${serverUrl}/khong-co.mp3`,
      `${serverUrl}/tin-tuc.xml`,
      `${serverUrl}/am-thanh/ban-tin-sang.mp3`,
    ].join('\n');
    const res = await tc.api('POST', '/api/playlists/import', { m3u: text });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toBe('2,3,4');
    expect(res.body.error.message).toContain('dòng 2: chưa có tệp "chua-tai-len.mp3"');
    expect(res.body.error.message).toContain(`dòng 3: không tải được ${serverUrl}/khong-co.mp3 (HTTP 404)`);
    expect(res.body.error.message).toContain(`dòng 4: ${serverUrl}/tin-tuc.xml: Tệp không phải âm thanh`);
    expect(`${res.body.error.message} ${res.body.error.message_en}`).not.toContain('..');
    expect(await mediaCount()).toBe(before);
  });

  it('says an empty file has no entries and what to do, not which API field is empty', async () => {
    for (const [bytes, name] of [
      [Buffer.alloc(0), 'rong.m3u'],
      [Buffer.from('\uFEFF#EXTM3U\r\n\r\n# chỉ có ghi chú\r\n'), 'chi-ghi-chu.m3u8'],
    ] as const) {
      const res = await importFile(bytes, name);
      expect(res.status, name).toBe(422);
      expect(res.body.error.code).toBe('m3u_empty');
      expect(res.body.error.message).toMatch(/^Tệp M3U không có mục nào để nhập/);
      expect(res.body.error.message).toContain('nhập lại');
      expect(res.body.error.message_en).toMatch(/^The M3U file has no entries to import/);
      expect(`${res.body.error.message} ${res.body.error.message_en}`).not.toMatch(/\bitems\b/);
    }
    const jingleOnly = await tc.api('POST', '/api/playlists/import', {
      m3u: '#EXTM3U\n#EXT-X-TT-OPENING\n#EXTINF:1,Nhạc hiệu\nnhac-hieu.mp3\n',
    });
    expect(jingleOnly.status).toBe(422);
    expect(jingleOnly.body.error.code).toBe('m3u_only_jingles');
  });
});

describe('exporting .m3u8 for players', () => {
  let playlistId = '';
  let bulletinId = '';
  let exported = '';

  it('writes UTF-8 extended M3U: #EXTINF seconds and title, a signed absolute link per entry, a bulletin still named', async () => {
    const jingle = await uploadNamed('nhac-hieu-xuat.mp3', 1);
    const item = await uploadNamed('tin-xa.mp3', 2);
    await ready(jingle.id);
    await ready(item.id);
    const b = await tc.api('POST', '/api/bulletins', {
      title: 'Lịch tiêm chủng',
      category: 'health',
      text: 'Thứ Bảy tiêm chủng tại trạm y tế xã.',
    });
    expect((await tc.api('POST', `/api/bulletins/${b.body.id}/submit`)).status).toBe(200);
    expect((await tc.api('POST', `/api/bulletins/${b.body.id}/approve`)).status).toBe(200);
    bulletinId = b.body.id;
    const created = await tc.api('POST', '/api/playlists', {
      name: 'Buổi sáng',
      opening_media_id: jingle.id,
      items: [{ media_id: item.id, title: 'Tin xã' }, { bulletin_id: bulletinId }],
    });
    expect(created.status).toBe(201);
    playlistId = created.body.id;

    const res = await tc.api('GET', `/api/playlists/${playlistId}/m3u`);
    expect(res.headers.get('content-type')).toBe('audio/x-mpegurl; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${playlistId}.m3u8"; filename*=UTF-8''Bu%E1%BB%95i%20s%C3%A1ng.m3u8`,
    );
    exported = res.body;
    const lines = exported.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#PLAYLIST:Buổi sáng', '#EXT-X-TT-OPENING']);
    const link = /^http:\/\/127\.0\.0\.1:\d+\/public\/media\/\d+\/[A-Za-z0-9_-]{43}\/[0-9a-f-]{36}\.mp3$/;
    expect(lines[3]).toBe('#EXTINF:1,Tệp nhac-hieu-xuat.mp3');
    expect(lines[4]).toBe(`#EXT-X-TT-MEDIA:${jingle.id}`);
    expect(lines[5]).toMatch(link);
    expect(lines.slice(6, 8)).toEqual(['#EXTINF:2,Tin xã', `#EXT-X-TT-MEDIA:${item.id}`]);
    expect(lines[9]).toMatch(/^#EXTINF:\d+,Lịch tiêm chủng$/);
    expect(lines[10]).toBe(`#EXT-X-TT-BULLETIN:${bulletinId}`);
    expect(lines[11]).toMatch(link);
    expect(lines).toHaveLength(12);
  }, 60_000);

  it('links that ffprobe opens without an account, one by one and as a playlist', async () => {
    const links = exported.split('\n').filter((l) => l.startsWith('http'));
    const first = JSON.parse(
      (
        await run(ffprobeInstaller.path, [
          '-v',
          'error',
          '-show_entries',
          'format=format_name,duration',
          '-of',
          'json',
          links[0],
        ])
      ).stdout,
    );
    expect(first.format.format_name).toBe('mp3');
    expect(Number(first.format.duration)).toBeGreaterThan(0.5);
    for (const link of links.slice(1)) {
      expect(
        JSON.parse(
          (
            await run(ffprobeInstaller.path, [
              '-v',
              'error',
              '-show_entries',
              'format=format_name',
              '-of',
              'json',
              link,
            ])
          ).stdout,
        ).format.format_name,
      ).toBe('mp3');
    }

    // The playlist as one input: ffprobe reads an extended M3U through its HLS reader, which
    // fetches the entries (a link refused would fail it). The list flavour carries no HLS-only
    // tags (VLC would play it as one stream rather than a list), so the reader is named; a local
    // file may open http links only when allowed. Reading to the end needs format=hls (below).
    const file = join(tc.dir, 'buoi-sang.m3u8');
    writeFileSync(file, exported);
    const all = JSON.parse(
      (
        await run(ffprobeInstaller.path, [
          '-v',
          'error',
          '-f',
          'hls',
          '-protocol_whitelist',
          'file,http,tcp',
          '-show_entries',
          'format=format_name:stream=codec_name,sample_rate',
          '-of',
          'json',
          file,
        ])
      ).stdout,
    );
    expect(all.format.format_name).toBe('hls');
    expect(all.streams).toEqual([expect.objectContaining({ codec_name: 'mp3' })]);
  }, 30_000);

  it('refuses a link whose signature or expiry was changed', async () => {
    const first = exported.split('\n').find((l) => l.startsWith('http'))!;
    const [, expires, signature, file] = /\/public\/media\/(\d+)\/([^/]+)\/([^/]+)$/.exec(first)!;
    const forged = await fetch(
      first.replace(signature, signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA')),
    );
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('media_link_forged');
    expect((await fetch(first.replace(`/${expires}/`, `/${Number(expires) + 3600}/`))).status).toBe(403);
    // Signed with the controller's own key, but an hour past: expired.
    const key = readFileSync(join(tc.dir, 'data', 'secrets', 'media-link-key'), 'utf8').trim();
    const past = Math.floor(Date.now() / 1000) - 3600;
    const id = file.slice(0, 36);
    const stale = await fetch(
      first.replace(
        `/${expires}/${signature}/`,
        `/${past}/${createHmac('sha256', key).update(`${id}.${past}`).digest('base64url')}/`,
      ),
    );
    expect(stale.status).toBe(403);
    expect((await stale.json()).error.code).toBe('media_link_expired');
  });

  it('imports back as the same items, the bulletin still a bulletin', async () => {
    const res = await tc.api('POST', '/api/playlists/import', { m3u: exported, name: 'Bản sao' });
    expect(res.status).toBe(201);
    const original = (await tc.api('GET', `/api/playlists/${playlistId}`)).body;
    expect(res.body.opening_media_id).toBe(original.opening_media_id);
    expect(res.body.items.map((i: any) => [i.media_id, i.bulletin_id])).toEqual(
      original.items.map((i: any) => [i.media_id, i.bulletin_id]),
    );
    expect(res.body.items[1].bulletin_id).toBe(bulletinId);
  });
});

describe('exporting for ffmpeg and HLS readers (format=hls)', () => {
  const seconds = async (args: string[]) =>
    Number(
      JSON.parse(
        (await run(ffprobeInstaller.path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', ...args]))
          .stdout,
      ).format.duration,
    );

  it('is read by ffmpeg -f hls to the last entry, opened by ffprobe, and imports back', async () => {
    // Five entries: a list without #EXT-X-ENDLIST is live to ffmpeg, which then starts three
    // entries from the end and waits for more (an outsider's `ffmpeg -f hls -i` lost entries so).
    const parts = [];
    for (const [name, s] of [
      ['mo-dau.mp3', 1],
      ['tin-1.mp3', 2],
      ['tin-2.mp3', 1],
      ['tin-3.mp3', 3],
      ['ket-thuc.mp3', 1],
    ] as const)
      parts.push(await uploadNamed(name, s));
    for (const p of parts) await ready(p.id);
    const [opening, ...rest] = parts;
    const closing = rest.pop()!;
    const created = await tc.api('POST', '/api/playlists', {
      name: 'Buổi chiều',
      opening_media_id: opening.id,
      closing_media_id: closing.id,
      items: rest.map((p) => ({ media_id: p.id })),
    });
    expect(created.status).toBe(201);
    const durations = await Promise.all(
      parts.map(async (p) => (await tc.api('GET', `/api/media/${p.id}`)).body.duration_ms / 1000),
    );
    const total = durations.reduce((a, b) => a + b, 0);

    const path = `/api/playlists/${created.body.id}/m3u?format=hls`;
    const res = await tc.api('GET', path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl; charset=utf-8');
    const lines: string[] = res.body.trimEnd().split('\n');
    // RFC 8216: the target duration is at least every #EXTINF rounded; VOD and an end mark.
    const extinf = lines.filter((l) => l.startsWith('#EXTINF:')).map((l) => Number(/^#EXTINF:([\d.]+),/.exec(l)![1]));
    expect(extinf).toHaveLength(5);
    extinf.forEach((d, i) => expect(d).toBeCloseTo(durations[i], 3));
    expect(lines.slice(0, 6)).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      `#EXT-X-TARGETDURATION:${Math.ceil(Math.max(...durations))}`,
      '#EXT-X-MEDIA-SEQUENCE:0',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#PLAYLIST:Buổi chiều',
    ]);
    expect(lines.filter((l) => l === '#EXT-X-DISCONTINUITY')).toHaveLength(4);
    expect(lines.at(-1)).toBe('#EXT-X-ENDLIST');

    // The real ffmpeg, given the export's address as the outsider did: every entry is decoded.
    const auth = ['-headers', `Authorization: Bearer ${tc.token}\r\n`];
    const wav = join(tc.dir, 'buoi-chieu.wav');
    await run(ffmpegInstaller.path, ['-v', 'error', ...auth, '-f', 'hls', '-i', `${tc.url}${path}`, '-y', wav]);
    expect(Math.abs((await seconds([wav])) - total)).toBeLessThan(0.25);
    // ffprobe knows it for HLS by its type alone (the address has no .m3u8) and reads it whole.
    expect(Math.abs((await seconds([...auth, `${tc.url}${path}`])) - total)).toBeLessThan(0.25);

    // It imports back as the same playlist: the HLS tags are skipped as players skip them.
    const back = await tc.api('POST', '/api/playlists/import', { m3u: res.body });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ name: 'Buổi chiều', opening_media_id: opening.id, closing_media_id: closing.id });
    expect(back.body.items.map((i: any) => i.media_id)).toEqual(rest.map((p) => p.id));
  }, 90_000);
});
