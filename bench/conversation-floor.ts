/**
 * The broker restart bench's second floor: bare clients that say, on every connection, what an
 * agent says to the broker (agent-link.ts), and do nothing else. A kept session, a retained last
 * will on the receiver's status topic, one SUBSCRIBE for the agent's three topics, then a retained
 * status; reconnecting after the agents' spread of 1-3 s and letting a connection go for want of a
 * CONNACK as the agents do (connack-deadline.ts). No disk, no signing, no command checked, no ack:
 * what the broker alone takes to bring back a fleet that speaks our protocol. The plain floor's
 * clients (one subscription, a clean session, nothing published) cost the broker less per
 * connection, so against them the agents' ratio also counts the protocol; against these it counts
 * the agents' and the controller's own work.
 *
 * Its status is a floor marker of an agent's status's size, which the controller drops as
 * malformed: a receiver's real "online" would set the controller's answer going, which is the
 * product's work, not the broker's.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../controller/protocol/topics.js';
import { mqttDebugLog, mqttPassword } from '../controller/shared/mqtt-debug-log.js';
import type { AgentConfig } from '../controller/protocol/agent-config.js';
import { agentSubscriptions, spreadReconnectMs } from '../firmware-bridge/agent/agent-link.js';
import { CONNACK_BACKSTOP_MS, watchConnack } from '../firmware-bridge/agent/connack-deadline.js';

/** About an agent's "online" (v, receiver id, state, session, time, version). */
const FLOOR_STATUS = JSON.stringify({ floor: 'conversation', pad: 'x'.repeat(140) });

/**
 * Connects one such client (resolves at its first CONNACK). `onConnected` at each connection,
 * `onTimedOut` when it lets one go for want of a CONNACK.
 */
export async function connectSpeakingAsAgent(
  c: AgentConfig,
  onConnected: () => void,
  onTimedOut: () => void,
): Promise<MqttClient> {
  const client = mqtt.connect(c.mqtt_url, {
    clientId: c.receiver_id,
    username: c.receiver_id,
    password: mqttPassword(c.secret),
    protocolVersion: 4,
    clean: false,
    resubscribe: false, // subscribed below on every connection, as the agent does
    keepalive: 30,
    reconnectPeriod: spreadReconnectMs(),
    reconnectOnConnackError: true,
    writeCache: false,
    ...mqttDebugLog,
    connectTimeout: CONNACK_BACKSTOP_MS,
    will: { topic: topics.status(c.receiver_id), payload: Buffer.from(FLOOR_STATUS), qos: 1, retain: true },
  });
  client.on('error', () => {}); // refused while the broker is down: it tries again
  watchConnack(client, onTimedOut);
  client.on('connect', () => {
    onConnected();
    const wanted = agentSubscriptions(c);
    client.subscribe(wanted, { qos: 1 }, (_err, _granted, suback) => {
      if (suback) client.publish(topics.status(c.receiver_id), FLOOR_STATUS, { qos: 1, retain: true });
    });
  });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return client;
}
