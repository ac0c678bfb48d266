/**
 * Playlists as extended M3U (UTF-8), so they move between this controller and ordinary radio
 * tools. Items refer to media already uploaded (`media:<id>`) or to an approved bulletin
 * (`#EXT-X-TT-BULLETIN:<id>`); `#EXT-X-TT-OPENING` / `#EXT-X-TT-CLOSING` mark the next entry as
 * the opening or closing jingle (nhạc hiệu). The format is documented in playlists/README.md.
 */
export interface M3uEntry {
  role: 'opening' | 'item' | 'closing';
  title: string | null;
  duration_s: number | null;
  ref: { media_id: string } | { bulletin_id: string };
}

export interface M3uPlaylist {
  name: string | null;
  entries: M3uEntry[];
}

export class M3uError extends Error {
  constructor(readonly line: number, readonly problem_vi: string, readonly problem_en: string) {
    super(`line ${line}: ${problem_en}`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseM3u(text: string): M3uPlaylist {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!lines[0]?.startsWith('#EXTM3U')) throw new M3uError(1, 'tệp phải bắt đầu bằng #EXTM3U', 'the file must start with #EXTM3U');
  let name: string | null = null;
  let role: M3uEntry['role'] = 'item';
  let title: string | null = null;
  let duration: number | null = null;
  const entries: M3uEntry[] = [];
  const push = (ref: M3uEntry['ref']) => {
    entries.push({ role, title, duration_s: duration, ref });
    role = 'item';
    title = null;
    duration = null;
  };
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const n = index + 1;
    if (n === 1 || line === '') return;
    if (line.startsWith('#PLAYLIST:')) name = line.slice('#PLAYLIST:'.length).trim() || null;
    else if (line === '#EXT-X-TT-OPENING') role = 'opening';
    else if (line === '#EXT-X-TT-CLOSING') role = 'closing';
    else if (line.startsWith('#EXTINF:')) {
      const m = /^#EXTINF:(-?\d+(?:\.\d+)?)\s*,(.*)$/.exec(line);
      if (!m) throw new M3uError(n, '#EXTINF cần dạng #EXTINF:<giây>,<tên>', '#EXTINF needs the form #EXTINF:<seconds>,<title>');
      duration = Number(m[1]) >= 0 ? Number(m[1]) : null;
      title = m[2].trim() || null;
    } else if (line.startsWith('#EXT-X-TT-BULLETIN:')) {
      const id = line.slice('#EXT-X-TT-BULLETIN:'.length).trim();
      if (!UUID.test(id)) throw new M3uError(n, `mã bản tin "${id}" không hợp lệ`, `bulletin id "${id}" is not valid`);
      push({ bulletin_id: id });
    } else if (line.startsWith('#EXT-X-TT-RELAY:')) {
      throw new M3uError(n, 'không đặt tiếp sóng trong danh sách phát; hãy tạo một lịch phát riêng có relay (url, duration_s) ngay sau phiên này',
        'relays do not go inside a playlist; make a schedule of its own with relay (url, duration_s) right after this session');
    } else if (line.startsWith('#')) {
      // Other tags (#EXTGRP, #EXTIMG, …) carry nothing we use.
    } else if (line.startsWith('media:')) {
      const id = line.slice('media:'.length);
      if (!UUID.test(id)) throw new M3uError(n, `mã tệp âm thanh "${id}" không hợp lệ`, `media id "${id}" is not valid`);
      push({ media_id: id.toLowerCase() });
    } else {
      throw new M3uError(n, `"${line.slice(0, 80)}": hãy tải tệp lên trước (POST /api/media) rồi ghi media:<mã>`,
        `"${line.slice(0, 80)}": upload the file first (POST /api/media), then write media:<id>`);
    }
  });
  return { name, entries };
}

export function writeM3u(p: M3uPlaylist): string {
  const out = ['#EXTM3U'];
  if (p.name) out.push(`#PLAYLIST:${p.name.replace(/\r?\n/g, ' ')}`);
  for (const e of p.entries) {
    if (e.role === 'opening') out.push('#EXT-X-TT-OPENING');
    if (e.role === 'closing') out.push('#EXT-X-TT-CLOSING');
    if ('bulletin_id' in e.ref) {
      out.push(`#EXTINF:${e.duration_s ?? -1},${(e.title ?? '').replace(/\r?\n/g, ' ')}`, `#EXT-X-TT-BULLETIN:${e.ref.bulletin_id}`);
    } else {
      out.push(`#EXTINF:${e.duration_s ?? -1},${(e.title ?? '').replace(/\r?\n/g, ' ')}`, `media:${e.ref.media_id}`);
    }
  }
  return `${out.join('\n')}\n`;
}
