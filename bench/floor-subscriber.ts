/**
 * The ack ingest bench's floor: a bare subscriber, in a thread of its own, that only counts the
 * flood's acks as the broker delivers them. In the controller's thread (as it was until
 * 2026-12-03) its 20,000 PUBACK writes took a tenth of the thread the product was being timed on.
 * workerData: { url, username, password, topic, match, total }; posts 'ready' once subscribed,
 * then { done } (an absolute time in ms, as stats.ts's nowMs) when `total` messages containing
 * `match` have come.
 */
import { parentPort, workerData } from 'node:worker_threads';
import mqtt from 'mqtt';
import { mqttDebugLog } from '../controller/shared/mqtt-debug-log.js';
import { nowMs } from './stats.js';

const { url, username, password, topic, match, total } = workerData as {
  url: string;
  username: string;
  password: string;
  topic: string;
  match: string;
  total: number;
};
const sub = await mqtt.connectAsync(url, {
  clientId: 'bench-floor',
  username,
  password,
  ...mqttDebugLog,
  protocolVersion: 4,
  reconnectPeriod: 0,
});
await sub.subscribeAsync(topic, { qos: 1 });
let received = 0;
sub.on('message', (_topic, payload) => {
  if (payload.includes(match) && ++received === total) parentPort!.postMessage({ done: nowMs() });
});
parentPort!.on('message', (m: unknown) => {
  if (m === 'close') void sub.endAsync(true).then(() => process.exit(0));
});
parentPort!.postMessage('ready');
