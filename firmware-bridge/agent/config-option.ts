/**
 * The command line the agent and the bridge share: `--config FILE` and `--help`. An option it does
 * not know is answered with the usage in words (Vietnamese, then English) and exit 2, never
 * parseArgs's stack trace; `--help` prints the usage and exits 0.
 */
import { parseArgs } from 'node:util';
import { inBoth } from '../../controller/i18n/messages.js';

/** The configuration file named on the command line (or `defaultPath`); exits for --help and wrong usage. */
export function configOption(usageKey: 'agent_usage' | 'bridge_usage', defaultPath: string): string {
  const { vi, en } = inBoth(usageKey);
  const usage = `${vi}\n\n${en}`;
  let values;
  try {
    ({ values } = parseArgs({
      options: { config: { type: 'string', default: defaultPath }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch {
    console.error(usage);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values.config!;
}
