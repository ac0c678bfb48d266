/**
 * Closing an MQTT link without hanging, for both sides. mqtt.js's end() waits for the socket's
 * close event; a socket that died unnoticed (or a client stuck in a reconnect) may never send one,
 * and a shutdown that hangs keeps a receiver from restarting or the controller from stopping.
 */
import type { MqttClient } from 'mqtt';

export async function endLink(client: MqttClient, withinMs = 2000): Promise<void> {
  const ended = client.endAsync(true).then(
    () => false,
    () => false,
  );
  const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), withinMs).unref());
  if (await Promise.race([ended, late])) client.stream?.destroy();
}
