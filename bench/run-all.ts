/**
 * `npm run bench [-- --receivers 1000,5000] [--only broadcast,programme,reports,telemetry,tts] [--report-receivers 5000] [--telemetry-receivers 10000]`: every benchmark, figures printed side by side
 * with their floors. Numbers, not assertions: this machine is shared and noisy.
 */
import { parseArgs } from 'node:util';
import { printBroadcastBench, runBroadcastBench } from './broadcast-bench.js';
import { printProgrammeBench, runProgrammeBench } from './programme-bench.js';
import { printReportsBench, runReportsBench } from './reports-bench.js';
import { printTelemetryBench, runTelemetryBench } from './telemetry-bench.js';
import { printTtsBench, runTtsBench } from './tts-bench.js';

const { values } = parseArgs({ options: { receivers: { type: 'string', default: '1000' }, only: { type: 'string' }, 'report-receivers': { type: 'string', default: '500' }, 'telemetry-receivers': { type: 'string', default: '10000' } } });
const counts = values.receivers!.split(',').map((s) => Number(s.trim())).filter((n) => n > 0);

console.log(`Benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const want = (area: string) => !values.only || values.only.split(',').includes(area);
if (want('broadcast')) for (const n of counts) printBroadcastBench(await runBroadcastBench(n));
if (want('programme')) printProgrammeBench(await runProgrammeBench(counts[0]));
if (want('reports')) printReportsBench(await runReportsBench(Number(values['report-receivers'])));
if (want('telemetry')) printTelemetryBench(await runTelemetryBench(Number(values['telemetry-receivers'])));
if (want('tts')) printTtsBench(await runTtsBench());
process.exit(0);
