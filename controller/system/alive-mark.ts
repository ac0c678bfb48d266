/**
 * The controller's "still alive" mark in its database (every 30 s, and at a clean stop). At start,
 * the mark left by the run before says when that run last lived: after a kill, that is when its
 * embedded broker and every receiver's connection went, which the receivers' history must show
 * (not the restart, minutes or hours later, which would count the gap as time online).
 */
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';

const EVERY_MS = 30_000;

export class AliveMark {
  private timer?: NodeJS.Timeout;
  private readonly write;
  /** The previous run's last mark, read before this run writes its first. */
  readonly previous: string | null;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    const row = db.prepare<[], { at: string }>('SELECT at FROM controller_alive WHERE id = 1').get();
    this.previous = row?.at ?? null;
    this.write = db.prepare(
      'INSERT INTO controller_alive (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
    );
  }

  start(): void {
    this.mark();
    this.timer = setInterval(() => this.mark(), EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.mark();
  }

  private mark(): void {
    try {
      this.write.run(this.clock.now().toISOString());
    } catch (err) {
      // A full or failing disk: the mark is a hint for the next start, never worth stopping for.
      this.log.warn({ err: (err as Error).message }, 'could not write the alive mark');
    }
  }
}
