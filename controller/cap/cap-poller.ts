/**
 * Polls a configured source of CAP alerts: a single alert, or an Atom or RSS feed whose entries
 * link to alerts. De-duplication happens in the service, so a poll that sees the same alert
 * again does nothing; links already fetched are not fetched again.
 */
import { XMLParser } from 'fast-xml-parser';
import { fetch } from 'undici';
import type { Logger } from '../logger.js';
import type { CapService } from './cap-service.js';

export class CapPoller {
  private timer?: NodeJS.Timeout;
  private readonly seen = new Set<string>();
  private running = false;

  constructor(private readonly cap: CapService, private readonly url: string, private readonly intervalS: number, private readonly log: Logger) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.intervalS * 1000);
    void this.poll();
  }

  async poll(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let ingested = 0;
    try {
      const body = await this.get(this.url);
      const links = this.links(body);
      for (const xml of links === null ? [body] : []) ingested += await this.ingest(xml);
      for (const link of links ?? []) {
        if (this.seen.has(link)) continue;
        ingested += await this.ingest(await this.get(link));
        this.seen.add(link);
      }
    } catch (err) {
      this.log.warn({ url: this.url, err: (err as Error).message }, 'CAP feed poll failed');
    } finally {
      this.running = false;
    }
    return ingested;
  }

  /** Entry links of an Atom or RSS feed; null when the document is itself an alert. */
  private links(xml: string): string[] | null {
    const doc = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false, attributeNamePrefix: '@' }).parse(xml);
    if (doc.alert) return null;
    const arr = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    if (doc.feed) {
      return arr(doc.feed.entry).flatMap((e: any) => arr(e.link).map((l: any) => l['@href']).filter(Boolean)).map(String);
    }
    if (doc.rss) return arr(doc.rss.channel?.item).map((i: any) => i.link).filter(Boolean).map(String);
    throw new Error('neither a CAP alert nor an Atom or RSS feed');
  }

  private async ingest(xml: string): Promise<number> {
    try {
      const result = await this.cap.ingest(xml, 'feed', { id: 'cap-feed' });
      return result.duplicate ? 0 : 1;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'CAP alert from the feed refused');
      return 0;
    }
  }

  private async get(url: string): Promise<string> {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > 2 * 1024 * 1024) throw new Error('document too large');
    return text;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
