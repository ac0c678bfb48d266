/**
 * A fleet of simulated receivers: each is a real ReceiverAgent with its own credentials,
 * enrolled through the controller's API, speaking the real protocol to the real broker. Only
 * the loudspeaker is simulated (a silent player), plus fault knobs.
 */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { Agent, fetch } from 'undici';
import { agentConfigSchema, type AgentConfig } from '../../controller/protocol/agent-config.js';
import { httpPool } from '../../controller/shared/http-client.js';
import { FileAgentStore, MemoryAgentStore } from '../agent/agent-store.js';
import { ReceiverAgent, type AgentOptions } from '../agent/receiver-agent.js';
import { SilentPlayer, type Player, type PlayReport, type PlayRequest, type StreamRequest } from '../agent/players.js';

export interface FleetFaults {
  /** Share of playbacks that fail (0..1). */
  fail_playback_ratio?: number;
  /** Delay before each command is handled. */
  processing_delay_ms?: number;
}

export interface FleetOptions {
  controllerUrl: string;
  token: string;
  /** Simulated receivers per hamlet, created as sim-{hamlet}-{nnn}. */
  perHamlet: number;
  hamlets: string[];
  stateDir: string;
  store: 'file' | 'memory';
  /** Playback time as a multiple of the audio's duration (0: instant). */
  speed: number;
  faults?: FleetFaults;
  logger?: Logger;
  agentOptions?: Partial<AgentOptions>;
  /** Overrides the MQTT URL from the enrolment (e.g. when the controller advertises another address). */
  mqttUrl?: string;
  /** A CA certificate (PEM) to trust when the controller's API is HTTPS with its own certificate. */
  ca?: string;
}

/** A player whose playback fails with the given probability (simulated amplifier faults). */
export class FailingPlayer implements Player {
  constructor(
    private readonly inner: Player,
    private readonly ratio: number,
  ) {}
  async play(request: PlayRequest, signal: AbortSignal): Promise<void | PlayReport> {
    if (Math.random() < this.ratio) throw new Error('simulated amplifier fault');
    return this.inner.play(request, signal);
  }
  async playStream(request: StreamRequest, signal: AbortSignal): Promise<void | PlayReport> {
    if (Math.random() < this.ratio) throw new Error('simulated amplifier fault');
    return this.inner.playStream(request, signal);
  }
}

export async function enrolReceiver(
  controllerUrl: string,
  token: string,
  id: string,
  hamletId: string,
  name: string,
  ca?: string,
): Promise<AgentConfig> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined;
  let res = await fetch(`${controllerUrl}/api/receivers`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id, hamlet_id: hamletId, name }),
    dispatcher,
  });
  if (res.status === 409)
    res = await fetch(`${controllerUrl}/api/receivers/${id}/enrol`, {
      method: 'POST',
      headers: { authorization: headers.authorization },
      dispatcher,
    });
  if (!res.ok) throw new Error(`enrolment of ${id} failed: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { agent_config: unknown };
  return agentConfigSchema.parse(body.agent_config);
}

export class Fleet {
  readonly agents: ReceiverAgent[] = [];
  private readonly log: Logger;

  constructor(private readonly options: FleetOptions) {
    this.log = options.logger ?? pino({ level: 'warn' });
  }

  /** One HTTP connection pool for the fleet's downloads, as a real receiver has its own few. */
  private readonly httpPool = httpPool(32);
  /** Emergencies' downloads have their own: in the one pool they waited behind a broadcast's. */
  private readonly emergencyHttpPool = httpPool(32);

  async start(): Promise<void> {
    const { perHamlet, hamlets } = this.options;
    const ids = hamlets.flatMap((h) =>
      Array.from({ length: perHamlet }, (_, i) => ({ id: `sim-${h}-${String(i + 1).padStart(3, '0')}`, hamlet: h })),
    );
    // Enrol a few at a time: the controller is a small box.
    for (let i = 0; i < ids.length; i += 20) {
      const batch = ids.slice(i, i + 20);
      const configs = await Promise.all(
        batch.map((r) =>
          enrolReceiver(
            this.options.controllerUrl,
            this.options.token,
            r.id,
            r.hamlet,
            `Cụm loa mô phỏng ${r.id}`,
            this.options.ca,
          ),
        ),
      );
      for (const config of configs) this.agents.push(this.makeAgent(config));
    }
    await Promise.all(this.agents.map((a) => a.start()));
  }

  private makeAgent(enrolled: AgentConfig): ReceiverAgent {
    const state_dir = join(this.options.stateDir, enrolled.receiver_id);
    const config: AgentConfig = {
      ...enrolled,
      state_dir,
      mqtt_url: this.options.mqttUrl ?? enrolled.mqtt_url,
      player: { kind: 'silent', speed: this.options.speed },
    };
    const faults = this.options.faults ?? {};
    const silent = new SilentPlayer(this.options.speed);
    return new ReceiverAgent({
      config,
      store: this.options.store === 'memory' ? new MemoryAgentStore() : new FileAgentStore(state_dir),
      player: faults.fail_playback_ratio ? new FailingPlayer(silent, faults.fail_playback_ratio) : silent,
      logger: this.log.child({ receiver_id: enrolled.receiver_id }),
      processing_delay_ms: faults.processing_delay_ms,
      // Simulated receivers have no board of their own: they report no temperature or signal rather than the host's.
      board_root: join(this.options.stateDir, '.no-board'),
      // The commune's CA goes with each request (the agent's config), so the pool serves TLS too.
      httpPool: this.httpPool,
      emergencyHttpPool: this.emergencyHttpPool,
      ...this.options.agentOptions,
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop()));
  }
}
