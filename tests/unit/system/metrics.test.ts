/**
 * The names on /metrics (controller/system/metrics.ts): the process and runtime metrics under
 * the standard names ready-made dashboards look for (`process_*`, `nodejs_*`, no prefix), ours
 * under `tt_*`, and no `tt_broker_clients` with an external broker (it used to say -1, which
 * is not a count). The live scrape through promtool is tests/integration/metrics-format.test.ts.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createMetrics, type MetricsSources } from '../../../controller/system/metrics.js';

const sources = (connectedClients: () => number | null): MetricsSources =>
  ({
    receivers: { countByStatus: () => ({ online: 2, offline: 1 }), countNotEnrolled: () => 3 },
    broadcasts: { get: () => undefined },
    acks: {
      stats: {
        stored: 3,
        duplicates: 0,
        malformed: 0,
        unknown_command: 0,
        refused: {},
        gaps_asked: 0,
        gaps_given_up: 0,
      },
      events: new EventEmitter(),
      queueDepth: 0,
    },
    connectedClients,
    mqttConnected: () => true,
  }) as unknown as MetricsSources;

describe('/metrics names', () => {
  it('exports the process and runtime metrics under their standard names, and ours under tt_', async () => {
    const text = await createMetrics(sources(() => 4)).metrics();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    expect(text).not.toMatch(/^tt_(process|nodejs)_/m);
    // Gauges named like counters stay out: promtool refuses them.
    expect(text).not.toMatch(/^nodejs_active_\w+_total/m);
    expect(text).toMatch(/^tt_receivers\{status="online"\} 2$/m);
    expect(text).toMatch(/^tt_acks_total\{result="stored"\} 3$/m);
  });

  it('counts the embedded broker’s clients, and exports no such series with an external broker', async () => {
    expect(await createMetrics(sources(() => 4)).metrics()).toMatch(/^tt_broker_clients 4$/m);
    const external = await createMetrics(sources(() => null)).metrics();
    expect(external).not.toContain('tt_broker_clients');
    expect(external).not.toMatch(/ -1$/m);
    expect(external).toMatch(/^tt_mqtt_connected 1$/m);
  });
});
