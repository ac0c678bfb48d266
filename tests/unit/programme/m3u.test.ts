/** The M3U reader and writer as pure functions: what players write, our tags, charsets, every problem at once. */
import { describe, expect, it } from 'vitest';
import { decodeM3u, M3uCharsetError, parseM3u, writeM3u8, type M3u8Entry } from '../../../controller/programme/m3u.js';

const A = '3f0c8a3e-2c1b-4d7e-9a55-0b1c2d3e4f50';
const B = '6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d';

describe('reading M3U', () => {
  it('takes a plain list with no header, paths with either slash, and file:// URLs by their file name', () => {
    const p = parseM3u(
      'Music\\Bài 1.mp3\r\n/srv/nhac/bai-2.ogg\r\nfile:///C:/Nh%E1%BA%A1c/bai%203.mp3\r\nC:\\Loa\\bai-4.wav\r\n',
    );
    expect(p.problems).toEqual([]);
    expect(p.entries.map((e) => e.ref)).toEqual([
      { file_name: 'Bài 1.mp3' },
      { file_name: 'bai-2.ogg' },
      { file_name: 'bai 3.mp3' },
      { file_name: 'bai-4.wav' },
    ]);
  });

  it('reads #EXTINF as Winamp, VLC and IPTV lists write it, and skips the tags it does not use', () => {
    const p = parseM3u(
      '#EXTM3U\n#EXTINF:123,Artist - Title, with a comma\n#EXTVLCOPT:network-caching=1000\nhttp://127.0.0.1/a.mp3\n#EXTINF:-1 tvg-id="x" group-title="Tin",Kênh xã\n#EXTGRP:Tin\nb.mp3\n',
    );
    expect(p.entries).toMatchObject([
      { line: 4, title: 'Artist - Title, with a comma', duration_s: 123, ref: { url: 'http://127.0.0.1/a.mp3' } },
      { line: 7, title: 'Kênh xã', duration_s: null, ref: { file_name: 'b.mp3' } },
    ]);
  });

  it("takes the entry our tag names and reads the URL after it only as the player's link", () => {
    const p = parseM3u(
      writeM3u8({
        name: 'Sáng',
        entries: [
          {
            role: 'opening',
            title: 'Nhạc hiệu',
            duration_s: 30,
            ref: { media_id: A },
            url: 'http://h/public/media/1/s/a.mp3',
          },
          {
            role: 'item',
            title: 'Tin',
            duration_s: 95,
            ref: { bulletin_id: B },
            url: 'http://h/public/media/1/s/b.mp3',
          },
        ],
      }),
    );
    expect(p).toEqual({
      name: 'Sáng',
      problems: [],
      entries: [
        { line: 5, role: 'opening', title: 'Nhạc hiệu', duration_s: 30, ref: { media_id: A } },
        { line: 8, role: 'item', title: 'Tin', duration_s: 95, ref: { bulletin_id: B } },
      ],
    });
  });

  it('still reads older exports: media:<id>, and a bulletin tag with no URL after it', () => {
    const p = parseM3u(
      `#EXTM3U\n#EXTINF:-1,Tin\n#EXT-X-TT-BULLETIN:${B}\n#EXT-X-TT-CLOSING\n#EXTINF:30,Hết\nmedia:${A}\n`,
    );
    expect(p.entries.map((e) => [e.role, e.ref])).toEqual([
      ['item', { bulletin_id: B }],
      ['closing', { media_id: A }],
    ]);
  });

  it('collects every bad line, with its number, instead of stopping at the first', () => {
    const p = parseM3u('#EXTM3U\nrtsp://cam/1\n#EXT-X-TT-MEDIA:nope\nmedia:12\n#EXT-X-TT-RELAY:http://x\nok.mp3\n');
    expect(p.problems.map((x) => [x.line, x.key])).toEqual([
      [2, 'm3u_line_scheme'],
      [3, 'm3u_line_media_id'],
      [4, 'm3u_line_media_id'],
      [5, 'm3u_line_relay'],
    ]);
    expect(p.entries.map((e) => e.ref)).toEqual([{ file_name: 'ok.mp3' }]);
  });
});

describe('writing M3U', () => {
  const entries = [
    { role: 'opening', title: 'Nhạc hiệu', duration_s: 30.2, ref: { media_id: A }, url: 'http://h/a.mp3' },
    { role: 'item', title: 'Tin', duration_s: 95.0456, ref: { bulletin_id: B }, url: 'http://h/b.mp3' },
    { role: 'closing', title: 'Hết', duration_s: null, ref: { media_id: A }, url: 'http://h/a.mp3' },
  ] as const satisfies M3u8Entry[];

  it('writes a list for players: whole seconds, -1 when unknown, no HLS tags (VLC would play one stream)', () => {
    const text = writeM3u8({ name: 'Sáng', entries: [...entries] });
    expect(text).not.toMatch(/#EXT-X-(VERSION|TARGETDURATION|MEDIA-SEQUENCE|PLAYLIST-TYPE|DISCONTINUITY|ENDLIST)/);
    expect(text.split('\n').filter((l) => l.startsWith('#EXTINF'))).toEqual([
      '#EXTINF:30,Nhạc hiệu',
      '#EXTINF:95,Tin',
      '#EXTINF:-1,Hết',
    ]);
  });

  it('writes a complete VOD HLS playlist for ffmpeg: target duration, discontinuities, an end mark', () => {
    const text = writeM3u8({ name: 'Sáng', entries: [...entries] }, 'hls');
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-TARGETDURATION:96', // the longest, 95.05 s, rounded up
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-PLAYLIST-TYPE:VOD',
        '#PLAYLIST:Sáng',
        '#EXT-X-TT-OPENING',
        '#EXTINF:30.2,Nhạc hiệu',
        `#EXT-X-TT-MEDIA:${A}`,
        'http://h/a.mp3',
        '#EXT-X-DISCONTINUITY',
        '#EXTINF:95.046,Tin',
        `#EXT-X-TT-BULLETIN:${B}`,
        'http://h/b.mp3',
        '#EXT-X-DISCONTINUITY',
        '#EXT-X-TT-CLOSING',
        '#EXTINF:0,Hết',
        `#EXT-X-TT-MEDIA:${A}`,
        'http://h/a.mp3',
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
  });

  it('reads both flavours back as the same entries', () => {
    const list = parseM3u(writeM3u8({ name: 'Sáng', entries: [...entries] }));
    const hls = parseM3u(writeM3u8({ name: 'Sáng', entries: [...entries] }, 'hls'));
    expect(hls.problems).toEqual([]);
    expect(hls.name).toBe('Sáng');
    const what = (p: typeof list) => p.entries.map((e) => [e.role, e.title, e.ref]);
    expect(what(hls)).toEqual(what(list));
    expect(what(hls)).toEqual(entries.map((e) => [e.role, e.title, e.ref]));
  });
});

describe('the charset of an M3U file', () => {
  const cp1252 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x92, 0x73]); // "Café’s" in Windows-1252
  it('reads an .m3u as UTF-8 when it is, else as Windows-1252', () => {
    expect(decodeM3u(Buffer.from('Nhạc hiệu', 'utf8'), 'list.m3u')).toBe('Nhạc hiệu');
    expect(decodeM3u(cp1252, 'LIST.M3U')).toBe('Café’s');
  });
  it('holds an .m3u8 to UTF-8', () => {
    expect(decodeM3u(Buffer.from('\uFEFFNhạc', 'utf8'), 'a.m3u8')).toBe('Nhạc'); // the BOM is not text
    expect(() => decodeM3u(cp1252, 'a.m3u8')).toThrow(M3uCharsetError);
  });
});
