/**
 * The agent on a real receiver: `tsx firmware-bridge/agent/main.ts --config /etc/truyen-thanh-agent.json`
 * (the file the controller produced at enrolment).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { agentConfigSchema } from '../../controller/protocol/agent-config.js';
import { ReceiverAgent } from './receiver-agent.js';

const { values } = parseArgs({ options: { config: { type: 'string', default: '/etc/truyen-thanh-agent.json' } } });
const config = agentConfigSchema.parse(JSON.parse(readFileSync(values.config!, 'utf8')));
const agent = new ReceiverAgent({ config });
await agent.start(false);
console.log(
  `Cụm loa ${config.receiver_id} (thôn ${config.hamlet_id}) đang chạy / agent running; broker ${config.mqtt_url}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void agent.stop().then(() => process.exit(0)));
// A remote restart: exit, and let the service manager (systemd Restart=always) start the agent again.
agent.on('restart', () => void agent.stop().then(() => process.exit(0)));
