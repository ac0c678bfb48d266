/**
 * The bridge on its host: `npm run bridge -- --config /etc/truyen-thanh-bridge.yaml`.
 * Logs are JSON lines on stdout (pino). Exit code 2: wrong usage or a configuration to fix
 * (each problem said where it is and how to fix it, in Vietnamese then English), or a state
 * directory that cannot be made or written (which, and how to fix it); 1: the stream
 * server's port cannot be opened (taken by another program, say), said the same way.
 */
import { pino } from 'pino';
import { loadBridgeConfig } from './bridge-config.js';
import { Bridge } from './bridge.js';
import { BridgeConfigError, formatConfigError, formatListenError } from './config-problems.js';
import { formatStateDirError, keyLineWarnings, prepareStateDirs, StateDirError } from './preflight.js';
import { StreamServerListenError } from './stream-server.js';
import { configOption } from '../agent/config-option.js';

const configFile = configOption('bridge_usage', '/etc/truyen-thanh-bridge.yaml');

let loaded;
try {
  loaded = loadBridgeConfig(configFile);
} catch (err) {
  if (!(err instanceof BridgeConfigError)) throw err;
  console.error(formatConfigError(err));
  process.exit(2);
}
const { config, groups } = loaded;
// Before anything opens or connects: a state directory that cannot be written is a refusal, a key
// line not plugged in (yet) a warning.
try {
  prepareStateDirs(groups);
} catch (err) {
  if (!(err instanceof StateDirError)) throw err;
  console.error(formatStateDirError(err, configFile));
  process.exit(2);
}
for (const warning of keyLineWarnings(groups, configFile)) console.error(warning);
const logger = pino({ level: process.env.TT_BRIDGE_LOG ?? 'info' });
const bridge = new Bridge({ config, groups, logger });
try {
  await bridge.start(false);
} catch (err) {
  if (!(err instanceof StreamServerListenError)) throw err;
  console.error(formatListenError(err, configFile));
  // The stream server opens before anything else: nothing is keyed or connected yet.
  await bridge.stop();
  process.exit(1);
}
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
