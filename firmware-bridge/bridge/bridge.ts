/**
 * The bridge: one process fronting installations that cannot run the agent (RTP paging, pull-type
 * stream speakers, an FM transmitter). Each device group is enrolled as one receiver and runs the
 * real ReceiverAgent with the group's driver as its player, so checks, downloads, hash checks,
 * held items, stops, pre-emption and acks on disk are the agent's own; the driver only makes the
 * sound and says what it could confirm (the ack's `detail`).
 */
import { EventEmitter } from 'node:events';
import { pino, type Logger } from 'pino';
import { FileAgentStore } from '../agent/agent-store.js';
import type { Player } from '../agent/players.js';
import { ReceiverAgent } from '../agent/receiver-agent.js';
import type { BridgeConfig, BridgeGroup } from './bridge-config.js';
import { FmDriver } from './fm-driver.js';
import { RtpDriver } from './rtp-driver.js';
import { StreamDriver } from './stream-driver.js';
import { StreamServer } from './stream-server.js';

export interface BridgeOptions {
  config: BridgeConfig;
  groups: BridgeGroup[];
  logger?: Logger;
}

/** Events: `restart` (a remote operation asked one of the groups to restart). */
export class Bridge extends EventEmitter {
  readonly agents: ReceiverAgent[] = [];
  private readonly fm: FmDriver[] = [];
  private streams?: StreamServer;
  private readonly log: Logger;

  constructor(private readonly options: BridgeOptions) {
    super();
    this.log = options.logger ?? pino({ level: 'info' });
  }

  /** Releases every transmitter key first, then opens the stream server, then connects each group. */
  async start(waitForConnection = false): Promise<void> {
    const { config, groups } = this.options;
    if (groups.some((g) => g.driver.kind === 'http_stream')) {
      this.streams = new StreamServer(config.stream_server.host, config.stream_server.port, config.ffmpeg_path);
      await this.streams.start();
      this.log.info({ url: this.streams.url }, 'stream server listening');
    }
    for (const group of groups) {
      const player = await this.driverFor(group);
      const id = group.agent.receiver_id;
      const agent = new ReceiverAgent({
        config: group.agent,
        store: new FileAgentStore(group.agent.state_dir),
        player,
        logger: this.log.child({ receiver_id: id, driver: group.driver.kind }),
      });
      agent.on('restart', () => this.emit('restart', id));
      this.agents.push(agent);
    }
    await Promise.all(this.agents.map((a) => a.start(waitForConnection)));
  }

  private async driverFor(group: BridgeGroup): Promise<Player> {
    const { driver } = group;
    const ffmpeg = this.options.config.ffmpeg_path;
    if (driver.kind === 'rtp') return new RtpDriver(driver, ffmpeg);
    if (driver.kind === 'http_stream')
      return new StreamDriver(
        driver,
        await this.streams!.mount(driver.mount, driver.name, driver.bitrate_kbps),
        ffmpeg,
      );
    const fm = new FmDriver(driver, ffmpeg, this.log.child({ receiver_id: group.agent.receiver_id, driver: 'fm' }));
    const failed = fm.start();
    if (failed)
      this.log.error({ receiver_id: group.agent.receiver_id, err: failed.message }, 'transmitter key line unavailable');
    else this.log.info({ receiver_id: group.agent.receiver_id }, 'transmitter key released at start');
    this.fm.push(fm);
    return fm;
  }

  async stop(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop()));
    for (const fm of this.fm) fm.stop();
    await this.streams?.stop();
  }
}
