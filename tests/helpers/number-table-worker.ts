/**
 * One MQTT component alone in a thread of its own, for tests/integration/mqtt-number-table.test.ts:
 * mqtt-packet's switch is per thread, so each component must be seen to turn it off by itself.
 * Answers with the size of mqtt-packet's number table once the component has exchanged QoS 1
 * packets.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import mqtt from 'mqtt';
import { pino } from 'pino';

/**
 * The table as the library in question sees it: aedes and mqtt.js each resolve mqtt-packet from
 * their own place, and should their versions ever part, the copy the broker writes through would
 * not be the one this project's own import of mqtt-packet switches off.
 */
const numberTableOf = (library: 'aedes' | 'mqtt') =>
  createRequire(fileURLToPath(import.meta.resolve(library)))('mqtt-packet/numbers.js').cache as Record<number, Buffer>;
const { component, port, secret, dir } = workerData as { component: string; port: number; secret: string; dir: string };
const silent = pino({ level: 'silent' });
const url = `mqtt://127.0.0.1:${port}`;

async function brokerAlone(): Promise<void> {
  const { AedesBroker } = await import('../../controller/mqtt/aedes-broker.js');
  const { CredentialTable, hashSecret } = await import('../../controller/mqtt/broker-credentials.js');
  const table = new CredentialTable('controller-secret', [
    { id: 'rx-1', secret_hash: hashSecret(secret), hamlet_id: 'thon-1' },
  ]);
  const broker = new AedesBroker(table, silent, { host: '127.0.0.1', port: 0 });
  const brokerPort = await broker.start();
  // A client as mqtt.js makes it by default (its own table on): the broker's setting must hold.
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${brokerPort}`, {
    clientId: 'rx-1',
    username: 'rx-1',
    password: secret,
    protocolVersion: 4,
  });
  await client.publishAsync('tt/v1/rx/rx-1/ack', '{}', { qos: 1 });
  await client.endAsync();
  await broker.stop();
}

async function controllerAlone(): Promise<void> {
  const { ControllerMqtt } = await import('../../controller/mqtt/mqtt-client.js');
  const { CONTROLLER_USERNAME } = await import('../../controller/mqtt/broker-acl.js');
  const { controllerSubscriptions, topics } = await import('../../controller/protocol/topics.js');
  const controller = new ControllerMqtt(
    { username: CONTROLLER_USERNAME, password: 'controller-secret', clientId: 'controller-alone' },
    silent,
  );
  await controller.start(url, controllerSubscriptions, () => {});
  await controller.publish(topics.receiverCommands('rx-1'), '{}');
  await controller.stop();
}

async function agentAlone(): Promise<void> {
  const { agentOnBroker } = await import('./agents.js');
  const { waitFor } = await import('./wait.js');
  const agent = agentOnBroker({ mqttUrl: url, secret, stateDir: dir });
  await agent.start(false);
  // Its retained status goes out at QoS 1 as it connects.
  await waitFor(() => agent.connected, 'the agent to connect', 10_000);
  await new Promise((r) => setTimeout(r, 300));
  await agent.stop();
}

const run = { broker: brokerAlone, controller: controllerAlone, agent: agentAlone }[component]!;
run().then(
  () =>
    parentPort!.postMessage({ entries: Object.keys(numberTableOf(component === 'broker' ? 'aedes' : 'mqtt')).length }),
  (err: Error) => parentPort!.postMessage({ error: err.message }),
);
