import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import mqttPacket from 'mqtt-packet';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ACKS_IN_FLIGHT } from '../../firmware-bridge/agent/ack-outbox.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { PROTOCOL_VERSION } from '../../controller/protocol/index.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Sits between a receiver and the broker, holds every byte coming back from the broker for
 * `delayMs` (a broker slow to answer, as one routing a flood is), and counts the receiver's ack
 * publishes not yet answered by a PUBACK that reached it.
 */
async function slowAnsweringProxy(brokerPort: number, delayMs: number) {
  const unanswered = new Set<number>();
  const seqs: number[] = [];
  let most = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((receiver) => {
    const broker = connect(brokerPort, '127.0.0.1');
    sockets.add(receiver).add(broker);
    const fromReceiver = mqttPacket.parser({ protocolVersion: 4 });
    const toReceiver = mqttPacket.parser({ protocolVersion: 4 });
    fromReceiver.on('packet', (p) => {
      if (p.cmd === 'publish' && p.topic.endsWith('/ack')) {
        unanswered.add(p.messageId!);
        seqs.push(JSON.parse(String(p.payload)).seq);
        most = Math.max(most, unanswered.size);
      }
    });
    toReceiver.on('packet', (p) => {
      if (p.cmd === 'puback') unanswered.delete(p.messageId!);
    });
    receiver.on('data', (d) => {
      fromReceiver.parse(d);
      broker.write(d);
    });
    broker.on('data', (d) =>
      setTimeout(() => {
        toReceiver.parse(d);
        if (!receiver.destroyed) receiver.write(d);
      }, delayMs),
    );
    const end = () => {
      receiver.destroy();
      broker.destroy();
    };
    receiver.on('close', end).on('error', end);
    broker.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    seqs,
    most: () => most,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

let tc: TestController | undefined;
let agent: ReceiverAgent | undefined;
let proxy: Awaited<ReturnType<typeof slowAnsweringProxy>> | undefined;
afterEach(async () => {
  await agent?.stop();
  await proxy?.close();
  await tc?.close();
  agent = proxy = tc = undefined;
});

describe("a receiver's backlog of acks", () => {
  it(`goes to a slow broker ${ACKS_IN_FLIGHT} at a time, oldest first, and every ack is answered (a whole fleet's backlogs at once ran the embedded broker out of heap)`, async () => {
    tc = await startTestController();
    const config = await enrolReceiver(tc.url, tc.token, 'rx-backlog', 'thon-1', 'rx-backlog');
    const brokerPort = Number(new URL(config.mqtt_url).port);
    proxy = await slowAnsweringProxy(brokerPort, 150);
    const state_dir = join(tc.dir, 'agents', 'rx-backlog');
    const store = new FileAgentStore(state_dir);
    // Twelve acks left on disk from before a power cut (unsigned: the controller answers each
    // with a refusal, which is a receipt too, so every one leaves the disk once it got through).
    for (let seq = 0; seq < 12; seq++)
      store.addAck({
        v: PROTOCOL_VERSION,
        receiver_id: 'rx-backlog',
        seq,
        command_id: '7f0c1c9e-6a55-4c53-9d5e-3c2d8f0e4b11',
        broadcast_id: null,
        stage: 'received',
        at: new Date().toISOString(),
        reason: null,
        detail: null,
      });
    agent = new ReceiverAgent({
      config: { ...config, mqtt_url: `mqtt://127.0.0.1:${proxy.port}`, state_dir },
      store,
      player: new SilentPlayer(0.01),
      logger: pino({ level: 'silent' }),
    });
    await agent.start();
    await waitFor(() => store.pendingAcks().length === 0, 'every ack of the backlog receipted', 20_000);
    expect(proxy.most()).toBe(ACKS_IN_FLIGHT);
    expect([...new Set(proxy.seqs)].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    // Oldest first: each ack's first sending comes after every older one's.
    const firsts = proxy.seqs.filter((s, i) => proxy!.seqs.indexOf(s) === i);
    expect(firsts).toEqual([...Array(12).keys()]);
  });
});
