/**
 * Prometheus metrics at /metrics: receivers by state, broker clients, commands, acks and their
 * queue, and the time from a broadcast to each receiver starting it. One registry per
 * controller (no globals), read on scrape.
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
  connectedClients: () => number | null;
  mqttConnected: () => boolean;
}

export function createMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tt_' });
  new Gauge({
    name: 'tt_receivers', help: 'Enrolled receivers by availability', labelNames: ['status'], registers: [registry],
    collect() {
      this.reset();
      const counts = sources.receivers.countByStatus();
      for (const status of ['online', 'offline', 'unknown']) this.set({ status }, counts[status] ?? 0);
    },
  });
  new Gauge({ name: 'tt_broker_clients', help: 'Clients connected to the embedded broker (-1 with an external broker)', registers: [registry], collect() { this.set(sources.connectedClients() ?? -1); } });
  new Gauge({ name: 'tt_mqtt_connected', help: '1 when the controller is connected to its broker', registers: [registry], collect() { this.set(sources.mqttConnected() ? 1 : 0); } });
  new Gauge({
    name: 'tt_acks', help: 'Acks since start, by what became of them', labelNames: ['result'], registers: [registry],
    collect() {
      const s = sources.acks.stats;
      this.set({ result: 'stored' }, s.stored);
      this.set({ result: 'duplicate' }, s.duplicates);
      this.set({ result: 'malformed' }, s.malformed);
      this.set({ result: 'unknown_command' }, s.unknown_command);
    },
  });
  new Counter({
    name: 'tt_acks_refused_total', help: 'Acks refused at the door (not stored, answered with a negative receipt), by reason', labelNames: ['reason'], registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(sources.acks.stats.refused)) this.inc({ reason }, n);
    },
  });
  new Counter({
    name: 'tt_ack_gaps_total', help: 'Gaps in receivers\' ack numbers: asked for again (resend_acks), and given up', labelNames: ['result'], registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: 'asked' }, sources.acks.stats.gaps_asked);
      this.inc({ result: 'given_up' }, sources.acks.stats.gaps_given_up);
    },
  });
  new Gauge({ name: 'tt_ack_queue_depth', help: 'Acks received and waiting for the next batch write', registers: [registry], collect() { this.set(sources.acks.queueDepth); } });
  const started = new Histogram({
    name: 'tt_broadcast_start_seconds', help: 'From a broadcast being issued to a receiver starting it (receiver clock)', labelNames: ['priority'],
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300], registers: [registry],
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
