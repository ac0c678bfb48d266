/**
 * A witness: somewhere the database's owner cannot quietly reach, given every signed head and
 * every change of key fingerprints as it happens. Two kinds, either or both:
 * - `witness_dir`: a directory on another disk or share; records are appended (and fsynced) to
 *   `anchors.jsonl`, one JSON record a line: the very file the standalone verifier takes as
 *   `--anchors`.
 * - `witness_url`: each record is POSTed as JSON (a province's collector, a second store);
 *   records not accepted are kept (up to 10,000) and sent again on the next record or tick.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { AnchorRecord } from './anchor-records.js';

export interface WitnessSettings {
  witness_dir: string | null;
  witness_url: string | null;
}

const MAX_QUEUED = 10_000;

export class Witness {
  private readonly queue: AnchorRecord[] = [];
  private sending = false;

  constructor(
    private readonly settings: WitnessSettings,
    private readonly log: Logger,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    if (settings.witness_dir) mkdirSync(settings.witness_dir, { recursive: true });
  }

  get enabled(): boolean {
    return Boolean(this.settings.witness_dir || this.settings.witness_url);
  }

  record(record: AnchorRecord): void {
    if (this.settings.witness_dir) {
      try {
        const file = join(this.settings.witness_dir, 'anchors.jsonl');
        appendFileSync(file, `${JSON.stringify(record)}\n`);
        const fd = openSync(file, 'r');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        this.log.error(
          { err: (err as Error).message, dir: this.settings.witness_dir },
          'the witness directory could not be written: heads are not being copied off the box',
        );
      }
    }
    if (this.settings.witness_url) {
      if (this.queue.length >= MAX_QUEUED) this.queue.shift();
      this.queue.push(record);
      void this.flush();
    }
  }

  /** Sends what waits, in order; stops at the first failure (tried again with the next record or tick). */
  async flush(): Promise<void> {
    if (this.sending || !this.settings.witness_url || this.queue.length === 0) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const response = await this.fetchImpl(this.settings.witness_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(this.queue[0]),
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.queue.shift();
      }
    } catch (err) {
      this.log.warn(
        { err: (err as Error).message, waiting: this.queue.length },
        'the witness did not take a head; sent again later',
      );
    } finally {
      this.sending = false;
    }
  }
}
