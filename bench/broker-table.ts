/**
 * The scale table: each fleet size on the embedded aedes broker and on Mosquitto side by side,
 * every figure beside its bare-broker floor from the same run, as a ratio. Printed and written
 * to bench/results/ as Markdown (the README keeps a dated copy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchBroker } from './bench-fleet.js';
import type { BroadcastBenchResult } from './broadcast-bench.js';
import { lastHeld } from './stats.js';

interface Cell {
  floor?: number;
  product: number;
  unit: 'ms' | 's' | 'acks/s' | 'MB' | '%';
  /** Floor and product do different work (one answer against four acks): side by side, no ratio. */
  unlike?: true;
}

const show = (v: number | undefined, unit: Cell['unit']) => {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return 'not all';
  if (unit === '%') return `${Math.round(v * 100)} %`;
  if (unit === 's') return `${(v / 1000).toFixed(2)} s`;
  if (unit === 'acks/s' || unit === 'MB') return `${Math.round(v).toLocaleString('en')} ${unit}`;
  return `${v.toFixed(0)} ms`;
};
const ratio = (c: Cell) =>
  c.unlike || c.floor === undefined || !Number.isFinite(c.floor) || !Number.isFinite(c.product)
    ? ''
    : `${(c.product / c.floor).toFixed(2)}x`;

/** The figures of one run, by row label. */
function cells(r: BroadcastBenchResult): [string, Cell][] {
  // The second broadcast: audio already cached, so the figures are the broker path, not the download.
  const cached = r.product[1] ?? r.product[0];
  const emergency = r.product.find((p) => p.started_acks_ms !== undefined);
  const floorRate = r.receivers / (r.floor.all_acks_ms / 1000);
  // Four acks per receiver and broadcast (received, downloaded, started, finished).
  const productRate = (4 * r.receivers) / ((cached.finished_acks_ms ?? NaN) / 1000);
  return [
    ['every receiver connected (CONNACK)', { floor: r.connect.floor_ms, product: r.connect.product_ms, unit: 's' }],
    [
      'fan-out: receiver holds the command, p50',
      { floor: r.floor.command.p50, product: cached.command.p50, unit: 'ms' },
    ],
    ['fan-out, p99', { floor: r.floor.command.p99, product: cached.command.p99, unit: 'ms' }],
    ['fan-out, max', { floor: r.floor.command.max, product: cached.command.max, unit: 'ms' }],
    [
      "every receiver's first ack stored (floor: received)",
      { floor: r.floor.all_acks_ms, product: cached.received_acks_ms, unit: 's' },
    ],
    // Not like with like: the floor's bare clients answer once each, the agents make four acks each.
    [
      'acks per second (floor: one answer per receiver; product: four acks per receiver, to the last "finished"; not like with like, so no ratio)',
      { floor: floorRate, product: productRate, unit: 'acks/s', unlike: true },
    ],
    // The emergency sent during a broadcast's ack ingest, against the idle broker and against bare
    // clients doing the same flood (the loaded floor): how much of its delay the broker has anyway.
    [
      'emergency under load, p50 held (idle floor)',
      { floor: r.floor.command.p50, product: emergency?.command.p50 ?? NaN, unit: 'ms' },
    ],
    ...emergencyRows(r, emergency, r.loaded_floor, "loaded floor in the product's shape"),
    ...emergencyRows(r, emergency, r.acks_only_floor, 'loaded floor of acks only'),
    ...(r.agents_floor ? agentsFloorRows(r, emergency, r.agents_floor) : []),
    [
      'emergency: from the click to the broker taking it (PUBACK)',
      { product: r.emergency_path?.broker_took_ms ?? NaN, unit: 'ms' },
    ],
    // Where the emergency's time went: how busy each event loop was from the click to the last receiver.
    [
      'busy until the last receiver holds it: controller thread',
      { product: r.emergency_busy?.controller ?? NaN, unit: '%' },
    ],
    ['busy until the last receiver holds it: broker thread', { product: r.emergency_busy?.broker ?? NaN, unit: '%' }],
    ['busy until the last receiver holds it: simulated fleet', { product: r.emergency_busy?.fleet ?? NaN, unit: '%' }],
    ['controller peak RSS', { product: r.rss_peak_mb, unit: 'MB' }],
    ['broker peak RSS', { product: r.broker === 'aedes' ? NaN : (r.broker_peak_mb ?? NaN), unit: 'MB' }],
  ];
}

/**
 * The emergency against one loaded floor: at the receivers (the simulated fleet) and at the
 * witnesses (bare receivers in an idle process of their own, so the fleet's queue of thousands
 * of receivers' checks on one core is out of the figure).
 */
function emergencyRows(
  r: BroadcastBenchResult,
  emergency: BroadcastBenchResult['product'][number] | undefined,
  floor: BroadcastBenchResult['loaded_floor'],
  name: string,
): [string, Cell][] {
  const pooled = r.receivers * r.emergency_rounds;
  const witnessed = r.witnesses * r.emergency_rounds;
  return [
    [
      `emergency under load, p50 held (${name})`,
      { floor: floor.command.p50, product: emergency?.command.p50 ?? NaN, unit: 'ms' },
    ],
    [
      `emergency under load, p99 held (${name})`,
      { floor: floor.command.p99, product: emergency?.command.p99 ?? NaN, unit: 'ms' },
    ],
    [
      `last receiver holds the emergency, ms after the click (${name})`,
      {
        floor: lastHeld(floor.command, pooled),
        product: emergency ? lastHeld(emergency.command, pooled) : NaN,
        unit: 'ms',
      },
    ],
    [
      `emergency at the ${r.witnesses} witnesses, p99 held (${name}, at the same witnesses)`,
      { floor: floor.witnesses.p99, product: emergency?.witnesses?.p99 ?? NaN, unit: 'ms' },
    ],
    [
      `last witness holds the emergency, ms after the click (${name})`,
      {
        floor: lastHeld(floor.witnesses, witnessed),
        product: emergency?.witnesses ? lastHeld(emergency.witnesses, witnessed) : NaN,
        unit: 'ms',
      },
    ],
  ];
}

/** The emergency against the loaded floor at the same agents (bench/agents-floor.ts): like for like at the simulated fleet. */
function agentsFloorRows(
  r: BroadcastBenchResult,
  emergency: BroadcastBenchResult['product'][number] | undefined,
  floor: NonNullable<BroadcastBenchResult['agents_floor']>,
): [string, Cell][] {
  const pooled = r.receivers * r.emergency_rounds;
  return [
    [
      'emergency under load, p99 held (loaded floor at the same agents)',
      { floor: floor.command.p99, product: emergency?.command.p99 ?? NaN, unit: 'ms' },
    ],
    [
      'last receiver holds the emergency, ms after the click (loaded floor at the same agents)',
      {
        floor: lastHeld(floor.command, pooled),
        product: emergency ? lastHeld(emergency.command, pooled) : NaN,
        unit: 'ms',
      },
    ],
  ];
}

export function brokerTable(results: BroadcastBenchResult[]): string {
  const brokers = [...new Set(results.map((r) => r.broker))] as BenchBroker[];
  const sizes = [...new Set(results.map((r) => r.receivers))];
  const head = ['receivers', 'figure', ...brokers.flatMap((b) => [`${b} floor`, `${b} product`, `${b} ratio`])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const n of sizes) {
    const byBroker = brokers.map((b) => {
      const r = results.find((x) => x.receivers === n && x.broker === b);
      return r && { broker: r.broker, cells: new Map(cells(r)) };
    });
    const labels = [...byBroker.find(Boolean)!.cells.keys()];
    for (const label of labels) {
      const row = [n.toLocaleString('en'), label];
      for (const r of byBroker) {
        const c = r?.cells.get(label);
        if (!c) row.push('', '', '');
        else if (label === 'broker peak RSS' && r!.broker === 'aedes') row.push('', 'in the controller', '');
        else if (label.endsWith('broker thread') && r!.broker !== 'aedes') row.push('', 'its own process', '');
        else row.push(show(c.floor, c.unit), show(c.product, c.unit), ratio(c));
      }
      lines.push(`| ${row.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/** Prints the table and writes it, with the date and machine, to bench/results/broker-table.md. */
/** Writes the table of `results` to bench/results/broker-table.md; prints it when `print` (the last call). */
export function writeBrokerTable(results: BroadcastBenchResult[], print = true): string {
  const table = brokerTable(results);
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const text =
    `# Broker scale table\n\nMeasured ${new Date().toISOString()} on ${machine}.\n` +
    'Ratios are product / floor (the same work by bare MQTT clients on the same broker in the same run); the ack rate has none (its floor does other work).\n' +
    "The emergency under load (sent 30 ms after a whole-commune broadcast, during its 4 x N acks) has an idle floor (a bare command to an idle broker) and three loaded ones: in the product's shape (a bare client publishes a normal command to every hamlet as bare clients publish 4 x N acks of a signed ack's size at once, a bare emergency-shaped command 30 ms later), of acks only (the same without the normal command), and at the same agents (a bare client publishes the normal command signed as the controller signs, the agents check it and send their own acks, a bare emergency-shaped command as long after it as the product's emergency came after its broadcast, measured each round from the broker taking the last normal command to it taking the last emergency one). Witnesses are bare receivers of their own in an otherwise idle process.\n\n" +
    `${table}\n`;
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}broker-table.md`;
  writeFileSync(file, text);
  if (print) console.log(`\n${text}\n(written to ${file})`);
  return file;
}
