/**
 * Playlists as M3U, read as players and radio tools write it and written so that they can play
 * it. The format is documented in playlists/README.md.
 *
 * Reading takes ordinary files: with or without `#EXTM3U`; `#EXTINF:<seconds>[ attributes],<title>`
 * (Winamp, VLC, IPTV lists); tags it does not use (`#EXTVLCOPT`, `#EXTGRP`, …) are skipped; an
 * entry is an http(s) URL, a `file:///` URL or a path, relative or absolute, with / or \ (Winamp
 * writes `Music\song.mp3`). Our own tags name what an entry is here: `#EXT-X-TT-MEDIA:<id>` or
 * `#EXT-X-TT-BULLETIN:<id>` before the entry's URL (the URL is then only for players), and
 * `#EXT-X-TT-OPENING` / `#EXT-X-TT-CLOSING` make the next entry the opening or closing jingle.
 * Older exports' `media:<id>` lines and a bulletin tag with no URL after it still read.
 *
 * Reading never stops at the first bad line: every problem is collected with its line, so a person
 * fixes the file once.
 */
import type { MessageKey, MessageParams } from '../i18n/messages.js';

export type M3uRef =
  | { media_id: string }
  | { bulletin_id: string }
  /** An http(s) URL: fetched and uploaded. */
  | { url: string }
  /** A local path or file:// URL: matched by its file name against uploaded audio. */
  | { file_name: string };

export interface M3uEntry {
  line: number;
  role: 'opening' | 'item' | 'closing';
  title: string | null;
  duration_s: number | null;
  ref: M3uRef;
}

/** A line that cannot be used, in catalogue words (the key's params include the line). */
export interface M3uProblem {
  line: number;
  key: MessageKey;
  params: MessageParams;
}

export interface M3uPlaylist {
  name: string | null;
  entries: M3uEntry[];
  problems: M3uProblem[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** #EXTINF:<seconds>[ key="value"…],<title>; the title is everything after the first comma. */
const EXTINF = /^#EXTINF:\s*(-?\d+(?:\.\d+)?)?[^,]*,?(.*)$/i;

/** The last part of a path written with / or \ (Windows). */
const baseName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? '';

function location(text: string): M3uRef | { problem: MessageKey } {
  if (/^https?:\/\//i.test(text)) {
    try {
      return { url: new URL(text).href };
    } catch {
      return { problem: 'm3u_line_bad_url' };
    }
  }
  if (/^file:\/\//i.test(text)) {
    try {
      return { file_name: baseName(decodeURIComponent(new URL(text).pathname)) };
    } catch {
      return { problem: 'm3u_line_bad_url' };
    }
  }
  // rtsp://, mms://, ftp://, smb://: not something to upload from. A drive letter (C:\) is a path.
  if (/^[a-z][a-z0-9+.-]+:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) return { problem: 'm3u_line_scheme' };
  const name = baseName(text);
  return name ? { file_name: name.normalize('NFC') } : { problem: 'm3u_line_bad_url' };
}

export function parseM3u(text: string): M3uPlaylist {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let name: string | null = null;
  let role: M3uEntry['role'] = 'item';
  let title: string | null = null;
  let duration: number | null = null;
  /** An entry named by our tag, waiting for the URL line players read (or for the next entry, in older files). */
  let pending: M3uEntry | null = null;
  const entries: M3uEntry[] = [];
  const problems: M3uProblem[] = [];
  const problem = (line: number, key: MessageKey, params: MessageParams = {}) =>
    problems.push({ line, key, params: { line, ...params } });
  const flush = () => {
    if (pending) entries.push(pending);
    pending = null;
  };
  const entry = (line: number, ref: M3uRef): M3uEntry => {
    const e = { line, role, title, duration_s: duration, ref };
    role = 'item';
    title = null;
    duration = null;
    return e;
  };
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const n = index + 1;
    if (line === '' || /^#EXTM3U\b/i.test(line)) return;
    if (line.startsWith('#PLAYLIST:')) name = line.slice('#PLAYLIST:'.length).trim() || null;
    else if (line === '#EXT-X-TT-OPENING' || line === '#EXT-X-TT-CLOSING') {
      flush();
      role = line === '#EXT-X-TT-OPENING' ? 'opening' : 'closing';
    } else if (/^#EXTINF:/i.test(line)) {
      flush();
      const m = EXTINF.exec(line);
      duration = m?.[1] !== undefined && Number(m[1]) >= 0 ? Number(m[1]) : null;
      title = m?.[2].trim() || null;
    } else if (line.startsWith('#EXT-X-TT-BULLETIN:') || line.startsWith('#EXT-X-TT-MEDIA:')) {
      flush();
      const bulletin = line.startsWith('#EXT-X-TT-BULLETIN:');
      const id = line.slice(line.indexOf(':') + 1).trim();
      if (!UUID.test(id)) problem(n, bulletin ? 'm3u_line_bulletin_id' : 'm3u_line_media_id', { id: id.slice(0, 80) });
      else pending = entry(n, bulletin ? { bulletin_id: id.toLowerCase() } : { media_id: id.toLowerCase() });
    } else if (line.startsWith('#EXT-X-TT-RELAY:')) {
      problem(n, 'm3u_line_relay');
    } else if (line.startsWith('#')) {
      // Other tags (#EXTVLCOPT, #EXTGRP, #EXTIMG, …) and comments carry nothing we use.
    } else if (pending) {
      // The URL players read for an entry our tag already named.
      flush();
    } else if (line.startsWith('media:')) {
      const id = line.slice('media:'.length);
      if (!UUID.test(id)) problem(n, 'm3u_line_media_id', { id: id.slice(0, 80) });
      else entries.push(entry(n, { media_id: id.toLowerCase() }));
    } else {
      const where = location(line);
      if ('problem' in where) problem(n, where.problem, { text: line.slice(0, 120) });
      else entries.push(entry(n, where));
    }
  });
  flush();
  return { name, entries, problems };
}

/** What an exported entry is, and the absolute URL a player fetches it from. */
export interface M3u8Entry {
  role: M3uEntry['role'];
  title: string;
  /** The audio's length; null while it is not known yet. */
  duration_s: number | null;
  ref: { media_id: string } | { bulletin_id: string };
  url: string;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/**
 * The two flavours of the export. `list` is a plain extended M3U: VLC, mpv and Winamp show it as
 * a list of tracks. `hls` is also a complete (VOD) HLS media playlist (RFC 8216), which ffmpeg's
 * HLS reader needs: without #EXT-X-ENDLIST it takes a list for a live stream, starts three
 * entries from the end and waits for more. The HLS tags are not in the list flavour because VLC
 * and mpv hand any file carrying them (#EXT-X-VERSION, -TARGETDURATION, -ENDLIST, …) to their
 * HLS reader, which plays it as one stream with no tracks, and VLC 3's HLS reader has no demuxer
 * for .mp3 segments at all.
 */
export type M3u8Flavour = 'list' | 'hls';

/**
 * Extended M3U in UTF-8 (.m3u8): every entry a URL a player opens, after our tags naming it. Both
 * flavours import back (our tags and the HLS ones are skipped as players skip them).
 */
export function writeM3u8(p: { name: string | null; entries: M3u8Entry[] }, flavour: M3u8Flavour = 'list'): string {
  const hls = flavour === 'hls';
  const out = ['#EXTM3U'];
  if (hls) {
    // Seconds with decimals need version 3; every #EXTINF, rounded, must fit the target duration.
    const longest = Math.max(1, ...p.entries.map((e) => Math.ceil(e.duration_s ?? 0)));
    out.push('#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${longest}`, '#EXT-X-MEDIA-SEQUENCE:0');
    out.push('#EXT-X-PLAYLIST-TYPE:VOD');
  }
  if (p.name) out.push(`#PLAYLIST:${oneLine(p.name)}`);
  p.entries.forEach((e, i) => {
    // Each entry is its own MP3 whose time starts at zero again: HLS requires saying so.
    if (hls && i > 0) out.push('#EXT-X-DISCONTINUITY');
    if (e.role === 'opening') out.push('#EXT-X-TT-OPENING');
    if (e.role === 'closing') out.push('#EXT-X-TT-CLOSING');
    out.push(`#EXTINF:${seconds(e.duration_s, hls)},${oneLine(e.title)}`);
    out.push('bulletin_id' in e.ref ? `#EXT-X-TT-BULLETIN:${e.ref.bulletin_id}` : `#EXT-X-TT-MEDIA:${e.ref.media_id}`);
    out.push(e.url);
  });
  if (hls) out.push('#EXT-X-ENDLIST');
  return `${out.join('\n')}\n`;
}

/** Whole seconds for players (-1 when unknown, as Winamp writes); to the millisecond for HLS. */
function seconds(duration: number | null, hls: boolean): string {
  if (hls) return String(Math.round((duration ?? 0) * 1000) / 1000);
  return duration === null ? '-1' : String(Math.round(duration));
}

export class M3uCharsetError extends Error {}

/**
 * The text of an M3U file by its name: `.m3u8` is UTF-8 by definition (refused when it is not);
 * `.m3u` is whatever the writer's system used: UTF-8 when the bytes are valid UTF-8 (VLC, newer
 * tools), else Windows-1252 (Winamp and other Windows programs; latin-1 is its subset).
 */
export function decodeM3u(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (/\.m3u8$/i.test(fileName)) throw new M3uCharsetError('an .m3u8 file that is not UTF-8');
    return windows1252(bytes);
  }
}

/**
 * Windows-1252 by hand: Node's TextDecoder('windows-1252') decodes as latin-1, turning Winamp's
 * curly quotes, dashes and € (0x80-0x9F) into C1 control codes. Five bytes there are unassigned
 * and are kept as their code points, as the WHATWG encoding standard does.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
function windows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}
