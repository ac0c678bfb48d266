/**
 * Polls a configured source of CAP alerts: a single alert, or an Atom or RSS feed whose entries
 * link to alerts. De-duplication happens in the service, so a poll that sees the same alert
 * again does nothing; links already taken in (or refused) are not fetched again. Each entry is
 * read on its own: a dead link or a refused alert is recorded and the next entries are still read.
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { Logger } from '../logger.js';
import { DomainError } from '../shared/domain-error.js';
import { fetchLimited } from './cap-download.js';
import type { CapService } from './cap-service.js';

const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export class CapPoller {
  private timer?: NodeJS.Timeout;
  private readonly seen = new Set<string>();
  private readonly failures = new Set<string>();
  /** The sha256 of the single alert last refused, when the feed URL is an alert itself. */
  private refusedBody?: string;
  private running = false;

  constructor(
    private readonly cap: CapService,
    private readonly url: string,
    private readonly intervalS: number,
    private readonly log: Logger,
  ) {}

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
      if (links === null) {
        // A single alert: the same refused document is not refused (and recorded) again at every poll.
        const digest = createHash('sha256').update(body).digest('hex');
        if (this.refusedBody === digest) return 0;
        const taken = await this.ingest(body, this.url);
        this.refusedBody = taken === 'refused' ? digest : undefined;
        return taken === 'new' ? 1 : 0;
      }
      // One entry at a time, each on its own: a dead or refused entry never stops the next ones.
      for (const link of links) {
        if (this.seen.has(link)) continue;
        let xml: string;
        try {
          xml = await this.get(link);
        } catch (err) {
          this.failed(link, `could not be fetched: ${(err as Error).message}`);
          continue; // tried again at the next poll
        }
        if ((await this.ingest(xml, link)) === 'new') ingested++;
      }
    } catch (err) {
      this.log.warn({ url: this.url, err: (err as Error).message }, 'CAP feed poll failed');
    } finally {
      this.running = false;
    }
    return ingested;
  }

  /** Logged each time, recorded (audit) the first time for each link. */
  private failed(link: string, reason: string): void {
    this.log.warn({ url: link, err: reason }, 'CAP feed entry could not be read');
    if (this.failures.has(link)) return;
    this.failures.add(link);
    this.cap.recordFeedFailure(link, reason);
  }

  /** Entry links of an Atom or RSS feed; null when the document is itself an alert. */
  private links(xml: string): string[] | null {
    const doc = new XMLParser({
      ignoreAttributes: false,
      removeNSPrefix: true,
      processEntities: false,
      attributeNamePrefix: '@',
    }).parse(xml);
    if (doc.alert) return null;
    const arr = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    if (doc.feed) {
      return arr(doc.feed.entry)
        .flatMap((e: any) =>
          arr(e.link)
            .map((l: any) => l['@href'])
            .filter(Boolean),
        )
        .map(String);
    }
    if (doc.rss)
      return arr(doc.rss.channel?.item)
        .map((i: any) => i.link)
        .filter(Boolean)
        .map(String);
    throw new Error('neither a CAP alert nor an Atom or RSS feed');
  }

  /**
   * A refused alert is recorded by the service and not fetched again; any other failure (ours,
   * e.g. speech) is tried again at the next poll.
   */
  private async ingest(xml: string, link: string): Promise<'new' | 'duplicate' | 'refused' | 'failed'> {
    try {
      const result = await this.cap.ingest(xml, 'feed', { id: 'cap-feed' });
      this.seen.add(link);
      return result.duplicate ? 'duplicate' : 'new';
    } catch (err) {
      if (err instanceof DomainError) {
        this.seen.add(link);
        this.log.warn({ url: link, err: err.message }, 'CAP alert from the feed refused');
        return 'refused';
      }
      this.failed(link, `could not be taken in: ${(err as Error).message}`);
      return 'failed';
    }
  }

  /** A feed or alert document: at most 2 MB, enforced while reading. */
  private async get(url: string): Promise<string> {
    return (await fetchLimited(url, MAX_DOCUMENT_BYTES, { timeoutMs: 30_000 })).toString('utf8');
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
