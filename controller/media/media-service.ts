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
import { probeAudio, AudioProbeError, transcodeToBroadcast, sha256File, type BroadcastProfile } from '../audio/audio-pipeline.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import type { Actor } from '../audit/actor.js';
import type { Media, MediaRepository } from './media-repository.js';
import type { MediaOrigin } from './media-read-model.js';

/** speech: transcoded for a voice; origin: who made it (uploads are what the library lists). */
export interface AcceptOptions {
  speech?: boolean;
  origin?: MediaOrigin;
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
  private pending = new Set<Promise<void>>();

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

  private async acceptJob(uploadPath: string, title: string, actor: Actor, options: AcceptOptions): Promise<{ media: Media; job: Promise<void> }> {
    let probe;
    try {
      probe = await probeAudio(uploadPath);
    } catch (err) {
      await rm(uploadPath, { force: true });
      // ffprobe's own words go to the log and, without the server's paths, to `details` for a
      // technician; the message a person reads is the catalogue's alone.
      if (err instanceof AudioProbeError) {
        this.log.warn({ err: err.message }, 'upload is not audio');
        throw new DomainError('invalid', 'upload_not_audio', { details: err.message.replace(/(^|\s)\/[^\s:]+/g, '$1<file>') });
      }
      throw err;
    }
    if (probe.duration_ms > this.limits.max_duration_s * 1000) {
      await rm(uploadPath, { force: true });
      throw new DomainError('invalid', 'upload_too_long', { duration_s: Math.round(probe.duration_ms / 1000), max_s: this.limits.max_duration_s });
    }
    const media: Media = {
      id: randomUUID(),
      title: title.slice(0, 200),
      status: 'processing',
      progress_pct: 0,
      error_code: null,
      sha256: null,
      size_bytes: null,
      duration_ms: probe.duration_ms,
      source_format: probe.format,
      created_by: actor.id,
      created_at: this.clock.now().toISOString(),
      origin: options.origin ?? 'upload',
    };
    this.repo.insert(media);
    // Speech, a joined playlist, a drill copy or a CAP alert's audio was made, not uploaded: the audit says which.
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: media.origin === 'upload' ? 'media.uploaded' : 'media.made', subject: media.id, detail: { title: media.title, format: probe.format, duration_ms: probe.duration_ms } });
    const job = (this.queue = this.queue.then(() => this.transcode(media.id, uploadPath, probe.duration_ms, options.speech ?? false)));
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
    return { media, job };
  }

  get(id: string): Media {
    const media = this.repo.get(id);
    if (!media) throw notFound('what_media', id);
    return media;
  }

  list(limit = 100, scope: 'library' | 'all' = 'all') {
    return this.repo.list(limit, scope);
  }

  /** The file of a ready media item. */
  fileName(id: string): string {
    return `${id}.mp3`;
  }

  /** Waits until every queued transcode has ended (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async transcode(id: string, uploadPath: string, duration_ms: number, speech: boolean): Promise<void> {
    const tmp = join(this.mediaDir, `${id}.mp3.part`);
    let lastPct = -1;
    try {
      await transcodeToBroadcast(uploadPath, tmp, { ...this.profile, speech }, duration_ms, (pct) => {
        if (pct >= lastPct + 5) {
          lastPct = pct;
          this.repo.setProgress(id, Math.min(pct, 99));
        }
      });
      const { sha256, size_bytes } = await sha256File(tmp);
      const out = await probeAudio(tmp);
      await rename(tmp, join(this.mediaDir, this.fileName(id)));
      this.repo.markReady(id, { sha256, size_bytes, duration_ms: out.duration_ms });
      this.log.info({ media_id: id, size_bytes, duration_ms: out.duration_ms }, 'media ready');
    } catch (err) {
      this.log.warn({ media_id: id, err: (err as Error).message }, 'transcode failed');
      this.repo.markFailed(id, 'transcode_failed');
      await rm(tmp, { force: true });
    } finally {
      await rm(uploadPath, { force: true });
    }
  }
}
