/**
 * CAP 1.2 alerts from the provincial disaster authority: validated, de-duplicated by sender and
 * identifier, matched against the hamlets' locations, mapped to a priority by configurable
 * rules, and broadcast at once (an automated source: there is nobody to confirm at 3 a.m.).
 * Update and Cancel follow their references: what they replace is stopped. Only status Actual
 * plays live; Exercise and Test play as drills; System and Draft never play. Expired alerts
 * are recorded and never played.
 */
import { DomainError } from '../shared/domain-error.js';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fetch } from 'undici';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Hamlet, HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import type { Logger } from '../logger.js';
import type { MediaService } from '../media/media-service.js';
import type { Priority } from '../protocol/messages.js';
import type { Actor } from '../audit/actor.js';
import type { Settings } from '../settings.js';
import type { TtsService } from '../tts/tts-service.js';
import type { SendDesk } from '../broadcasts/send-desk.js';
import type { StopDesk } from '../broadcasts/stop-desk.js';
import type { CapAlertRow, CapRepository } from './cap-repository.js';

export type { CapAlertRow } from './cap-repository.js';
import { insideCircle, insidePolygon, parsePolygon } from './cap-area.js';
import { CapError, parseCap, type CapAlert, type CapInfo } from './cap-parser.js';

export interface CapResult {
  key: string;
  identifier: string;
  msg_type: string;
  status: string;
  outcome: string;
  priority: string | null;
  hamlets: string[];
  broadcast_id: string | null;
  duplicate: boolean;
  warnings: string[];
}

export interface CapServiceOptions {
  repo: CapRepository;
  hamlets: HamletsReadModel;
  sendDesk: SendDesk;
  stopDesk: StopDesk;
  tts: TtsService;
  media: MediaService;
  audit: AuditLog;
  clock: Clock;
  settings: Settings['cap'];
  /** The longest a CAP broadcast stays valid (broadcasts.default_expiry_s). */
  broadcastExpiryS: number;
  log: Logger;
}

export class CapService {
  private readonly repo: CapRepository;
  private readonly hamlets: HamletsReadModel;
  private readonly sendDesk: SendDesk;
  private readonly stopDesk: StopDesk;
  private readonly tts: TtsService;
  private readonly media: MediaService;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly settings: Settings['cap'];
  private readonly broadcastExpiryS: number;
  private readonly log: Logger;

  constructor(o: CapServiceOptions) {
    this.repo = o.repo;
    this.hamlets = o.hamlets;
    this.sendDesk = o.sendDesk;
    this.stopDesk = o.stopDesk;
    this.tts = o.tts;
    this.media = o.media;
    this.audit = o.audit;
    this.clock = o.clock;
    this.settings = o.settings;
    this.broadcastExpiryS = o.broadcastExpiryS;
    this.log = o.log;
  }

  list(limit = 100): Omit<CapAlertRow, 'xml'>[] {
    return this.repo.list(limit).map(({ xml: _, ...r }) => r);
  }

  async ingest(xml: string, via: 'post' | 'feed', actor: Actor): Promise<CapResult> {
    let alert: CapAlert;
    try {
      alert = parseCap(xml);
    } catch (err) {
      throw new DomainError('malformed', 'cap_invalid', { detail: (err as CapError).message });
    }
    if (this.settings.trusted_senders.length > 0 && !this.settings.trusted_senders.includes(alert.sender)) {
      throw new DomainError('forbidden', 'cap_untrusted_sender', { sender: alert.sender });
    }
    const key = `${alert.sender}|${alert.identifier}`;
    const existing = this.row(key);
    if (existing) return this.result(existing, true, []);

    const info = alert.info.find((i) => /^vi/i.test(i.language ?? '')) ?? alert.info[0];
    const warnings: string[] = [];
    const referenced = alert.referenced.map((r) => this.row(`${r.sender}|${r.identifier}`)).filter((r): r is CapAlertRow => r !== undefined);
    if (alert.msgType === 'Cancel' && referenced.length === 0) throw new DomainError('invalid', 'cap_unknown_reference', { references: alert.references ?? '' });
    if (alert.referenced.length > referenced.length) warnings.push('some references are unknown here');

    const now = this.clock.now();
    const base = {
      key, identifier: alert.identifier, sender: alert.sender, sent: alert.sent, status: alert.status, msg_type: alert.msgType,
      event: info?.event ?? null, headline: info?.headline ?? null, xml, received_at: now.toISOString(), via,
      expires_at: info?.expires ? new Date(info.expires).toISOString() : null,
    };
    const store = (outcome: string, extra: Partial<CapAlertRow> = {}) => {
      const row: CapAlertRow = { ...base, outcome, priority: null, hamlets: null, broadcast_id: null, ...extra };
      this.repo.insert(row);
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'cap.received', subject: key, detail: { msg_type: alert.msgType, status: alert.status, outcome, broadcast_id: row.broadcast_id } });
      return this.result(row, false, warnings);
    };

    // Update and Cancel replace what they reference: stop it first.
    if (alert.msgType === 'Update' || alert.msgType === 'Cancel') {
      for (const r of referenced) {
        if (r.broadcast_id) await this.stopDesk.stop(r.broadcast_id, actor);
        this.repo.setOutcome(r.key, alert.msgType === 'Cancel' ? 'cancelled' : 'superseded');
      }
    }
    if (alert.msgType === 'Ack' || alert.msgType === 'Error' || !info) return store('ignored');
    if (alert.scope !== 'Public' || alert.status === 'System' || alert.status === 'Draft') return store('not_public');
    if (info.expires && new Date(info.expires).getTime() <= now.getTime()) return store('expired');

    let hamlets = this.matchHamlets(info);
    if (hamlets.length === 0 && alert.msgType === 'Cancel') hamlets = referenced.flatMap((r) => (r.hamlets ? (JSON.parse(r.hamlets) as string[]) : []));
    hamlets = [...new Set(hamlets)];
    if (hamlets.length === 0) return store('outside_area');
    const priority = this.priorityOf(info);
    if (priority === 'none') return store('no_broadcast', { hamlets: JSON.stringify(hamlets) });

    const drill = alert.status !== 'Actual';
    const mediaId = await this.audioFor(info, actor).catch((err) => {
      this.log.error({ key, err: (err as Error).message }, 'no audio for a CAP alert');
      return undefined;
    });
    if (!mediaId) return store('no_audio', { hamlets: JSON.stringify(hamlets), priority });
    const untilExpiry = info.expires ? Math.floor((new Date(info.expires).getTime() - now.getTime()) / 1000) : this.broadcastExpiryS;
    const expires_in_s = Math.max(60, Math.min(untilExpiry, this.broadcastExpiryS));
    const shaped = this.sendDesk.shape({ media_id: mediaId, target: { hamlet_ids: hamlets }, priority, expires_in_s, drill });
    let broadcast_id: string;
    try {
      ({ broadcast_id } = await this.sendDesk.execute(shaped, actor, `cap:${alert.sender}`, 'cap'));
    } catch (err) {
      // A non-emergency alert in quiet hours is recorded, not sounded.
      if (err instanceof DomainError && err.code === 'quiet_hours') return store('quiet_hours', { hamlets: JSON.stringify(hamlets), priority });
      throw err;
    }
    return store(drill ? 'drill' : 'broadcast', { hamlets: JSON.stringify(hamlets), priority, broadcast_id });
  }

  /** Hamlets inside any area: polygon or circle against coordinates; our geocodes mean all. */
  matchHamlets(info: CapInfo): string[] {
    const all = this.hamlets.list();
    const matched = new Set<string>();
    for (const area of info.area) {
      if (area.geocode.some((g) => this.settings.geocodes.includes(g.value))) all.forEach((h) => matched.add(h.id));
      const located = all.filter((h): h is Hamlet & { lat: number; lon: number } => h.lat !== null && h.lon !== null);
      for (const h of located) {
        const point = { lat: h.lat, lon: h.lon };
        if (area.polygon.some((p) => insidePolygon(point, parsePolygon(p))) || area.circle.some((c) => insideCircle(point, c))) matched.add(h.id);
      }
    }
    return [...matched].sort();
  }

  priorityOf(info: CapInfo): Priority | 'none' {
    for (const rule of this.settings.rules) {
      if (rule.urgency && !rule.urgency.includes(info.urgency)) continue;
      if (rule.severity && !rule.severity.includes(info.severity)) continue;
      if (rule.certainty && !rule.certainty.includes(info.certainty)) continue;
      return rule.priority;
    }
    return 'none';
  }

  /** The alert's own audio when it carries some, else the headline, description and instruction read aloud. */
  private async audioFor(info: CapInfo, actor: Actor): Promise<string> {
    const resource = info.resource.find((r) => r.mimeType.startsWith('audio/') && (r.derefUri || r.uri));
    if (resource) {
      try {
        const bytes = resource.derefUri ? Buffer.from(resource.derefUri, 'base64') : await this.download(resource.uri!);
        if (bytes.length > this.settings.max_audio_mb * 1024 * 1024) throw new Error('audio too large');
        const path = join(this.media.incomingDir, `${randomUUID()}.upload`);
        await writeFile(path, bytes, { mode: 0o600 });
        const media = await this.media.acceptAndWait(path, `CAP: ${info.event}`, actor);
        if (media.status === 'ready') return media.id;
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'the alert\'s audio could not be used; reading its text instead');
      }
    }
    const text = [info.headline, info.description, info.instruction].filter(Boolean).join('. ') || info.event;
    const { media } = await this.tts.render({ text, title: `CAP: ${info.event}`, repeat: 0 }, actor);
    return media.id;
  }

  private async download(uri: string): Promise<Buffer> {
    const res = await fetch(uri, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  private row(key: string): CapAlertRow | undefined {
    return this.repo.get(key);
  }

  private result(row: CapAlertRow, duplicate: boolean, warnings: string[]): CapResult {
    return {
      key: row.key, identifier: row.identifier, msg_type: row.msg_type, status: row.status, outcome: row.outcome, priority: row.priority,
      hamlets: row.hamlets ? JSON.parse(row.hamlets) : [], broadcast_id: row.broadcast_id, duplicate, warnings,
    };
  }
}
