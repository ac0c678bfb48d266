/** Real receiver agents for integration tests, and reading one receiver's coverage row. */
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { pino } from 'pino';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { ReceiverAgent, type AgentOptions } from '../../firmware-bridge/agent/receiver-agent.js';
import {
  SilentPlayer,
  type Player,
  type PlayRequest,
  type StreamRequest,
} from '../../firmware-bridge/agent/players.js';
import { sentReport } from '../../firmware-bridge/bridge/reports.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import type { TestController } from './test-controller.js';

/**
 * A receiver whose power can be cut and brought back: enrolled once; each call makes a new agent
 * (not started) on the same enrolment and state folder, as a receiver that lost its power keeps
 * its disk. `made` collects every agent for the test to stop.
 */
export async function receiverWithPower(
  tc: TestController,
  id: string,
  hamlet: string,
  speed: number,
  made: ReceiverAgent[],
): Promise<() => ReceiverAgent> {
  const config = { ...(await enrolReceiver(tc.url, tc.token, id, hamlet, id)), state_dir: join(tc.dir, 'agents', id) };
  return () => {
    const agent = new ReceiverAgent({
      config,
      store: new FileAgentStore(config.state_dir),
      player: new SilentPlayer(speed),
      logger: pino({ level: 'silent' }),
    });
    made.push(agent);
    return agent;
  };
}

/** Enrols a receiver through the API and starts its agent (file store in the test's folder, silent speaker). */
export async function startTestAgent(
  tc: TestController,
  id: string,
  hamlet: string,
  options: Partial<AgentOptions> & { speed?: number; connect?: boolean } = {},
): Promise<ReceiverAgent> {
  const config = await enrolReceiver(tc.url, tc.token, id, hamlet, id);
  const state_dir = join(tc.dir, 'agents', id);
  const { speed = 0.01, connect = true, ...rest } = options;
  const agent = new ReceiverAgent({
    config: { ...config, state_dir },
    store: new FileAgentStore(state_dir),
    player: new SilentPlayer(speed),
    logger: pino({ level: 'silent' }),
    ...rest,
  });
  if (connect) await agent.start();
  return agent;
}

/**
 * An agent for a broker alone, with no controller to enrol it: the credentials are given, and it
 * trusts a controller key nobody holds (no command it gets will verify). Not started.
 */
export function agentOnBroker(o: {
  mqttUrl: string;
  secret: string;
  stateDir: string;
  id?: string;
  onCommandArrived?: AgentOptions['onCommandArrived'];
}): ReceiverAgent {
  const { publicKey } = generateKeyPairSync('ed25519');
  return new ReceiverAgent({
    config: {
      receiver_id: o.id ?? 'rx-1',
      hamlet_id: 'thon-1',
      mqtt_url: o.mqttUrl,
      secret: o.secret,
      controller_public_keys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()],
      state_dir: o.stateDir,
      player: { kind: 'silent', speed: 1 },
      max_clock_skew_s: 120,
      telemetry_interval_s: 60,
    },
    store: new FileAgentStore(o.stateDir),
    player: new SilentPlayer(0.01),
    logger: pino({ level: 'silent' }),
    onCommandArrived: o.onCommandArrived,
  });
}

/** One receiver's row in a broadcast's coverage. */
export async function coverageRow(tc: TestController, broadcastId: string, receiverId: string): Promise<any> {
  const coverage = (await tc.api('GET', `/api/broadcasts/${broadcastId}/coverage`)).body;
  return coverage.hamlets.flatMap((h: any) => h.receivers).find((r: any) => r.receiver_id === receiverId);
}

/** A bridge's group as its driver reports it: the audio went out (`detail`), nobody confirms sound. */
export class SendingPlayer implements Player {
  private readonly inner = new SilentPlayer(0.01);
  constructor(private readonly detail: string) {}
  async play(request: PlayRequest, signal: AbortSignal) {
    await this.inner.play(request, signal);
    return sentReport(this.detail);
  }
  async playStream(request: StreamRequest, signal: AbortSignal) {
    await this.inner.playStream(request, signal);
    return sentReport(this.detail);
  }
}
