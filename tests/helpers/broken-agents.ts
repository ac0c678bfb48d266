/**
 * Test-only: the real ReceiverAgent broken in one way each, for showing that the conformance kit
 * fails such a receiver and names the case. Nothing here reaches the agent's own code: the checks
 * are wrapped through vi.mock (broken-checks.ts), the outbox through the agent's `store` option,
 * and the stop handling and the answer to a controller's restart by replacing one function on one
 * instance.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { agentConfigSchema } from '../../controller/protocol/agent-config.js';
import { checkCommand } from '../../firmware-bridge/agent/command-checks.js';
import { FileAgentStore, type AgentState, type AgentStore } from '../../firmware-bridge/agent/agent-store.js';
import type { PlayQueue } from '../../firmware-bridge/agent/play-queue.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import type { RemoteOps } from '../../firmware-bridge/agent/remote-ops.js';
import { BROKEN_BY_TESTS, breakChecks } from './broken-checks.js';

export type AgentFault =
  | 'skip_signature'
  | 'accept_expired'
  | 'ignore_stop'
  | 'lose_acks'
  | 'ignore_controller_restart'
  | 'ignore_controller_session'
  | 'overstate_resent'
  | 'start_in_backlog';

/** Sends acks live only: nothing waits on disk, so what was made or sent while the link was down is lost. */
class ForgetfulOutboxStore implements AgentStore {
  constructor(private readonly inner: AgentStore) {}
  loadState(): AgentState {
    return this.inner.loadState();
  }
  saveState(state: AgentState): void {
    this.inner.saveState(state);
  }
  addAck(): void {}
  removeAcks(): void {}
  pendingAcks() {
    return [];
  }
}

/** Starts a broken agent from an enrolment file (as the kit writes it); resolves once it runs. */
export async function startBrokenAgent(configFile: string, fault: AgentFault): Promise<ReceiverAgent> {
  const config = agentConfigSchema.parse(JSON.parse(readFileSync(configFile, 'utf8')));
  if (fault === 'skip_signature' || fault === 'accept_expired') {
    if (!(BROKEN_BY_TESTS in checkCommand))
      throw new Error('this test file must vi.mock the command checks with withBrokenChecks');
    breakChecks(config.receiver_id, fault);
  }
  const store = new FileAgentStore(config.state_dir);
  const agent = new ReceiverAgent({
    config,
    store: fault === 'lose_acks' ? new ForgetfulOutboxStore(store) : store,
    player: new SilentPlayer(1),
    logger: pino({ level: 'silent' }),
  });
  if (fault === 'ignore_stop') (agent as unknown as { queue: PlayQueue }).queue.stopBroadcast = () => {};
  if (fault === 'ignore_controller_restart')
    (agent as unknown as { link: { options: { onControllerBack: () => void } } }).link.options.onControllerBack =
      () => {};
  // Starts what is due at once after a reconnection, as the agent did before it waited for the burst.
  if (fault === 'start_in_backlog')
    (agent as unknown as { backlog: { waitMs: () => number } }).backlog.waitMs = () => 0;
  if (fault === 'overstate_resent') {
    // Says it resent more acks than it did.
    const ops = (agent as unknown as { ops: Pick<RemoteOps, 'reply'> }).ops;
    const reply = ops.reply.bind(ops);
    ops.reply = (id, status, data, error) =>
      reply(id, status, typeof data?.resent === 'number' ? { ...data, resent: data.resent + 7 } : data, error);
  }
  if (fault === 'ignore_controller_session') {
    // As an agent older than the broker session: the controller's status read without its `session`.
    const link = (agent as unknown as { link: Record<string, (payload: Buffer, retained: boolean) => void> }).link;
    const heard = link.onControllerStatus.bind(link);
    link.onControllerStatus = (payload, retained) => {
      let status: Record<string, unknown>;
      try {
        status = JSON.parse(payload.toString()) as Record<string, unknown>;
      } catch {
        return heard(payload, retained); // empty (a cleared status) or not JSON: as the agent reads it
      }
      const { session: _ignored, ...rest } = status;
      heard(Buffer.from(JSON.stringify(rest)), retained);
    };
  }
  await agent.start(false);
  return agent;
}
