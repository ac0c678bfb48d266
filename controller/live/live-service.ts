/**
 * Live sessions: a staff member's voice from the browser microphone, or a relayed stream (the
 * provincial station), encoded once to MP3 and fanned out over HTTP to enrolled receivers as it
 * comes. A session ends cleanly (receivers report "finished") or drops (they report
 * "stream_dropped"); either way nothing stays playing.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { AuditLog } from '../audit/audit-log.js';
import { startLiveEncoder } from '../audio/audio-pipeline.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import type { Actor } from '../audit/actor.js';

export interface LiveSession {
  id: string;
  title: string;
  source: 'voice' | 'relay';
  source_url: string | null;
  status: 'waiting' | 'live' | 'ended';
  started_by: string;
  started_at: string;
  ended_at: string | null;
  listeners: number;
}

interface Running {
  session: LiveSession;
  encoder: ChildProcess;
  clients: Set<ServerResponse>;
  /** Pieces of a voice sent in numbered parts: the next expected, and those that came early. */
  nextSeq?: number;
  waiting?: Map<number, Buffer>;
}

export class LiveService {
  private readonly sessions = new Map<string, Running>();

  constructor(
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly bitrateKbps: number,
  ) {}

  start(input: { title: string; source_url?: string }, actor: Actor): LiveSession {
    if (input.source_url && !/^https?:\/\//.test(input.source_url)) throw new DomainError('invalid', 'live_bad_source');
    const session: LiveSession = {
      id: randomUUID(),
      title: input.title,
      source: input.source_url ? 'relay' : 'voice',
      source_url: input.source_url ?? null,
      status: input.source_url ? 'live' : 'waiting',
      started_by: actor.id,
      started_at: this.clock.now().toISOString(),
      ended_at: null,
      listeners: 0,
    };
    const encoder = startLiveEncoder(input.source_url ? { url: input.source_url } : 'stdin', this.bitrateKbps);
    const running: Running = { session, encoder, clients: new Set() };
    encoder.stdout!.on('data', (chunk: Buffer) => {
      for (const res of running.clients) res.write(chunk);
    });
    encoder.stderr!.on('data', (d: Buffer) =>
      this.log.debug({ live_id: session.id, ffmpeg: d.toString().slice(0, 200) }, 'live encoder'),
    );
    encoder.on('close', () => this.end(running, 'clean'));
    this.sessions.set(session.id, running);
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'live.started',
      subject: session.id,
      detail: { title: input.title, source_url: input.source_url ?? null },
    });
    return { ...session };
  }

  /** The browser's microphone audio (any container ffmpeg reads: webm/opus, ogg, mp3), as it is recorded. */
  async ingest(id: string, body: Readable): Promise<void> {
    const running = this.running(id);
    if (running.session.source !== 'voice') throw new DomainError('conflict', 'live_not_voice');
    running.session.status = 'live';
    await new Promise<void>((resolve) => {
      body.on('data', (chunk: Buffer) => running.encoder.stdin?.write(chunk));
      body.on('end', () => resolve());
      body.on('error', () => resolve());
    });
    running.encoder.stdin?.end(); // the speaker finished: the stream ends cleanly
  }

  /**
   * The browser's microphone audio in numbered pieces (MediaRecorder's slices), for browsers that
   * cannot stream one upload over HTTP/1.1. Pieces are written in order; a repeated piece is
   * ignored, one ahead of a gap waits (at most 64 of them).
   */
  appendChunk(id: string, seq: number, chunk: Buffer): void {
    const running = this.running(id);
    if (running.session.source !== 'voice') throw new DomainError('conflict', 'live_not_voice');
    running.session.status = 'live';
    running.nextSeq ??= 0;
    running.waiting ??= new Map();
    if (seq < running.nextSeq || running.waiting.has(seq)) return;
    if (running.waiting.size >= 64) throw new DomainError('conflict', 'live_chunk_gap', { expected: running.nextSeq });
    running.waiting.set(seq, chunk);
    for (let next = running.waiting.get(running.nextSeq); next; next = running.waiting.get(running.nextSeq)) {
      running.encoder.stdin?.write(next);
      running.waiting.delete(running.nextSeq);
      running.nextSeq++;
    }
  }

  /** The speaker finished (pieces): the stream ends cleanly once the encoder has flushed. */
  finish(id: string, actor: Actor): LiveSession {
    const running = this.running(id);
    if (running.session.source !== 'voice') throw new DomainError('conflict', 'live_not_voice');
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'live.finished', subject: id });
    running.encoder.stdin?.end();
    return { ...running.session };
  }

  /** A receiver (or staff) listens from now on. */
  attach(id: string, res: ServerResponse): void {
    const running = this.running(id);
    res.writeHead(200, {
      'content-type': 'audio/mpeg',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    running.clients.add(res);
    running.session.listeners = running.clients.size;
    res.on('close', () => {
      running.clients.delete(res);
      running.session.listeners = running.clients.size;
    });
  }

  stop(id: string, actor: Actor): LiveSession {
    const running = this.running(id);
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'live.stopped', subject: id });
    running.encoder.stdin?.end();
    running.encoder.kill('SIGTERM');
    this.end(running, 'clean');
    return { ...running.session };
  }

  /** Cuts every listener off without ending the stream properly: what a network failure does. */
  drop(id: string): void {
    const running = this.running(id);
    running.encoder.kill('SIGKILL');
    this.end(running, 'drop');
  }

  get(id: string): LiveSession {
    return { ...this.running(id).session };
  }

  isLive(id: string): boolean {
    return this.sessions.get(id)?.session.status !== 'ended' && this.sessions.has(id);
  }

  list(): LiveSession[] {
    return [...this.sessions.values()].map((r) => ({ ...r.session }));
  }

  stopAll(): void {
    for (const r of this.sessions.values()) {
      r.encoder.kill('SIGKILL');
      this.end(r, 'clean');
    }
  }

  private end(running: Running, how: 'clean' | 'drop'): void {
    if (running.session.status === 'ended') return;
    running.session.status = 'ended';
    running.session.ended_at = this.clock.now().toISOString();
    for (const res of running.clients) {
      if (how === 'clean') res.end();
      else res.destroy();
    }
    running.clients.clear();
  }

  private running(id: string): Running {
    const running = this.sessions.get(id);
    if (!running) throw new DomainError('not_found', 'not_found', { what: 'what_live', id });
    return running;
  }
}
