/**
 * `npm run bench [-- --receivers 1000,5000]`: every benchmark, figures printed side by side
 * with their floors. Numbers, not assertions: this machine is shared and noisy.
 */
import { parseArgs } from 'node:util';
import { printBroadcastBench, runBroadcastBench } from './broadcast-bench.js';

const { values } = parseArgs({ options: { receivers: { type: 'string', default: '1000' } } });
const counts = values.receivers!.split(',').map((s) => Number(s.trim())).filter((n) => n > 0);

console.log(`Benchmarks — node ${process.version}, ${new Date().toISOString()}`);
for (const n of counts) printBroadcastBench(await runBroadcastBench(n));
process.exit(0);
