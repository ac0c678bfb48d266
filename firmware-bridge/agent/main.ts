/**
 * The agent on a real receiver: `tsx firmware-bridge/agent/main.ts --config /etc/truyen-thanh-agent.json`
 * (the file the controller produced at enrolment). Exit code 2: the file cannot be read or is not
 * valid (each wrong field said in Vietnamese then English, never a stack trace).
 */
import { parseArgs } from 'node:util';
import { inBoth } from '../../controller/i18n/messages.js';
import { readAgentConfigFile } from '../bridge/bridge-config.js';
import { ReceiverAgent } from './receiver-agent.js';

const usage = () => {
  const { vi, en } = inBoth('agent_usage');
  return `${vi}\n\n${en}`;
};
let values;
try {
  ({ values } = parseArgs({
    options: {
      config: { type: 'string', default: '/etc/truyen-thanh-agent.json' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch {
  // An option it does not know: the usage in words, not parseArgs's stack trace.
  console.error(usage());
  process.exit(2);
}
if (values.help) {
  console.log(usage());
  process.exit(0);
}
// A file that cannot be read or a field that is wrong: said in words, as the bridge says its own (exit 2).
const problems: { vi: string; en: string }[] = [];
const config = readAgentConfigFile(values.config!, (what) => problems.push(what));
if (!config) {
  console.error(problems.map((p) => `${p.vi}\n${p.en}`).join('\n\n'));
  process.exit(2);
}
const agent = new ReceiverAgent({ config });
await agent.start(false);
const running = inBoth('agent_running', {
  receiver: config.receiver_id,
  hamlet: config.hamlet_id,
  broker: config.mqtt_url,
});
console.log(`${running.vi}\n${running.en}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void agent.stop().then(() => process.exit(0)));
// A remote restart: exit, and let the service manager (systemd Restart=always) start the agent again.
agent.on('restart', () => void agent.stop().then(() => process.exit(0)));
