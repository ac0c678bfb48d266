/**
 * The agent on a real receiver: `tsx firmware-bridge/agent/main.ts --config /etc/truyen-thanh-agent.json`
 * (the file the controller produced at enrolment). Exit code 2: the file cannot be read or is not
 * valid (each wrong field said in Vietnamese then English, never a stack trace).
 */
import { parseArgs } from 'node:util';
import { readAgentConfigFile } from '../bridge/bridge-config.js';
import { ReceiverAgent } from './receiver-agent.js';

const { values } = parseArgs({ options: { config: { type: 'string', default: '/etc/truyen-thanh-agent.json' } } });
// A file that cannot be read or a field that is wrong: said in words, as the bridge says its own (exit 2).
const problems: { vi: string; en: string }[] = [];
const config = readAgentConfigFile(values.config!, (what) => problems.push(what));
if (!config) {
  console.error(problems.map((p) => `${p.vi}\n${p.en}`).join('\n\n'));
  process.exit(2);
}
const agent = new ReceiverAgent({ config });
await agent.start(false);
console.log(
  `Cụm loa ${config.receiver_id} (thôn ${config.hamlet_id}) đang chạy / agent running; broker ${config.mqtt_url}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void agent.stop().then(() => process.exit(0)));
// A remote restart: exit, and let the service manager (systemd Restart=always) start the agent again.
agent.on('restart', () => void agent.stop().then(() => process.exit(0)));
