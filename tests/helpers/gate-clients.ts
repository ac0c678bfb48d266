/**
 * The clients of the ack-gate tests: a controller that takes acks and then stops reading its socket
 * (so the broker's routing backlog grows and its gate holds), and receivers with their credentials.
 */
import mqtt from 'mqtt';
import { CONTROLLER_USERNAME } from '../../controller/mqtt/broker-acl.js';
import { ACKS_FILTER } from '../../controller/protocol/topics.js';

/** Subscribed to acks, its socket paused; `resume()` reads again. No keepalive: it stays paused a while. */
export async function pausedController(url: string, onMessage: (payload: Buffer) => void) {
  const client = await mqtt.connectAsync(url, {
    clientId: 'controller',
    username: CONTROLLER_USERNAME,
    password: 'controller-secret',
    protocolVersion: 4,
    keepalive: 0,
  });
  client.on('message', (_topic, payload) => onMessage(payload));
  await client.subscribeAsync(ACKS_FILTER, { qos: 1 });
  const stream = (client as unknown as { stream: NodeJS.ReadableStream }).stream;
  stream.pause();
  return { client, resume: () => stream.resume() };
}

/** Receivers rx-0, rx-1… connected with their secrets. */
export function connectReceivers(url: string, secrets: string[]): Promise<mqtt.MqttClient[]> {
  return Promise.all(
    secrets.map((secret, i) =>
      mqtt.connectAsync(url, { clientId: `rx-${i}`, username: `rx-${i}`, password: secret, protocolVersion: 4 }),
    ),
  );
}
