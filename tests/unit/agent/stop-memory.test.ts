/**
 * A stop taken is kept with the receiver's state, and what it silenced leaves the state at once:
 * a withdrawn emergency taken up again by on-air recovery must not sound after the next power cut
 * (an outsider heard one three times over: the state still listed it as on air).
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlayCommand } from '../../../controller/protocol/index.js';
import type { AgentConfig } from '../../../controller/protocol/agent-config.js';
import { AgentContext } from '../../../firmware-bridge/agent/agent-context.js';
import { FileAgentStore } from '../../../firmware-bridge/agent/agent-store.js';
import type { MediaCache } from '../../../firmware-bridge/agent/media-cache.js';
import { PlayQueue } from '../../../firmware-bridge/agent/play-queue.js';
import { SilentPlayer } from '../../../firmware-bridge/agent/players.js';
import { ReconnectBacklog } from '../../../firmware-bridge/agent/reconnect-backlog.js';

const dir = mkdtempSync(join(tmpdir(), 'stop-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'alarm.mp3');
writeFileSync(file, 'audio');

const now = new Date('2026-12-06T15:00:00.000Z'); // 22:00 in Việt Nam: quiet hours, an emergency all the same
const emergency = {
  type: 'play',
  command_id: 'cmd-1',
  broadcast_id: 'bc-1',
  priority: 'emergency',
  issued_at: '2026-12-06T14:59:00.000Z',
  expires_at: '2026-12-06T15:15:00.000Z',
  play_at: null,
  media: { url: 'https://x/a.mp3', sha256: 'a'.repeat(64), size_bytes: 5, duration_ms: 20_000 },
  stream: null,
  volume_pct: 100,
  repeat_count: 3,
  repeat_interval_s: 10,
} as unknown as PlayCommand;

/** A receiver's play queue on a state directory, started as after a power cut, nothing connected. */
function receiver(stateDir: string) {
  const store = new FileAgentStore(stateDir);
  const events = new EventEmitter();
  const ctx = new AgentContext({
    config: { receiver_id: 'rx-1', hamlet_id: 'thon-1', state_dir: stateDir } as AgentConfig,
    store,
    clock: { now: () => now },
    log: pino({ level: 'silent' }),
    events,
  });
  ctx.state = store.loadState();
  const acks: string[] = [];
  const played: string[] = [];
  events.on('playing', (c: PlayCommand) => played.push(c.broadcast_id));
  const backlog = new ReconnectBacklog();
  const queue = new PlayQueue({
    ctx,
    acks: { record: (_c: PlayCommand, stage: string, reason?: string) => acks.push(`${stage}:${reason ?? null}`) },
    player: new SilentPlayer(1),
    cache: {} as MediaCache,
    backlog,
  } as unknown as ConstructorParameters<typeof PlayQueue>[0]);
  return { ctx, queue, backlog, acks, played };
}

describe('a stop kept with the state', () => {
  it('leaves nothing it silenced on air in the saved state, and silences what is taken up again', () => {
    const stateDir = join(dir, 'rx-1');
    const first = receiver(stateDir);
    // On air at the power cut; taken up again at the start, held for the first connection's burst.
    first.ctx.state.on_air = [{ command: emergency, file, started: true }];
    first.backlog.starting();
    first.queue.start();
    expect(first.acks).toEqual(['interrupted:player_error']);
    first.queue.stopBroadcast('bc-1', '2026-12-06T14:59:30.000Z', '2026-12-06T15:15:00.000Z');
    expect(first.acks).toEqual(['interrupted:player_error', 'failed:stopped']);
    first.queue.stop(); // the power goes again, nothing saved after the stop

    const saved = new FileAgentStore(stateDir).loadState();
    expect(saved.on_air, 'the withdrawn alarm still listed as on air').toEqual([]);
    expect(saved.stops?.broadcasts).toEqual({ 'bc-1': '2026-12-06T15:15:00.000Z' });

    // Had the save and the power cut crossed (the item still on air in the state), the stop kept
    // with it silences it at the next start: no replay, and the receiver says it was stopped.
    saved.on_air = [{ command: emergency, file, started: true }];
    new FileAgentStore(stateDir).saveState(saved);
    const again = receiver(stateDir);
    again.queue.start();
    expect(again.acks).toEqual(['failed:stopped']);
    expect(again.played).toEqual([]);
    again.queue.stop();
  });

  it('forgets a stop once its command has expired, and keeps a stop-all for what was due before it', () => {
    const stateDir = join(dir, 'rx-2');
    const r = receiver(stateDir);
    r.queue.stopBroadcast('bc-old', '2026-12-06T13:00:00.000Z', '2026-12-06T14:00:00.000Z');
    r.queue.stopBroadcast('bc-new', '2026-12-06T14:59:30.000Z', '2026-12-06T15:15:00.000Z');
    r.queue.stopBroadcast(null, '2026-12-06T14:59:45.000Z', '2026-12-06T15:15:00.000Z');
    r.queue.stop();
    const saved = new FileAgentStore(stateDir).loadState();
    expect(saved.stops).toEqual({
      broadcasts: { 'bc-new': '2026-12-06T15:15:00.000Z' },
      all_issued_at: '2026-12-06T14:59:45.000Z',
    });
  });
});
