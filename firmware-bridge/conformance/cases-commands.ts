/**
 * Cases on what a device does with commands: it announces itself, plays valid commands with every
 * stage acknowledged in order, and refuses what it must not play (PROTOCOL.md, "Checks, in this
 * order"): a forged or tampered signature, an expired or not-yet-valid command, a replay, a
 * command for someone else. A refusal is judged by its ack (`rejected` and the reason the
 * protocol names) and by the absence of any stage that means it was taken.
 */
import { CommandSigner } from '../../controller/protocol/signing.js';
import type { RejectReason } from '../agent/types.js';
import type { SignedCommand } from '../../controller/protocol/messages.js';
import { fail, pass, type ConformanceCase, type Finding, type KitSession } from './kit-session.js';

/** The stages of a play that went well, in the order they must come. */
const PLAYED = ['received', 'downloaded', 'started', 'finished'];

export const availability: ConformanceCase = {
  id: 'availability',
  title: 'conf_case_availability',
  async run(s) {
    const topic = `tt/v1/rx/${s.receiverId}/status`;
    const online = s.controller.statuses.find((x) => x.status.state === 'online')?.status;
    if (!online) return [fail('conf_no_online_status', { topic })];
    const findings = [
      pass('conf_online_status', {
        topic,
        session: online.session,
        version: online.agent_version ?? '—',
        memory_since: online.memory_since ?? '—',
      }),
    ];
    if (!online.agent_version) findings.push(fail('conf_no_agent_version'));
    if (!online.memory_since) findings.push(fail('conf_no_memory_since'));
    const retained = await s.controller.retainedStatus();
    findings.push(
      retained?.state === 'online'
        ? pass('conf_status_retained', { topic })
        : fail('conf_status_not_retained', { topic }),
    );
    const session = s.broker.deviceSession();
    findings.push(
      session.clean === false
        ? pass('conf_persistent_session', { keepalive_s: session.keepalive ?? '—' })
        : fail('conf_clean_session'),
    );
    return findings;
  },
};

export const validSequence: ConformanceCase = {
  id: 'valid_sequence',
  title: 'conf_case_valid_sequence',
  async run(s) {
    // A: for the hamlet, on the hamlet's topic. B: for the hamlet, on the device's own topic (how
    // the controller re-sends to one silent receiver: the target check is on the payload). C: for the device.
    const a = await s.controller.send(s.play('short'), s.hamletTopic());
    const b = await s.controller.send(s.play('short'));
    const c = await s.controller.send(s.play('short', { target: 'receiver' }));
    const labelled = [
      ['A', a],
      ['B', b],
      ['C', c],
    ] as const;
    await s.waitFor(
      () =>
        labelled.every(([, x]) =>
          s.controller.acksOf(x.command_id).some((k) => ['finished', 'failed', 'rejected'].includes(k.ack.stage)),
        ),
      3 * 1000 + 3 * s.timings.answer_ms,
    );
    const findings: Finding[] = [];
    for (const [label, x] of labelled) {
      const acks = s.controller.acksOf(x.command_id);
      const inOrder =
        acks.map((k) => k.ack.stage).join() === PLAYED.join() &&
        acks.every((k, i) => i === 0 || k.ack.at >= acks[i - 1].ack.at);
      findings.push(
        inOrder
          ? pass('conf_stages_in_order', { command: `${label} ${x.command_id}`, acks: s.stages(x.command_id) })
          : fail('conf_stages_wrong', {
              command: `${label} ${x.command_id}`,
              acks: s.stages(x.command_id),
              expected: PLAYED.join(' → '),
            }),
      );
    }
    const startedSeqs = labelled.map(
      ([label, x]) =>
        [label, s.controller.acksOf(x.command_id).find((k) => k.ack.stage === 'started')?.ack.seq] as const,
    );
    const order = startedSeqs.map(([label, seq]) => `${label}#${seq ?? '—'}`).join(' ');
    const arrival = startedSeqs.every(([, seq], i) => seq !== undefined && (i === 0 || seq > startedSeqs[i - 1][1]!));
    findings.push(
      arrival ? pass('conf_played_in_arrival_order', { order }) : fail('conf_not_in_arrival_order', { order }),
    );
    return findings;
  },
};

/**
 * Sends what must be refused and judges the answer: `rejected` with `reason`, and nothing that
 * means it was taken (received, downloaded, started…) within the quiet period after.
 */
async function expectRefused(
  s: KitSession,
  command: SignedCommand,
  reason: RejectReason,
  topic?: string,
): Promise<Finding> {
  await s.controller.sendRaw(command, topic);
  await s.waitFor(() => s.controller.acksOf(command.command_id).length > 0, s.timings.answer_ms);
  await s.sleep(s.timings.quiet_ms);
  const acks = s.controller.acksOf(command.command_id);
  const evidence = {
    command: command.command_id,
    acks: s.stages(command.command_id),
    reason,
    seconds: s.timings.answer_ms / 1000,
  };
  if (acks.some((k) => k.ack.stage !== 'rejected')) return fail('conf_taken_not_refused', evidence);
  const rejected = acks.find((k) => k.ack.stage === 'rejected');
  if (!rejected) return fail('conf_no_refusal_ack', evidence);
  if (rejected.ack.reason !== reason)
    return fail('conf_refused_wrong_reason', { ...evidence, got: rejected.ack.reason ?? 'null' });
  return pass('conf_refused', evidence);
}

export const forgedSignature: ConformanceCase = {
  id: 'forged_signature',
  title: 'conf_case_forged_signature',
  async run(s) {
    const forger = CommandSigner.generate().signer;
    // Signed by another key but naming the commune's key: the signature must not verify.
    const claimed = forger.sign(s.play('short'));
    claimed.sig.key_id = s.controller.keyId;
    // Signed by a key the device was never given.
    const unknown = forger.sign(s.play('short'));
    return [await expectRefused(s, claimed, 'bad_signature'), await expectRefused(s, unknown, 'unknown_key')];
  },
};

export const tamperedPayload: ConformanceCase = {
  id: 'bit_flipped',
  title: 'conf_case_bit_flipped',
  async run(s) {
    const genuine = s.controller.sign(s.play('short'));
    // One bit of the payload changed after signing: volume 80 (0b1010000) becomes 81.
    const flipped = { ...genuine, volume_pct: genuine.volume_pct ^ 1 };
    return [await expectRefused(s, flipped, 'bad_signature')];
  },
};

export const expired: ConformanceCase = {
  id: 'expired',
  title: 'conf_case_expired',
  async run(s) {
    const now = s.now();
    // Issued after the device's memory began (so nothing but expiry is wrong with it), expired a second ago.
    const command = s.controller.sign(s.play('short', { issued_at_ms: now - 2000, expires_in_ms: 1000 }));
    return [await expectRefused(s, command, 'expired')];
  },
};

export const notYetValid: ConformanceCase = {
  id: 'not_yet_valid',
  title: 'conf_case_not_yet_valid',
  async run(s) {
    // Issued well beyond the allowed clock skew ahead of now: a pre-made command, or a clock fault.
    const ahead = (s.config.max_clock_skew_s + 300) * 1000;
    const command = s.controller.sign(s.play('short', { issued_at_ms: s.now() + ahead, expires_in_ms: 600_000 }));
    return [await expectRefused(s, command, 'not_yet_valid')];
  },
};

export const wrongTarget: ConformanceCase = {
  id: 'wrong_target',
  title: 'conf_case_wrong_target',
  async run(s) {
    const forOtherHamlet = s.play('short');
    forOtherHamlet.target = { kind: 'hamlet', id: `${s.config.hamlet_id}-khac`.slice(0, 64) };
    const forOtherReceiver = s.play('short', { target: 'receiver' });
    forOtherReceiver.target = { kind: 'receiver', id: `${s.receiverId}-khac`.slice(0, 64) };
    // Genuine commands for someone else, put on this device's topics (a broker account misused).
    return [
      await expectRefused(s, s.controller.sign(forOtherHamlet), 'wrong_target', s.hamletTopic()),
      await expectRefused(s, s.controller.sign(forOtherReceiver), 'wrong_target'),
    ];
  },
};

export const replayed: ConformanceCase = {
  id: 'replayed',
  title: 'conf_case_replayed',
  async run(s) {
    const genuine = await s.controller.send(s.play('short'));
    const done = await s.waitForStage(
      genuine.command_id,
      ['finished', 'failed', 'rejected'],
      1000 + 2 * s.timings.answer_ms,
    );
    if (done?.ack.stage !== 'finished')
      return [
        fail('conf_replay_original_not_played', { command: genuine.command_id, acks: s.stages(genuine.command_id) }),
      ];
    const before = s.controller.acksOf(genuine.command_id).length;
    // The same bytes again, on both its topics; then a fresh command id for the same broadcast.
    await s.controller.sendRaw(genuine);
    await s.controller.sendRaw(genuine, s.hamletTopic());
    const { sig: _, ...unsigned } = genuine;
    const copy = await s.controller.send({
      ...unsigned,
      command_id: crypto.randomUUID(),
      issued_at: new Date(s.now()).toISOString(),
    });
    await s.sleep(s.timings.quiet_ms * 1.5);
    const again = s.controller.acksOf(genuine.command_id).length > before;
    const copyAcks = s.controller.acksOf(copy.command_id);
    return [
      again
        ? fail('conf_replay_acted_on', { command: genuine.command_id, acks: s.stages(genuine.command_id) })
        : pass('conf_replay_ignored', { command: genuine.command_id }),
      copyAcks.length > 0
        ? fail('conf_copy_acted_on', { command: copy.command_id, acks: s.stages(copy.command_id) })
        : pass('conf_copy_ignored', { command: copy.command_id }),
    ];
  },
};
