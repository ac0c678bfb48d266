/**
 * Media: accept an upload, refuse what is not audio or too long, then transcode it to the
 * broadcast profile in the background (one transcode at a time: this is a 2-core box that also
 * has to answer an emergency). File names on disk are the media id, never the uploaded name.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { AuditLog } from '../audit/audit-log.js';
import { probeAudio, AudioProbeError, sha256File } from '../audio/audio-pipeline.js';
import { transcodeToBroadcast, type BroadcastProfile } from '../audio/broadcast-loudness.js';
import { findTruncation } from '../audio/completeness.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { MessageKey } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import type { Actor } from '../audit/actor.js';
import type { Media, MediaRepository } from './media-repository.js';
import type { MediaOrigin } from './media-read-model.js';

/** speech: transcoded for a voice; origin: who made it (uploads are what the library lists). */
export interface AcceptOptions {
  speech?: boolean;
  origin?: MediaOrigin;
  /** The name of the file it came from (an upload's, or the last part of a fetched URL). */
  file_name?: string | null;
}

export interface MediaLimits {
  max_duration_s: number;
}

export interface MediaServiceOptions {
  dataDir: string;
  repo: MediaRepository;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  profile: BroadcastProfile;
  limits: MediaLimits;
}

export class MediaService {
  readonly mediaDir: string;
  readonly incomingDir: string;
  private queue: Promise<void> = Promise.resolve();
  /** Accepts and transcodes under way: shutdown waits for them before the database closes. */
  private pending = new Set<Promise<unknown>>();
  private closing = false;

  private readonly repo: MediaRepository;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly profile: BroadcastProfile;
  private readonly limits: MediaLimits;

  constructor({ dataDir, repo, audit, clock, log, profile, limits }: MediaServiceOptions) {
    this.repo = repo;
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.profile = profile;
    this.limits = limits;
    this.mediaDir = join(dataDir, 'media');
    this.incomingDir = join(dataDir, 'media', 'incoming');
    mkdirSync(this.incomingDir, { recursive: true });
  }

  start(): void {
    const n = this.repo.failInterrupted();
    if (n > 0) this.log.warn({ count: n }, 'media left processing by a previous run marked failed');
  }

  /** A fresh server-made path for an upload to be streamed into. */
  newIncomingPath(): string {
    return join(this.incomingDir, `${randomUUID()}.upload`);
  }

  /** Probes the uploaded file (4xx when it is not acceptable), records it and queues the transcode. */
  async accept(uploadPath: string, title: string, actor: Actor, options: AcceptOptions = {}): Promise<Media> {
    return (await this.acceptJob(uploadPath, title, actor, options)).media;
  }

  /** As accept, then waits for the transcode: synthesised speech is needed at once. */
  async acceptAndWait(path: string, title: string, actor: Actor, options: AcceptOptions = {}): Promise<Media> {
    const { media, job } = await this.acceptJob(path, title, actor, options);
    await job;
    return this.get(media.id);
  }

  private acceptJob(
    uploadPath: string,
    title: string,
    actor: Actor,
    options: AcceptOptions,
  ): Promise<{ media: Media; job: Promise<void> }> {
    // Refused once shutdown began: a CAP poll or a synthesis still under way would otherwise
    // record media after the database closed.
    if (this.closing)
      return rm(uploadPath, { force: true }).then(() => {
        throw new DomainError('conflict', 'controller_stopping');
      });
    return this.track(this.probeAndQueue(uploadPath, title, actor, options));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async probeAndQueue(
    uploadPath: string,
    title: string,
    actor: Actor,
    options: AcceptOptions,
  ): Promise<{ media: Media; job: Promise<void> }> {
    let probe;
    try {
      probe = await probeAudio(uploadPath);
    } catch (err) {
      await rm(uploadPath, { force: true });
      // ffprobe's own words go to the log and, without the server's paths, to `details` for a
      // technician; the message a person reads is the catalogue's alone.
      if (err instanceof AudioProbeError) {
        this.log.warn({ err: err.message }, 'upload is not audio');
        throw new DomainError('invalid', 'upload_not_audio', {
          details: err.message.replace(/(^|\s)\/[^\s:]+/g, '$1<file>'),
        });
      }
      throw err;
    }
    if (probe.duration_ms > this.limits.max_duration_s * 1000) {
      await rm(uploadPath, { force: true });
      throw new DomainError('invalid', 'upload_too_long', {
        duration_s: Math.round(probe.duration_ms / 1000),
        max_s: this.limits.max_duration_s,
      });
    }
    // A file from outside may have been cut short on its way here: refused, never stored as its
    // first seconds (what the controller made itself is whole by construction).
    if ((options.origin ?? 'upload') === 'upload' || options.origin === 'cap')
      await this.refuseTruncated(uploadPath, probe);
    const media: Media = {
      id: randomUUID(),
      title: title.slice(0, 200),
      status: 'processing',
      progress_pct: 0,
      error_code: null,
      loudness_lufs: null,
      true_peak_dbtp: null,
      warning_code: null,
      warning_params: null,
      sha256: null,
      size_bytes: null,
      duration_ms: probe.duration_ms,
      source_format: probe.format,
      created_by: actor.id,
      created_at: this.clock.now().toISOString(),
      origin: options.origin ?? 'upload',
      file_name: options.file_name?.slice(0, 255) ?? null,
    };
    this.repo.insert(media);
    // Speech, a joined playlist, a drill copy or a CAP alert's audio was made, not uploaded: the audit says which.
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: media.origin === 'upload' ? 'media.uploaded' : 'media.made',
      subject: media.id,
      detail: { title: media.title, format: probe.format, duration_ms: probe.duration_ms },
    });
    const job = this.track(
      (this.queue = this.queue.then(() =>
        this.transcode(media.id, uploadPath, probe.duration_ms, options.speech ?? false),
      )),
    );
    return { media, job };
  }

  /** The media item, or undefined (get() throws the 404). */
  find(id: string): Media | undefined {
    return this.repo.get(id);
  }

  private async refuseTruncated(path: string, probe: { format: string; duration_ms: number }): Promise<void> {
    const truncated = await findTruncation(path, probe.format, probe.duration_ms).catch((err: Error) => {
      // Packets ffmpeg cannot read are the decoder's business: the transcode reports them.
      this.log.warn({ err: err.message }, 'completeness check failed');
      return null;
    });
    if (!truncated) return;
    await rm(path, { force: true });
    this.log.warn({ ...truncated, format: probe.format }, 'upload is truncated');
    // Seconds as each language writes them: 3,0 giây; 3.0 s.
    const seconds = (ms: number) => ({ vi: (ms / 1000).toFixed(1).replace('.', ','), en: (ms / 1000).toFixed(1) });
    throw new DomainError('invalid', 'upload_truncated', {
      declared_s: seconds(truncated.declared_ms),
      present_s: seconds(truncated.present_ms),
    });
  }

  get(id: string): Media {
    const media = this.repo.get(id);
    if (!media) throw notFound('what_media', id);
    return media;
  }

  /** Audio uploaded from a file of this name, if any (see the repository). */
  findByFileName(name: string): Media | undefined {
    return this.repo.findByFileName(name.normalize('NFC'));
  }

  list(limit = 100, scope: 'library' | 'all' = 'all') {
    return this.repo.list(limit, scope);
  }

  /** Gives a ready item a warning it did not have, in the catalogue's words (see media-warning.ts). */
  addWarning(id: string, code: MessageKey, params: Record<string, number>): Media {
    this.repo.addWarning(id, code, JSON.stringify(params));
    return this.get(id);
  }

  /** The file of a ready media item. */
  fileName(id: string): string {
    return `${id}.mp3`;
  }

  /** Waits until every accept and transcode under way has ended (tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Takes no more work and waits for what is under way (shutdown, before the database closes). */
  async close(): Promise<void> {
    this.closing = true;
    await this.idle();
  }

  private async transcode(id: string, uploadPath: string, duration_ms: number, speech: boolean): Promise<void> {
    const tmp = join(this.mediaDir, `${id}.mp3.part`);
    let lastPct = -1;
    try {
      const loudness = await transcodeToBroadcast(uploadPath, tmp, { ...this.profile, speech }, duration_ms, (pct) => {
        if (pct >= lastPct + 5) {
          lastPct = pct;
          this.repo.setProgress(id, Math.min(pct, 99));
        }
      });
      const { sha256, size_bytes } = await sha256File(tmp);
      const out = await probeAudio(tmp);
      await rename(tmp, join(this.mediaDir, this.fileName(id)));
      this.repo.markReady(id, {
        sha256,
        size_bytes,
        duration_ms: out.duration_ms,
        loudness_lufs: loudness.loudness_lufs,
        true_peak_dbtp: loudness.true_peak_dbtp,
        warning_code: loudness.warning?.code ?? null,
        warning_params: loudness.warning ? JSON.stringify(loudness.warning.params) : null,
      });
      this.log.info(
        {
          media_id: id,
          size_bytes,
          duration_ms: out.duration_ms,
          loudness_lufs: loudness.loudness_lufs,
          true_peak_dbtp: loudness.true_peak_dbtp,
          source_lufs: loudness.source_lufs,
          encodes: loudness.encodes,
          warning: loudness.warning?.code,
        },
        'media ready',
      );
    } catch (err) {
      this.log.warn({ media_id: id, err: (err as Error).message }, 'transcode failed');
      await rm(tmp, { force: true });
      // A transcode nobody awaits must never reject; if even this write fails, the next start
      // marks the item failed (failInterrupted).
      try {
        this.repo.markFailed(id, 'transcode_failed');
      } catch (markErr) {
        this.log.error({ media_id: id, err: (markErr as Error).message }, 'could not mark media failed');
      }
    } finally {
      await rm(uploadPath, { force: true });
    }
  }
}
