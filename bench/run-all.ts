/**
 * `npm run bench [-- --receivers 1000,5000,10000] [--brokers aedes,mosquitto] [--only broadcast,ingest,restart,programme,reports,telemetry,tts,proof,service-memory]
 * [--report-receivers 5000] [--telemetry-receivers 10000] [--proof-days 365] [--fleet-processes 1]`: every benchmark, figures printed side by side with their
 * floors; the broadcast runs end with the broker table (bench/results/broker-table.md).
 * Numbers, not assertions: this machine is shared and noisy.
 */
import { parseArgs } from 'node:util';
import { fleetShape, type BenchBroker } from './bench-fleet.js';
import { printBroadcastBench, type BroadcastBenchResult } from './broadcast-bench.js';
import { runBroadcastBenchApart } from './broadcast-run.js';
import { writeBrokerTable } from './broker-table.js';
import { printAckIngestBench, runAckIngestBench } from './ack-ingest-bench.js';
import { printRestartBench, runRestartBench } from './restart-bench.js';
import { mosquittoAvailable } from '../tests/helpers/mosquitto.js';
import { printProgrammeBench, runProgrammeBench } from './programme-bench.js';
import { printReportsBench, runReportsBench } from './reports-bench.js';
import { printTelemetryBench, runTelemetryBench } from './telemetry-bench.js';
import { printTtsBench, runTtsBench } from './tts-bench.js';
import { printProofBench, runProofBench } from './proof-bench.js';
import { printServiceMemoryBench, runServiceMemoryBench } from './service-memory.js';

const { values } = parseArgs({
  options: {
    receivers: { type: 'string', default: '1000' },
    brokers: { type: 'string', default: 'aedes,mosquitto' },
    only: { type: 'string' },
    'report-receivers': { type: 'string', default: '500' },
    'telemetry-receivers': { type: 'string', default: '10000' },
    'proof-days': { type: 'string', default: '365' },
    'fleet-processes': { type: 'string', default: String(fleetShape.processes) },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'npm run bench [-- --receivers 1000,5000,10000] [--brokers aedes,mosquitto]\n' +
      '  [--only broadcast,ingest,restart,programme,reports,telemetry,tts,proof,service-memory]\n' +
      '  [--report-receivers 500] [--telemetry-receivers 10000] [--proof-days 365] [--fleet-processes 1]\n' +
      'Every figure beside its floor; the broadcast runs end with the broker table (bench/results/broker-table.md).',
  );
  process.exit(0);
}
fleetShape.processes = Math.max(1, Number(values['fleet-processes']) || 1);
const counts = values
  .receivers!.split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);

console.log(
  `Benchmarks — node ${process.version}, ${new Date().toISOString()}; the simulated fleet in ${fleetShape.processes} process(es)`,
);
const want = (area: string) => !values.only || values.only.split(',').includes(area);
let brokers = values.brokers!.split(',').map((s) => s.trim()) as BenchBroker[];
if (brokers.includes('mosquitto') && !mosquittoAvailable()) {
  console.log(
    'Mosquitto is not installed (apt-get install mosquitto): the broadcast runs use the embedded broker only.',
  );
  brokers = brokers.filter((b) => b !== 'mosquitto');
}
if (want('broadcast')) {
  const results: BroadcastBenchResult[] = [];
  for (const n of counts) {
    for (const broker of brokers) {
      // Each in a fresh process, as a controller serves one fleet (bench/broadcast-run.ts).
      const r = await runBroadcastBenchApart(n, broker);
      printBroadcastBench(r);
      results.push(r);
      writeBrokerTable(results, false); // after every run: a run stopped later keeps what it measured
    }
  }
  writeBrokerTable(results);
}
if (want('ingest'))
  for (const n of counts) for (const broker of brokers) printAckIngestBench(await runAckIngestBench(n, broker));
if (want('restart'))
  for (const n of counts) for (const broker of brokers) printRestartBench(await runRestartBench(n, broker));
if (want('programme')) printProgrammeBench(await runProgrammeBench(counts[0]));
if (want('reports')) printReportsBench(await runReportsBench(Number(values['report-receivers'])));
if (want('telemetry')) printTelemetryBench(await runTelemetryBench(Number(values['telemetry-receivers'])));
if (want('tts')) printTtsBench(await runTtsBench());
// The ingest flood at 5,000 receivers at least: 20,000 acks, long enough for heads' cost to show.
if (want('proof'))
  printProofBench(
    await runProofBench(Math.max(counts[0], 5000), 'aedes', {
      receivers: 1000,
      days: Number(values['proof-days']),
      perDay: 3,
    }),
  );
// The service unit's compiled controller beside its own Mosquitto, at the first count (issue 22).
if (want('service-memory')) {
  if (mosquittoAvailable()) printServiceMemoryBench(await runServiceMemoryBench(counts[0]));
  else console.log('Mosquitto is not installed (apt-get install mosquitto): the service-memory run is skipped.');
}
process.exit(0);
