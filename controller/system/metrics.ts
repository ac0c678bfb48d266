/**
 * Prometheus metrics at /metrics: receivers by state, broker clients, commands, acks and their
 * queue, and the time from a broadcast to each receiver starting it. One registry per
 * controller (no globals), read on scrape. Names follow Prometheus's conventions, which
 * `promtool check metrics` enforces (tests/integration/metrics-format.test.ts): counters end in
 * `_total`, gauges never do, units are base units named at the end (`_seconds`, `_bytes`).
 * Ours are named `tt_*`; the process and runtime metrics keep the standard names
 * (`process_*`, `nodejs_*`) that ready-made dashboards and alert rules look for.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BroadcastsReadModel } from '../broadcasts/broadcasts-read-model.js';
import type { AckIngestor } from '../coverage/ack-ingestor.js';
import type { Ack } from '../protocol/messages.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';

export interface MetricsSources {
  receivers: ReceiversReadModel;
  broadcasts: BroadcastsReadModel;
  acks: AckIngestor;
  /** Null with an external broker (its clients are not ours to count): no `tt_broker_clients` then. */
  connectedClients: () => number | null;
  mqttConnected: () => boolean;
}

export function createMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client's defaults include three gauges named `*_total` (the count of active handles,
  // requests and resources), which promtool refuses: a gauge must not end in `_total`. Each is
  // only the sum of its per-type gauge beside it, so `sum(nodejs_active_handles)` says the same.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
    registry.removeSingleMetric(name);
  new Gauge({
    name: 'tt_receivers',
    help: 'Enrolled receivers by availability',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = sources.receivers.countByStatus();
      for (const status of ['online', 'offline', 'unknown']) this.set({ status }, counts[status] ?? 0);
    },
  });
  // Apart from tt_receivers: they cannot be online or offline yet (the console says "not enrolled").
  new Gauge({
    name: 'tt_receivers_not_enrolled',
    help: 'Receivers registered (listed in the config, say) with no credentials yet',
    registers: [registry],
    collect() {
      this.set(sources.receivers.countNotEnrolled());
    },
  });
  // Whether the broker is embedded is settled at wiring and never changes: with an external one
  // the series is not exported at all, rather than a number that is not a count.
  if (sources.connectedClients() !== null)
    new Gauge({
      name: 'tt_broker_clients',
      help: 'Clients connected to the embedded broker',
      registers: [registry],
      collect() {
        this.set(sources.connectedClients() ?? 0);
      },
    });
  new Gauge({
    name: 'tt_mqtt_connected',
    help: '1 when the controller is connected to its broker',
    registers: [registry],
    collect() {
      this.set(sources.mqttConnected() ? 1 : 0);
    },
  });
  new Counter({
    name: 'tt_acks_total',
    help: 'Acks since start, by what became of them',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      // The ingestor keeps the counts; a counter cannot be set, so it is rebuilt from them.
      const s = sources.acks.stats;
      this.reset();
      this.inc({ result: 'stored' }, s.stored);
      this.inc({ result: 'duplicate' }, s.duplicates);
      this.inc({ result: 'malformed' }, s.malformed);
      this.inc({ result: 'unknown_command' }, s.unknown_command);
    },
  });
  new Counter({
    name: 'tt_acks_refused_total',
    help: 'Acks refused at the door (not stored, answered with a negative receipt), by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(sources.acks.stats.refused)) this.inc({ reason }, n);
    },
  });
  new Counter({
    name: 'tt_ack_gaps_total',
    help: "Gaps in receivers' ack numbers: asked for again (resend_acks), and given up",
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'asked' }, sources.acks.stats.gaps_asked);
      this.inc({ result: 'given_up' }, sources.acks.stats.gaps_given_up);
    },
  });
  new Gauge({
    name: 'tt_ack_queue_depth',
    help: 'Acks received and waiting for the next batch write',
    registers: [registry],
    collect() {
      this.set(sources.acks.queueDepth);
    },
  });
  const started = new Histogram({
    name: 'tt_broadcast_start_seconds',
    help: 'From a broadcast being issued to a receiver starting it (receiver clock)',
    labelNames: ['priority'],
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const created = new Map<string, { at: number; priority: string }>();
  sources.acks.events.on('stored', (acks: Ack[]) => {
    for (const a of acks) {
      if (a.stage !== 'started' || !a.broadcast_id) continue;
      let b = created.get(a.broadcast_id);
      if (!b) {
        const row = sources.broadcasts.get(a.broadcast_id);
        if (!row) continue;
        b = { at: Date.parse(row.created_at), priority: row.priority };
        if (created.size > 1000) created.clear();
        created.set(a.broadcast_id, b);
      }
      started.observe({ priority: b.priority }, Math.max(0, (Date.parse(a.at) - b.at) / 1000));
    }
  });
  return registry;
}
