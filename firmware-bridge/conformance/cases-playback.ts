/**
 * Cases on playing: audio whose hash is not the signed one is never played; stop and stop-all
 * silence what they name; an emergency cuts a normal item (Circular 39/2020); a play_at starts on
 * time, judged by the `started` ack's time against the scheduled instant.
 */
import type { SignedCommand } from '../../controller/protocol/messages.js';
import { fail, pass, type ConformanceCase, type Finding, type KitSession } from './kit-session.js';
import { TONES } from './kit-media.js';
import { SLOW_LINK } from './slow-pipe.js';

const LONG_MS = TONES.long.seconds * 1000;

/** Waits until the command has one of the stages, or the end of its play plus the usual answer time. */
function settled(s: KitSession, c: SignedCommand, stages = ['finished', 'failed', 'rejected'] as const) {
  return s.waitForStage(c.command_id, [...stages], LONG_MS + s.timings.answer_ms);
}

/** The finding for an item that must end `failed` with `reason` and never finish. */
function endedFailed(s: KitSession, c: SignedCommand, reason: string, label: string): Finding {
  const acks = s.controller.acksOf(c.command_id);
  const evidence = { command: `${label} ${c.command_id}`, acks: s.stages(c.command_id), reason };
  const failed = acks.find((k) => k.ack.stage === 'failed');
  if (acks.some((k) => k.ack.stage === 'finished')) return fail('conf_played_to_the_end', evidence);
  if (!failed) return fail('conf_no_failed_ack', evidence);
  if (failed.ack.reason !== reason)
    return fail('conf_failed_wrong_reason', { ...evidence, got: failed.ack.reason ?? 'null' });
  return pass('conf_failed_as_required', evidence);
}

/** The stop command itself gets `received`, and nothing else. */
function stopAcked(s: KitSession, stop: SignedCommand): Finding {
  const stages = s.controller.acksOf(stop.command_id).map((k) => k.ack.stage);
  const evidence = { command: stop.command_id, acks: s.stages(stop.command_id) };
  return stages.join() === 'received' ? pass('conf_stop_received', evidence) : fail('conf_stop_not_received', evidence);
}

export const hashMismatch: ConformanceCase = {
  id: 'hash_mismatch',
  title: 'conf_case_hash_mismatch',
  async run(s) {
    const command = s.play('short');
    // The right size, the wrong hash: the file served is not the one the controller signed.
    command.media = { ...command.media!, sha256: 'f'.repeat(64) };
    const sent = await s.controller.send(command);
    await settled(s, sent);
    const acks = s.controller.acksOf(sent.command_id);
    const evidence = { command: sent.command_id, acks: s.stages(sent.command_id), reason: 'hash_mismatch' };
    if (acks.some((k) => k.ack.stage === 'downloaded' || k.ack.stage === 'started'))
      return [fail('conf_hash_mismatch_played', evidence)];
    const failed = acks.find((k) => k.ack.stage === 'failed');
    if (!failed) return [fail('conf_no_failed_ack', evidence)];
    if (failed.ack.reason !== 'hash_mismatch')
      return [fail('conf_failed_wrong_reason', { ...evidence, got: failed.ack.reason ?? 'null' })];
    return [pass('conf_failed_as_required', evidence)];
  },
};

export const stopOne: ConformanceCase = {
  id: 'stop',
  title: 'conf_case_stop',
  async run(s) {
    const item = await s.controller.send(s.play('long'));
    if (!(await s.waitForStage(item.command_id, ['started'])))
      return [fail('conf_did_not_start', { command: item.command_id, acks: s.stages(item.command_id) })];
    const stop = await s.controller.send(s.stop(item.broadcast_id));
    await settled(s, item);
    await s.sleep(200); // a stray ack for the stop itself would come now
    return [endedFailed(s, item, 'stopped', 'L'), stopAcked(s, stop)];
  },
};

export const stopAll: ConformanceCase = {
  id: 'stop_all',
  title: 'conf_case_stop_all',
  async run(s) {
    const playing = await s.controller.send(s.play('long'));
    const queued = await s.controller.send(s.play('short'));
    if (!(await s.waitForStage(playing.command_id, ['started'])))
      return [fail('conf_did_not_start', { command: playing.command_id, acks: s.stages(playing.command_id) })];
    await s.waitForStage(queued.command_id, ['downloaded']);
    const stop = await s.controller.send(s.stop(null));
    await settled(s, playing);
    await settled(s, queued);
    await s.sleep(200);
    return [endedFailed(s, playing, 'stopped', 'L'), endedFailed(s, queued, 'stopped', 'Q'), stopAcked(s, stop)];
  },
};

export const preemption: ConformanceCase = {
  id: 'preemption',
  title: 'conf_case_preemption',
  async run(s) {
    const normal = await s.controller.send(s.play('long'));
    if (!(await s.waitForStage(normal.command_id, ['started'])))
      return [fail('conf_did_not_start', { command: normal.command_id, acks: s.stages(normal.command_id) })];
    const emergency = await s.controller.send(s.play('alarm', { priority: 'emergency' }));
    await settled(s, emergency);
    await settled(s, normal);
    const cut = s.controller.acksOf(normal.command_id).find((k) => k.ack.stage === 'failed')?.ack.seq;
    const acks = s.controller.acksOf(emergency.command_id);
    const started = acks.find((k) => k.ack.stage === 'started')?.ack.seq;
    const evidence = { command: `E ${emergency.command_id}`, acks: s.stages(emergency.command_id) };
    const played = acks.map((k) => k.ack.stage).join() === 'received,downloaded,started,finished';
    return [
      endedFailed(s, normal, 'preempted', 'N'),
      played && cut !== undefined && started !== undefined && started > cut
        ? pass('conf_emergency_played', evidence)
        : fail('conf_emergency_not_played', evidence),
    ];
  },
};

export const playAt: ConformanceCase = {
  id: 'play_at',
  title: 'conf_case_play_at',
  async run(s) {
    const at = s.now() + 3000;
    const command = await s.controller.send(s.play('short', { play_at_ms: at }));
    const downloaded = await s.waitForStage(command.command_id, ['downloaded', 'failed', 'rejected']);
    const started = await s.waitForStage(command.command_id, ['started', 'failed'], at - s.now() + s.timings.answer_ms);
    await settled(s, command);
    const findings: Finding[] = [];
    const evidence = {
      command: command.command_id,
      acks: s.stages(command.command_id),
      play_at: new Date(at).toISOString(),
    };
    findings.push(
      downloaded?.ack.stage === 'downloaded' && downloaded.arrived_ms < at
        ? pass('conf_ready_before_play_at', evidence)
        : fail('conf_not_ready_before_play_at', evidence),
    );
    if (started?.ack.stage !== 'started') return [...findings, fail('conf_did_not_start', evidence)];
    const delta = Date.parse(started.ack.at) - at;
    const timing = {
      ...evidence,
      delta_ms: delta,
      tolerance_ms: s.timings.play_at_tolerance_ms,
      arrival_ms: started.arrived_ms - at,
    };
    findings.push(
      Math.abs(delta) <= s.timings.play_at_tolerance_ms
        ? pass('conf_started_on_time', timing)
        : fail('conf_started_off_time', timing),
    );
    return findings;
  },
};

/** Every ack numbered between the first and the last that came has come. */
function noGaps(s: KitSession): boolean {
  const seqs = new Set(s.controller.acks.map((k) => k.ack.seq));
  const [min, max] = [Math.min(...seqs), Math.max(...seqs)];
  for (let seq = min; seq <= max; seq++) if (!seqs.has(seq)) return false;
  return true;
}

/** How long the kit keeps the device's link cut while the play and its stop wait at the broker. */
const BACKLOG_BLACKOUT_MS = 1000;

export const stopInBacklog: ConformanceCase = {
  id: 'stop_in_backlog',
  title: 'conf_case_stop_in_backlog',
  async run(s) {
    // The audio on the device already: the play, once read, could start at once.
    const warm = await s.controller.send(s.play('short'));
    await settled(s, warm);
    const onlineBefore = s.controller.onlineCount();
    // Away for a second, back on a weak link: the stop's bytes come well behind the play's.
    s.broker.cut(BACKLOG_BLACKOUT_MS, SLOW_LINK);
    const link = `${SLOW_LINK.pieceBytes} B / ${SLOW_LINK.everyMs} ms`;
    try {
      const item = await s.controller.send(s.play('short'));
      const stop = await s.controller.send(s.stop(item.broadcast_id));
      const back = await s.waitFor(
        () => s.controller.onlineCount() > onlineBefore,
        BACKLOG_BLACKOUT_MS + s.timings.reconnect_ms,
      );
      if (!back) return [fail('conf_not_back', { seconds: s.timings.reconnect_ms / 1000 })];
      await settled(s, item);
      await s.waitForStage(stop.command_id, ['received', 'rejected']);
      // Urgent acks (a stop's, a "stopped") overtake the others on a slow link: wait for those too.
      await s.waitFor(() => noGaps(s), s.timings.answer_ms);
      await s.sleep(200); // a stray ack for the stop itself would come now
      const evidence = { command: item.command_id, acks: s.stages(item.command_id), link };
      const stages = s.controller.acksOf(item.command_id).map((k) => k.ack.stage);
      if (stages.includes('started')) return [fail('conf_backlog_play_started', evidence), stopAcked(s, stop)];
      return [
        stages.includes('received')
          ? pass('conf_backlog_play_not_started', evidence)
          : fail('conf_backlog_not_read', evidence),
        endedFailed(s, item, 'stopped', 'S'),
        stopAcked(s, stop),
      ];
    } finally {
      // A fast link again for the cases after this one.
      const onlineNow = s.controller.onlineCount();
      s.broker.cut(200); // a blackout of its own, so the drop is known as the kit's (device-link.ts)
      await s.waitFor(() => s.controller.onlineCount() > onlineNow, s.timings.reconnect_ms);
      // And that reconnection's burst over: a play sent within it counts as part of it, and waits
      // (beyond a drop too) until it ends. The next case (link_loss) cuts the link right after one.
      await s.sleep(1_000);
    }
  },
};
