/** `npm run fuzz [-- --cases 100000 --seconds 600 --seed 42]` */
import { parseArgs } from 'node:util';
import { printFuzz, runFuzz } from './fuzz.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '300' },
    seed: { type: 'string' },
  },
});
const result = await runFuzz({
  cases: Number(values.cases),
  seconds: Number(values.seconds),
  seed: values.seed ? Number(values.seed) : undefined,
});
printFuzz(result);
process.exit(
  result.server_errors.length === 0 && result.alive && result.audit_chain_ok && result.db_integrity === 'ok' ? 0 : 1,
);
