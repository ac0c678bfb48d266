/**
 * The embedded broker's own thread, started by embedded-broker.ts: aedes routes every message here,
 * so a flood of acks being routed does not queue behind the controller's signature checks and
 * database writes, nor they behind it. It authenticates from the credential table the controller
 * sends at start and keeps current, and sends back its log lines and its number of clients.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AedesBroker, type BrokerLog } from './aedes-broker.js';
import { CredentialTable } from './broker-credentials.js';
import { UrgentCommands } from '../protocol/urgency.js';
import type { BrokerWorkerData, FromBrokerWorker, ToBrokerWorker } from './embedded-broker.js';

const data = workerData as BrokerWorkerData;
const port = parentPort!;
const post = (message: FromBrokerWorker) => port.postMessage(message);

const credentials = new CredentialTable(data.controllerSecret, data.receivers);
// The controller's urgent commands, copied: their acks pass the ack gate at once.
const urgent = new UrgentCommands();
for (const id of data.urgent) urgent.add(id);
const log: BrokerLog = {
  warn: (fields, msg) => post({ type: 'log', level: 'warn', fields, msg }),
  debug: (fields, msg) => {
    if (data.debug) post({ type: 'log', level: 'debug', fields, msg });
  },
};
// A fleet connecting at once changes the count thousands of times: sent once per turn.
let count: number | undefined;
const broker = new AedesBroker(
  credentials,
  log,
  data.listen,
  (n) => {
    if (count === undefined)
      setImmediate(() => {
        post({ type: 'clients', count: count! });
        count = undefined;
      });
    count = n;
  },
  { urgent, marks: data.ackMarks, untilController: true },
);

port.on('message', (message: ToBrokerWorker) => {
  switch (message.type) {
    case 'credential':
      credentials.set(message.id, message.credential);
      break;
    case 'urgent':
      urgent.add(message.id);
      break;
    case 'disconnect':
      broker.disconnectClient(message.id);
      break;
    case 'stop':
      void broker.stop().then(() => post({ type: 'stopped' }));
      break;
  }
});

try {
  post({ type: 'listening', port: await broker.start() });
} catch (err) {
  post({ type: 'failed', message: (err as Error).message, code: (err as NodeJS.ErrnoException).code });
}
