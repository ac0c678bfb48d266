/**
 * Playlists: ordered items with opening and closing jingles. A playlist is joined into one file
 * before it is scheduled, so a receiver downloads, verifies and caches one file per occurrence
 * and plays the whole session from its cache with the controller unreachable.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { joinAudio } from '../audio/audio-pipeline.js';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { BulletinsReadModel } from '../bulletins/bulletins-read-model.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import type { Media } from '../media/media-read-model.js';
import type { MediaService } from '../media/media-service.js';
import type { MediaLinks } from '../media/media-links.js';
import { parseM3u, writeM3u8, type M3u8Entry, type M3u8Flavour } from './m3u.js';
import type { M3uImporter } from './m3u-import.js';
import type { Playlist, PlaylistItem, PlaylistsRepository } from './playlists-repository.js';

export interface PlaylistInput {
  name: string;
  opening_media_id?: string | null;
  closing_media_id?: string | null;
  items: ({ media_id: string; title?: string | null } | { bulletin_id: string; title?: string | null })[];
}

/** joinAudio pads every part with 0.4 s of silence. */
const PAD_MS = 400;

export interface PlaylistsServiceOptions {
  db: Db;
  repo: PlaylistsRepository;
  media: MediaService;
  bulletins: BulletinsReadModel;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  /** Signed links to each item's audio, written into the exported .m3u8 for players. */
  links: MediaLinks;
  importer: M3uImporter;
}

export class PlaylistsService {
  private readonly rendering = new Map<string, Promise<Media | null>>();

  private readonly db: Db;
  private readonly repo: PlaylistsRepository;
  private readonly media: MediaService;
  private readonly bulletins: BulletinsReadModel;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly links: MediaLinks;
  private readonly importer: M3uImporter;

  constructor({ db, repo, media, bulletins, audit, clock, log, links, importer }: PlaylistsServiceOptions) {
    this.db = db;
    this.repo = repo;
    this.media = media;
    this.bulletins = bulletins;
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.links = links;
    this.importer = importer;
  }

  list() {
    return this.repo.list().map((p) => this.view(p));
  }

  get(id: string) {
    return this.view(this.playlist(id));
  }

  private playlist(id: string): Playlist {
    const p = this.repo.get(id);
    if (!p) throw notFound('what_playlist', id);
    return p;
  }

  private view(p: Playlist) {
    const items = this.repo.items(p.id);
    return { ...p, items, duration_ms: this.durationMs(p, items) };
  }

  /** The length of the joined file: every part, each padded. */
  durationMs(p: Playlist, items: PlaylistItem[] = this.repo.items(p.id)): number {
    return this.parts(p, items).reduce((ms, id) => ms + (this.media.get(id).duration_ms ?? 0) + PAD_MS, 0);
  }

  private parts(p: Playlist, items: PlaylistItem[]): string[] {
    return [p.opening_media_id, ...items.map((i) => i.media_id), p.closing_media_id].filter((id): id is string =>
      Boolean(id),
    );
  }

  save(input: PlaylistInput, actor: Actor, id?: string) {
    const existing = id ? this.playlist(id) : undefined;
    if (input.items.length === 0) throw new DomainError('invalid', 'playlist_empty');
    const items = input.items.map((item) => {
      if ('bulletin_id' in item) {
        const b = this.bulletins.get(item.bulletin_id);
        if (!b) throw notFound('what_bulletin', item.bulletin_id);
        if (!b.media_id || (b.status !== 'approved' && b.status !== 'broadcast'))
          throw new DomainError('conflict', 'media_not_ready', { id: item.bulletin_id, progress_pct: 0 });
        return { media_id: b.media_id, title: item.title ?? b.title ?? null, bulletin_id: b.id };
      }
      return { media_id: item.media_id, title: item.title ?? null, bulletin_id: null };
    });
    for (const mediaId of [input.opening_media_id, input.closing_media_id, ...items.map((i) => i.media_id)]) {
      if (!mediaId) continue;
      const m = this.media.get(mediaId); // 404 names an unknown one
      if (m.status === 'failed') throw new DomainError('conflict', 'media_failed', { id: m.id });
    }
    const now = this.clock.now().toISOString();
    const playlist: Playlist = {
      id: existing?.id ?? randomUUID(),
      name: input.name,
      opening_media_id: input.opening_media_id ?? null,
      closing_media_id: input.closing_media_id ?? null,
      rendered_media_id: existing?.rendered_media_id ?? null,
      rendered_key: existing?.rendered_key ?? null,
      created_by: existing?.created_by ?? actor.id,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    this.db.transaction(() => {
      this.repo.save(playlist, items);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: existing ? 'playlist.updated' : 'playlist.created',
        subject: playlist.id,
        detail: { name: playlist.name, items: items.length },
      });
    })();
    return this.get(playlist.id);
  }

  remove(id: string, actor: Actor): void {
    this.playlist(id);
    this.db.transaction(() => {
      this.repo.delete(id);
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'playlist.deleted', subject: id });
    })();
  }

  /** A playlist from M3U text (see m3u.ts for what is read); every line that cannot be used is named at once. */
  async importM3u(text: string, name: string | undefined, actor: Actor) {
    const parsed = parseM3u(text);
    const entries = await this.importer.resolve(parsed, actor);
    const mediaOf = (role: 'opening' | 'closing') => {
      const ref = entries.find((e) => e.role === role)?.ref;
      if (!ref) return null;
      return 'media_id' in ref ? ref.media_id : this.bulletins.get(ref.bulletin_id)!.media_id;
    };
    return this.save(
      {
        name: name ?? parsed.name ?? 'Danh sách phát',
        opening_media_id: mediaOf('opening'),
        closing_media_id: mediaOf('closing'),
        items: entries.filter((e) => e.role === 'item').map((e) => ({ ...e.ref, title: e.title })),
      },
      actor,
    );
  }

  /**
   * The playlist as extended M3U in UTF-8 (.m3u8): each entry the absolute, signed link a player
   * fetches without an account (media-links.ts), after the tag that names it here, so the file
   * both plays in VLC or ffplay and imports back as the same items (a bulletin stays a bulletin).
   * The `hls` flavour is also a complete HLS playlist, for ffmpeg and HLS readers (m3u.ts).
   */
  exportM3u8(id: string, flavour: M3u8Flavour = 'list'): { name: string; text: string } {
    const p = this.playlist(id);
    const entry = (
      role: M3u8Entry['role'],
      media_id: string,
      title: string | null,
      bulletin_id: string | null = null,
    ): M3u8Entry => {
      const m = this.media.get(media_id);
      return {
        role,
        title: title ?? m.title,
        duration_s: m.duration_ms === null ? null : m.duration_ms / 1000,
        ref: bulletin_id ? { bulletin_id } : { media_id },
        url: this.links.url(media_id),
      };
    };
    const text = writeM3u8(
      {
        name: p.name,
        entries: [
          ...(p.opening_media_id ? [entry('opening', p.opening_media_id, null)] : []),
          ...this.repo.items(id).map((i) => entry('item', i.media_id, i.title, i.bulletin_id)),
          ...(p.closing_media_id ? [entry('closing', p.closing_media_id, null)] : []),
        ],
      },
      flavour,
    );
    return { name: p.name, text };
  }

  /**
   * The playlist as one ready media item, or null while it is being joined (joining starts here).
   * A rendering is reused while the parts are the same files (their hashes).
   */
  rendered(id: string, actor: Actor): Media | null {
    const p = this.playlist(id);
    const parts = this.parts(p, this.repo.items(id)).map((m) => this.media.get(m));
    if (parts.some((m) => m.status !== 'ready')) return null;
    const key = createHash('sha256')
      .update(JSON.stringify(parts.map((m) => m.sha256)))
      .digest('hex');
    if (p.rendered_key === key && p.rendered_media_id) {
      const media = this.media.get(p.rendered_media_id);
      if (media.status === 'ready') return media;
      if (media.status === 'processing') return null;
    }
    if (!this.rendering.has(id)) {
      const job = this.render(p, parts, key, actor).finally(() => this.rendering.delete(id));
      this.rendering.set(id, job);
    }
    return null;
  }

  /** Waits for a playlist to be joined (tests, and the API's explicit render). */
  async renderNow(id: string, actor: Actor): Promise<Media | null> {
    const ready = this.rendered(id, actor);
    if (ready) return ready;
    await this.rendering.get(id);
    return this.rendered(id, actor);
  }

  private async render(p: Playlist, parts: Media[], key: string, actor: Actor): Promise<Media | null> {
    const joined = join(this.media.incomingDir, `${randomUUID()}.wav`);
    try {
      await joinAudio(
        parts.map((m) => join(this.media.mediaDir, this.media.fileName(m.id))),
        joined,
        900,
      );
      let media = await this.media.acceptAndWait(joined, `Danh sách phát: ${p.name}`, actor, { origin: 'playlist' });
      if (media.status !== 'ready') return null;
      // Joining levels the whole, not each part: a part that was too quiet stays quieter than the
      // rest. Its warning is the playlist's too, unless the whole has a worse one of its own.
      const warned = parts.filter((m) => m.warning_code).length;
      if (warned > 0 && !media.warning_code)
        media = this.media.addWarning(media.id, 'media_warning_playlist_parts', { count: warned });
      this.repo.setRendered(p.id, media.id, key);
      this.log.info({ playlist_id: p.id, media_id: media.id, duration_ms: media.duration_ms }, 'playlist joined');
      return media;
    } catch (err) {
      this.log.error({ playlist_id: p.id, err: (err as Error).message }, 'joining a playlist failed');
      return null;
    } finally {
      await rm(joined, { force: true });
    }
  }
}
