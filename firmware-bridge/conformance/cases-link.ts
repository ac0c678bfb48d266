/**
 * Cases on the link and on proof of play: the broker announces a device that vanished (its last
 * will, retained); acks made while the link was down, and acks sent but never receipted, are kept
 * and sent again after the reconnection (store and forward); `resend_acks` sends the outbox again
 * and receipted acks leave it; a controller's new boot or broker session sends them again too; every ack is signed
 * with the enrolled key, numbered once, chained.
 */
import { randomUUID } from 'node:crypto';
import type { MessageKey } from '../../controller/i18n/messages.js';
import { ackDigest } from '../../controller/protocol/signing.js';
import type { SeenAck } from './kit-controller.js';
import { fail, pass, type ConformanceCase, type Finding, type KitSession } from './kit-session.js';
import { TONES } from './kit-media.js';

export const lastWill: ConformanceCase = {
  id: 'last_will',
  title: 'conf_case_last_will',
  async run(s) {
    const online = s.controller.statuses.filter((x) => x.status.state === 'online').at(-1)?.status;
    const from = s.controller.statuses.length;
    // Long enough to ask the broker what it retains while the device cannot be back yet.
    const blackoutMs = 3000;
    s.broker.cut(blackoutMs);
    const will = await s.waitFor(
      () => s.controller.statuses.slice(from).find((x) => x.status.state === 'offline')?.status,
      5000,
    );
    const findings: Finding[] = [];
    if (!will) findings.push(fail('conf_no_will'));
    else if (will.session !== online?.session)
      findings.push(fail('conf_will_session_differs', { will: will.session, online: online?.session ?? '—' }));
    else findings.push(pass('conf_will_sent', { session: will.session }));
    const retained = await s.controller.retainedStatus(300);
    findings.push(
      retained?.state === 'offline'
        ? pass('conf_will_retained')
        : fail('conf_will_not_retained', { state: retained?.state ?? '—' }),
    );
    const back = await s.waitFor(
      () => s.controller.statuses.slice(from).find((x) => x.status.state === 'online')?.status,
      blackoutMs + s.timings.reconnect_ms,
    );
    if (!back) findings.push(fail('conf_not_back', { seconds: s.timings.reconnect_ms / 1000 }));
    else
      findings.push(
        back.session > (will?.session ?? online?.session ?? -1)
          ? pass('conf_back_online', { session: back.session })
          : fail('conf_session_not_increased', { session: back.session }),
      );
    return findings;
  },
};

export const linkLoss: ConformanceCase = {
  id: 'link_loss',
  title: 'conf_case_link_loss',
  async run(s) {
    s.controller.holdReceipts(true);
    try {
      const at = s.now() + 2000;
      const command = await s.controller.send(s.play('short', { play_at_ms: at }));
      const ready = await s.waitForStage(command.command_id, ['downloaded']);
      if (!ready)
        return [
          fail('conf_not_ready_before_play_at', {
            command: command.command_id,
            acks: s.stages(command.command_id),
            play_at: new Date(at).toISOString(),
          }),
        ];
      const sentBefore = s.controller.acksOf(command.command_id).map((k) => k.ack.seq);
      const onlineBefore = s.controller.onlineCount();
      // Down from now until a second after the item has played: its started and finished acks are made offline.
      const cutAt = s.now();
      const blackoutMs = at + TONES.short.seconds * 1000 + 1000 - cutAt;
      s.broker.cut(blackoutMs);
      const back = await s.waitFor(
        () => s.controller.onlineCount() > onlineBefore,
        blackoutMs + s.timings.reconnect_ms,
      );
      if (!back) return [fail('conf_not_back', { seconds: s.timings.reconnect_ms / 1000 })];
      await s.waitFor(
        () =>
          ['started', 'finished'].every((st) =>
            s.controller.acks.some(
              (k) => k.ack.command_id === command.command_id && k.ack.stage === st && k.arrived_ms > cutAt,
            ),
          ),
        s.timings.answer_ms,
      );
      await s.sleep(300);
      const after = s.controller.acks.filter((k) => k.ack.command_id === command.command_id && k.arrived_ms > cutAt);
      const offline = ['started', 'finished'];
      const missing = offline.filter((st) => !after.some((k) => k.ack.stage === st));
      const notResent = sentBefore.filter((seq) => !after.some((k) => k.ack.seq === seq));
      const evidence = {
        command: command.command_id,
        acks: after.map((k) => `${k.ack.stage}#${k.ack.seq}`).join(' ') || '—',
      };
      return [
        missing.length
          ? fail('conf_offline_acks_lost', { ...evidence, missing: missing.join(', ') })
          : pass('conf_offline_acks_delivered', evidence),
        notResent.length
          ? fail('conf_unreceipted_not_resent', { ...evidence, seqs: notResent.join(', ') })
          : pass('conf_unreceipted_resent', { ...evidence, seqs: sentBefore.join(', ') }),
      ];
    } finally {
      s.controller.holdReceipts(false);
    }
  },
};

export const resendAcks: ConformanceCase = {
  id: 'resend_acks',
  title: 'conf_case_resend_acks',
  async run(s) {
    s.controller.holdReceipts(true);
    const findings: Finding[] = [];
    try {
      const held = await heldAcksOfOnePlay(s);
      // What its outbox holds: every ack the kit took and has not receipted, and any still on its way.
      const unreceipted = s.controller.unreceipted();
      const askedAt = s.controller.acks.length;
      const askedAtMs = s.now();
      const op = await s.controller.send(s.op('resend_acks'));
      const reply = await s.waitFor(
        () => s.controller.replies.find((r) => r.command_id === op.command_id),
        s.timings.answer_ms,
      );
      const data = reply?.data as { resent?: unknown; next_seq?: unknown } | null | undefined;
      // The count it says against its outbox (older acks too, an earlier case's): what came again,
      // waited for, then a moment more for any beyond it, with what the kit holds unreceipted.
      const cameAgain = () => new Set(s.controller.acks.slice(askedAt).map((k) => k.ack.seq));
      const said = typeof data?.resent === 'number' ? data.resent : undefined;
      if (said !== undefined) await s.waitFor(() => cameAgain().size >= said || undefined, s.timings.answer_ms);
      await s.sleep(300);
      const outbox = [...new Set([...unreceipted, ...cameAgain()])].sort((a, b) => a - b);
      const nextSeq = Math.max(-1, ...s.controller.acks.map((k) => k.ack.seq)) + 1;
      const replyOk = reply?.status === 'ok' && said === outbox.length && data?.next_seq === nextSeq;
      findings.push(
        replyOk
          ? pass('conf_resend_reply', { resent: String(said), seqs: outbox.join(', '), next_seq: nextSeq })
          : fail('conf_resend_reply_wrong', {
              reply: reply ? JSON.stringify({ status: reply.status, data: reply.data, error: reply.error }) : '—',
              held: outbox.length,
              next_seq: nextSeq,
            }),
      );
      findings.push(await resentSince(s, held, { from: askedAt, at: askedAtMs }, 'conf_resent_all', 'conf_not_resent'));
    } finally {
      s.controller.holdReceipts(false);
    }
    // Receipted acks leave the outbox: asked again once the receipts are out, there is nothing to resend.
    await s.sleep(500);
    const op = await s.controller.send(s.op('resend_acks'));
    const reply = await s.waitFor(
      () => s.controller.replies.find((r) => r.command_id === op.command_id),
      s.timings.answer_ms,
    );
    const resent = (reply?.data as { resent?: unknown } | null | undefined)?.resent;
    findings.push(
      resent === 0 ? pass('conf_receipted_forgotten') : fail('conf_receipted_kept', { resent: String(resent ?? '—') }),
    );
    return findings;
  },
};

/**
 * A controller killed after taking acks in but before storing them, back while the device's link
 * stayed up (an external broker): a new boot on its status topic, and the device sends its
 * unreceipted acks again at once, unchanged (PROTOCOL.md, Controller status).
 */
export const controllerRestart: ConformanceCase = {
  id: 'controller_restart',
  title: 'conf_case_controller_restart',
  async run(s) {
    s.controller.holdReceipts(true);
    try {
      const held = await heldAcksOfOnePlay(s);
      const announcedAt = s.now();
      const from = s.controller.acks.length;
      await s.controller.announceNewBoot();
      return [await resentSince(s, held, { from, at: announcedAt }, 'conf_restart_resent', 'conf_restart_not_resent')];
    } finally {
      s.controller.holdReceipts(false);
    }
  },
};

/**
 * A broker restarted without persistence, the controller back on it with the same boot but a new
 * broker session: what the device sent before the controller subscribed again went to no one. The
 * device sends its unreceipted acks again at once (PROTOCOL.md, Controller status).
 */
export const controllerSession: ConformanceCase = {
  id: 'controller_session',
  title: 'conf_case_controller_session',
  async run(s) {
    // A boot and session of the kit's own first, heard live: the device may send what it holds,
    // and the receipts (not held yet) take it all.
    const boot = randomUUID();
    await s.controller.announce(boot, randomUUID());
    await s.sleep(500);
    s.controller.holdReceipts(true);
    try {
      const held = await heldAcksOfOnePlay(s);
      const announcedAt = s.now();
      const from = s.controller.acks.length;
      await s.controller.announce(boot, randomUUID());
      return [await resentSince(s, held, { from, at: announcedAt }, 'conf_session_resent', 'conf_session_not_resent')];
    } finally {
      s.controller.holdReceipts(false);
    }
  },
};

/** Plays a short item with receipts held back; resolves with its acks, all unreceipted. */
async function heldAcksOfOnePlay(s: KitSession): Promise<SeenAck[]> {
  const command = await s.controller.send(s.play('short'));
  await s.waitForStage(command.command_id, ['finished', 'failed', 'rejected'], 1000 + 2 * s.timings.answer_ms);
  return s.controller.acksOf(command.command_id);
}

/**
 * Whether every held ack came again, unchanged, after the kit asked for them (an announcement, a
 * `resend_acks`): the acks the kit took from index `since.from` on, the last one's delay counted
 * from `since.at` (the kit's clock).
 */
async function resentSince(
  s: KitSession,
  held: SeenAck[],
  since: { from: number; at: number },
  passKey: MessageKey,
  failKey: MessageKey,
): Promise<Finding> {
  // No ack of the play to hold: nothing could be judged, which is no pass.
  if (held.length === 0) return fail('conf_no_acks');
  const again = () => s.controller.acks.slice(since.from);
  const missing = () => held.filter((h) => !again().some((k) => k.ack.seq === h.ack.seq));
  await s.waitFor(() => missing().length === 0 || undefined, s.timings.answer_ms);
  const seqs = (acks: SeenAck[]) => acks.map((h) => h.ack.seq).join(', ');
  if (missing().length) return fail(failKey, { seqs: seqs(missing()) });
  const changed = held.filter((h) => again().some((k) => k.ack.seq === h.ack.seq && k.ack.sig !== h.ack.sig));
  if (changed.length) return fail('conf_resend_changed', { seqs: seqs(changed) });
  // How long the last of them took to come again: "at once" is shown, not only asserted.
  const lastMs = Math.max(...held.map((h) => again().find((k) => k.ack.seq === h.ack.seq)!.arrived_ms)) - since.at;
  return pass(passKey, { seqs: seqs(held), ms: Math.max(0, Math.round(lastMs)) });
}

export const ackSignatures: ConformanceCase = {
  id: 'ack_signatures',
  title: 'conf_case_ack_signatures',
  async run(s) {
    const all = s.controller.acks;
    const findings: Finding[] = [];
    const bad = all.filter((k) => !k.signature_ok).map((k) => k.ack.seq);
    const bySeq = new Map<number, string>();
    const reused = new Set<number>();
    for (const k of all) {
      const text = JSON.stringify(k.ack);
      if (bySeq.has(k.ack.seq) && bySeq.get(k.ack.seq) !== text) reused.add(k.ack.seq);
      bySeq.set(k.ack.seq, text);
    }
    const acks = new Map(all.map((k) => [k.ack.seq, k.ack]));
    const broken = [...acks.values()]
      .filter((a) => a.prev !== undefined && acks.has(a.seq - 1) && a.prev !== ackDigest(acks.get(a.seq - 1)!))
      .map((a) => a.seq);
    const seqs = [...acks.keys()].sort((a, b) => a - b);
    if (all.length === 0) findings.push(fail('conf_no_acks'));
    else if (bad.length)
      findings.push(fail('conf_acks_badly_signed', { count: bad.length, seqs: [...new Set(bad)].join(', ') }));
    else
      findings.push(
        pass('conf_acks_signed', { count: all.length, distinct: acks.size, from: seqs[0], to: seqs.at(-1)! }),
      );
    if (reused.size) findings.push(fail('conf_seq_reused', { seqs: [...reused].join(', ') }));
    if (broken.length) findings.push(fail('conf_chain_broken', { seqs: broken.join(', ') }));
    if (s.controller.malformed.length) {
      const first = s.controller.malformed[0];
      findings.push(
        fail('conf_malformed_payloads', {
          count: s.controller.malformed.length,
          topic: first.topic,
          error: first.error.slice(0, 200),
        }),
      );
    }
    return findings;
  },
};
