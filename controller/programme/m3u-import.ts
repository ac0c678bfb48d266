/**
 * Turns a parsed M3U into playlist items: ids are checked, file names are matched against the
 * audio already uploaded, and http(s) URLs are fetched (bounded like an upload) and go through
 * the upload's own pipeline (probed, refused when not audio or too long, transcoded). Every line
 * that cannot be used is collected and the whole list is refused at once, in catalogue words;
 * nothing is fetched while a line that needs no fetching is already wrong.
 */
import { rm } from 'node:fs/promises';
import type { Actor } from '../audit/actor.js';
import type { BulletinsReadModel } from '../bulletins/bulletins-read-model.js';
import { AudioProbeError, probeAudio } from '../audio/audio-pipeline.js';
import { downloadToFile, TooLargeError } from '../cap/cap-download.js';
import { inBoth, t, type MessageParams } from '../i18n/messages.js';
import type { MediaService } from '../media/media-service.js';
import { DomainError } from '../shared/domain-error.js';
import type { M3uEntry, M3uPlaylist, M3uProblem } from './m3u.js';

export interface ResolvedEntry {
  role: M3uEntry['role'];
  title: string | null;
  ref: { media_id: string } | { bulletin_id: string };
}

export interface M3uImporterOptions {
  media: MediaService;
  bulletins: BulletinsReadModel;
  /** The upload limit (media.max_upload_mb), which a fetched file keeps too. */
  max_mb: number;
  /** A whole fetch, headers and body. */
  fetch_timeout_ms: number;
}

const both = (key: M3uProblem['key'], params: MessageParams) => inBoth(key, params);

export class M3uImporter {
  private readonly media: MediaService;
  private readonly bulletins: BulletinsReadModel;
  private readonly maxMb: number;
  private readonly fetchTimeoutMs: number;

  constructor({ media, bulletins, max_mb, fetch_timeout_ms }: M3uImporterOptions) {
    this.media = media;
    this.bulletins = bulletins;
    this.maxMb = max_mb;
    this.fetchTimeoutMs = fetch_timeout_ms;
  }

  async resolve(parsed: M3uPlaylist, actor: Actor): Promise<ResolvedEntry[]> {
    // A file with no entry at all is not a list of bad lines: say so, not that a field is empty.
    if (parsed.problems.length === 0 && parsed.entries.length === 0) throw new DomainError('invalid', 'm3u_empty');
    if (parsed.problems.length === 0 && !parsed.entries.some((e) => e.role === 'item'))
      throw new DomainError('invalid', 'm3u_only_jingles');
    const problems = [...parsed.problems];
    const resolved = new Map<M3uEntry, ResolvedEntry['ref']>();
    for (const e of parsed.entries) {
      const p = (key: M3uProblem['key'], params: MessageParams = {}) =>
        problems.push({ line: e.line, key, params: { line: e.line, ...params } });
      const ref = e.ref;
      if ('media_id' in ref) {
        const m = this.media.find(ref.media_id);
        if (!m) p('m3u_line_media_unknown', { id: ref.media_id });
        else if (m.status === 'failed') p('m3u_line_media_failed', { id: ref.media_id });
        else resolved.set(e, ref);
      } else if ('bulletin_id' in ref) {
        const b = this.bulletins.get(ref.bulletin_id);
        if (!b) p('m3u_line_bulletin_unknown', { id: ref.bulletin_id });
        else if (!b.media_id || (b.status !== 'approved' && b.status !== 'broadcast'))
          p('m3u_line_bulletin_not_ready', { id: ref.bulletin_id, title: b.title });
        else resolved.set(e, ref);
      } else if ('file_name' in ref) {
        const m = this.media.findByFileName(ref.file_name);
        if (!m) p('m3u_line_not_uploaded', { name: ref.file_name });
        else resolved.set(e, { media_id: m.id });
      }
    }
    // URLs are fetched and checked even when other lines are wrong: every line that cannot be
    // used is named in one answer, never one round of problems after another.
    await this.fetchAll(
      parsed.entries.filter((e) => 'url' in e.ref),
      resolved,
      problems,
      actor,
    );
    if (problems.length > 0) throw refusal(problems);
    return parsed.entries.map((e) => ({ role: e.role, title: e.title, ref: resolved.get(e)! }));
  }

  /**
   * Every URL is downloaded and probed first; only when all came and are audio, and no other line
   * is wrong, are they handed to the upload pipeline, so a refused import leaves nothing in the
   * library. A file the pipeline still refuses (too long, cut short) is named like any other line;
   * those accepted before it stay in the library.
   */
  private async fetchAll(
    entries: M3uEntry[],
    resolved: Map<M3uEntry, ResolvedEntry['ref']>,
    problems: M3uProblem[],
    actor: Actor,
  ): Promise<void> {
    const downloaded: { entry: M3uEntry; url: string; path: string }[] = [];
    for (const entry of entries) {
      const url = (entry.ref as { url: string }).url;
      const path = this.media.newIncomingPath();
      try {
        await downloadToFile(url, path, this.maxMb * 1024 * 1024, { timeoutMs: this.fetchTimeoutMs });
        downloaded.push({ entry, url, path });
      } catch (err) {
        const params = { line: entry.line, url };
        if (err instanceof TooLargeError)
          problems.push({
            line: entry.line,
            key: 'm3u_line_fetch_too_large',
            params: { ...params, max_mb: this.maxMb },
          });
        else
          problems.push({
            line: entry.line,
            key: 'm3u_line_fetch_failed',
            params: { ...params, detail: fetchWords(err) },
          });
      }
    }
    for (const { entry, url, path } of downloaded) {
      try {
        await probeAudio(path);
      } catch (err) {
        if (!(err instanceof AudioProbeError)) throw err;
        problems.push({
          line: entry.line,
          key: 'm3u_line_refused',
          params: { line: entry.line, url, reason: both('upload_not_audio', {}) },
        });
      }
    }
    if (problems.length > 0) {
      await Promise.all(downloaded.map((d) => rm(d.path, { force: true })));
      return;
    }
    for (const { entry, url, path } of downloaded) {
      const fileName = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '') || null;
      try {
        const media = await this.media.accept(path, entry.title ?? fileName ?? url, actor, { file_name: fileName });
        resolved.set(entry, { media_id: media.id });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        problems.push({
          line: entry.line,
          key: 'm3u_line_refused',
          params: { line: entry.line, url, reason: both(err.code as M3uProblem['key'], err.params) },
        });
      }
    }
  }
}

/** The connection's own words, short: "HTTP 404", "connect ECONNREFUSED 127.0.0.1:9". */
function fetchWords(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return (e.cause?.message ?? e.message ?? String(err)).slice(0, 120);
}

/** One refusal naming every line, Vietnamese first; `details` lists the line numbers for programs. */
export function refusal(problems: M3uProblem[]): DomainError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  // Each without its own closing full stop: the message puts one after the list.
  const list = (lang: 'vi' | 'en') => sorted.map((p) => t(p.key, lang, p.params).replace(/\.\s*$/, '')).join('; ');
  return new DomainError('invalid', 'm3u_invalid', {
    count: sorted.length,
    problems: { vi: list('vi'), en: list('en') },
    details: sorted.map((p) => p.line).join(','),
  });
}
