/**
 * The bridge on its host: `npm run bridge -- --config /etc/truyen-thanh-bridge.yaml`.
 * Logs are JSON lines on stdout (pino).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadBridgeConfig } from './bridge-config.js';
import { Bridge } from './bridge.js';

const { values } = parseArgs({ options: { config: { type: 'string', default: '/etc/truyen-thanh-bridge.yaml' } } });
const { config, groups } = loadBridgeConfig(values.config!);
const logger = pino({ level: process.env.TT_BRIDGE_LOG ?? 'info' });
const bridge = new Bridge({ config, groups, logger });
await bridge.start(false);
logger.info(
  {
    groups: groups.map((g) => ({
      receiver_id: g.agent.receiver_id,
      hamlet_id: g.agent.hamlet_id,
      driver: g.driver.kind,
    })),
  },
  'bridge running',
);
const exit = () => void bridge.stop().then(() => process.exit(0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, exit);
// A remote restart of any group: exit, and let the service manager (systemd Restart=always) start the bridge again.
bridge.on('restart', exit);
