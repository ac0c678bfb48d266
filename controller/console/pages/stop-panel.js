// The urgent desk's stop: first on the page (on a phone it is the first thing under the title),
// beside what the receivers report playing now, and after a press it says what it did: where the
// stop went, whether anything was playing there, and where something still plays.
import { html, useEffect, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { controllerNow } from '../lib/clock.js';
import { keep, recall } from '../lib/desk-memory.js';
import { t, when } from '../lib/i18n.js';
import { usePlayingNow } from '../lib/playing-now.js';
import { Badge, priorityLabel } from '../lib/ui.js';

/**
 * `chosen`: the hamlets ticked in the desk's form (null for the whole commune), for "stop only
 * these"; `sent`: when the desk last sent a broadcast.
 */
export function StopPanel({ may, hamlets, chosen, sent }) {
  const playing = usePlayingNow(may('coverage:read'));
  const [stopped, setStopped] = useState(lastStop);
  const [stopError, setStopError] = useState(null);
  // A stop's message is about what it stopped, not about a broadcast sent since (outsider G).
  useEffect(() => setStopped((s) => (s && sent && s.at < sent ? null : s)), [sent]);
  // Kept for the tab, as the last send is: an official who leaves the desk and comes back still
  // reads what the stop did and whether it is confirmed (an outsider found it gone).
  useEffect(() => keep(LAST_STOP, stopped), [stopped]);
  const nameOf = (id) => hamlets.find((h) => h.id === id)?.name ?? id;
  const now = playing.data ? playing.data.hamlets.filter((h) => h.playing.length > 0) : null;
  // What a stop went to that the receivers' acks still show playing: said so, not "playing". The
  // controller says which receivers have not taken a stop (also one pressed elsewhere, or before a
  // reload); the press just made covers the moment before the list is read again (the same
  // broadcast in the same hamlet, not one started since).
  const stoppedHere = (h, p) =>
    (p.receivers_stop_unconfirmed > 0 && p.receivers_stop_unconfirmed >= p.receivers_playing) ||
    stopped?.silenced.some((s) => s.hamlet_id === h.hamlet_id && s.broadcast_id === p.broadcast_id);
  const awaitingStop = now ? now.filter((h) => h.playing.some((p) => stoppedHere(h, p))) : [];
  // Silent mid-play and not stopped: nothing sounds there now, but it will at power-back (an emergency).
  const only = (pick) =>
    now
      ? now
          .map((h) => ({ ...h, playing: h.playing.filter((p) => !stoppedHere(h, p) && pick(p)) }))
          .filter((h) => h.playing.length > 0)
      : null;
  const playingOn = only((p) => p.receivers_playing > 0);
  const mayReplay = only((p) => p.receivers_playing === 0) ?? [];

  // Once no receiver plays by its reports what the press silenced, the press says so: the desk had
  // "waiting for the receivers" under the button long after they all had (an outsider).
  const silencedHamlets = [...new Set((stopped?.silenced ?? []).map((s) => s.hamlet_id))];
  const stillThere = (s) =>
    (now ?? []).some((h) => h.hamlet_id === s.hamlet_id && h.playing.some((p) => p.broadcast_id === s.broadcast_id));
  const confirmed =
    now !== null && silencedHamlets.length > 0 && !stopped.silenced.some(stillThere)
      ? t('ui_stop_confirmed', { names: silencedHamlets.map(nameOf).join(', ') })
      : null;

  /** Stop-all is all: every hamlet, whatever is ticked in the form. Stopping a selection is a separate, named button. */
  const stop = (hamletIds) => async () => {
    setStopError(null);
    setStopped(null);
    // What played when the button was pressed, asked alongside the stop (never before it: the stop must not wait).
    const before = may('coverage:read') ? api('GET', '/api/coverage/now').catch(() => null) : Promise.resolve(null);
    try {
      const r = await api('POST', '/api/broadcasts/stop', hamletIds ? { hamlet_ids: hamletIds } : {});
      const then = (await before)?.hamlets.filter((h) => h.playing.length > 0) ?? null;
      const silenced = (then ?? [])
        .filter((h) => r.hamlets.includes(h.hamlet_id))
        .flatMap((h) => h.playing.map((p) => ({ hamlet_id: h.hamlet_id, broadcast_id: p.broadcast_id })));
      const soundingThen = then && then.map((h) => h.hamlet_id);
      setStopped({ ...r, chosen: Boolean(hamletIds), soundingThen, silenced, at: controllerNow() });
      playing.reload();
    } catch (err) {
      // Said beside the stop buttons: nothing was stopped, and why.
      setStopError(t('ui_stop_failed', { why: err.message }));
    }
  };

  /** One broadcast wherever it plays (its own stop), beside its line: not everything that plays. */
  const stopOne = (p) => async () => {
    setStopError(null);
    setStopped(null);
    try {
      await api('POST', `/api/broadcasts/${p.broadcast_id}/stop`, {});
      // Awaited where it played, until the receivers' acks say they took it.
      const silenced = (now ?? [])
        .filter((h) => h.playing.some((x) => x.broadcast_id === p.broadcast_id))
        .map((h) => ({ hamlet_id: h.hamlet_id, broadcast_id: p.broadcast_id }));
      setStopped({ one: titleOf(p), where: silenced.map((s) => nameOf(s.hamlet_id)), silenced, at: controllerNow() });
      playing.reload();
    } catch (err) {
      setStopError(t('ui_stop_failed', { why: err.message }));
    }
  };
  const stopButton = (p) =>
    html` <button type="button" class="stop" onClick=${stopOne(p)}>${t('ui_stop_this')}<span class="sr-only">${t('ui_stop_this_what', { title: titleOf(p) })}</span></button>`;

  return html`<section class="stop-panel" aria-labelledby="stop-h">
    <h2 id="stop-h" class="sr-only">${t('ui_stop_heading')}</h2>
    ${playingOn !== null && (playingOn.length > 0 || awaitingStop.length + mayReplay.length === 0) && html`<${NowPlaying} hamlets=${playingOn} nameOf=${nameOf} stopButton=${stopButton} />`}
    ${byBroadcast(mayReplay, nameOf).map((p) => html`<p class="warning" key=${`r-${p.broadcast_id}`}>${t('ui_may_replay_where', { title: titleOf(p), names: p.where.join(', '), until: when(p.expires_at) })} <${Badge} kind=${p.priority}>${priorityLabel(p.priority)}<//>${stopButton(p)}</p>`)}
    ${awaitingStop.length > 0 && html`<p class="hint">${t('ui_stop_awaiting', { names: awaitingStop.map((h) => nameOf(h.hamlet_id)).join(', ') })}</p>`}
    <div class="actions stop-actions"><button type="button" class="stop big" onClick=${stop(null)}>${t('ui_stop_all')}</button>
      ${chosen && chosen.length > 0 && html`<button type="button" class="stop" onClick=${stop(chosen)}>${t('ui_stop_selected', { count: chosen.length })}</button>`}</div>
    ${stopped !== null && html`<p role="status">${stopped.one ? t('ui_stopped_one', { title: stopped.one, names: stopped.where.join(', ') }) : stopMessage(stopped, nameOf)}${confirmed ? ` ${confirmed}` : ''}</p>`}
    ${stopError && html`<p class="error" role="alert">${stopError}</p>`}
  </section>`;
}

/** What plays now, broadcast by broadcast (its title and priority), and where; or that nothing does. */
function NowPlaying({ hamlets, nameOf, stopButton }) {
  if (hamlets.length === 0) return html`<p class="now-sounding" role="status">${t('ui_sounding_nowhere')}</p>`;
  return html`<div class="now-sounding" role="status">${byBroadcast(hamlets, nameOf).map(
    (p) =>
      html`<p key=${p.broadcast_id}>${t('ui_sounding_what', { title: titleOf(p), names: p.where.join(', ') })} <${Badge} kind=${p.priority}>${priorityLabel(p.priority)}<//>${p.offline > 0 ? html` <small>(${t('ui_playing_offline_count', { count: p.offline })})</small>` : ''}${stopButton(p)}</p>`,
  )}</div>`;
}

/** The hamlets' entries, one per broadcast, with the names of the hamlets where it is. */
function byBroadcast(hamlets, nameOf) {
  const entries = new Map();
  for (const h of hamlets)
    for (const p of h.playing) {
      const entry = entries.get(p.broadcast_id) ?? { ...p, where: [], offline: 0 };
      entry.where.push(nameOf(h.hamlet_id));
      // Playing by their last report only: not connected now (a power cut does not play on).
      entry.offline += p.receivers_playing_offline;
      entries.set(p.broadcast_id, entry);
    }
  return [...entries.values()];
}

/** The desk's last stop in this tab, while it is recent (desk-memory.js). */
const LAST_STOP = 'tt.urgent.last_stop';
const lastStop = () => recall(LAST_STOP);

const titleOf = (p) => p.title ?? t(p.live ? 'audit_subject_live' : 'audit_subject_broadcast');

/** What a stop did, in words: how far it went, which hamlets when chosen, and what played there and elsewhere. */
function stopMessage(stopped, nameOf) {
  const reached = stopped.hamlets.length - stopped.hamlets_without_receivers.length;
  const parts = [t('ui_stopped', { receivers: stopped.receivers, hamlets: reached })];
  if (stopped.chosen) parts.push(t('ui_stopped_where', { names: stopped.hamlets.map(nameOf).join(', ') }));
  if (stopped.hamlets_without_receivers.length > 0)
    parts.push(t('ui_stopped_no_receivers', { names: stopped.hamlets_without_receivers.map(nameOf).join(', ') }));
  if (stopped.soundingThen) {
    const silent = stopped.hamlets.filter((id) => !stopped.soundingThen.includes(id));
    const elsewhere = stopped.soundingThen.filter((id) => !stopped.hamlets.includes(id));
    if (silent.length === stopped.hamlets.length) parts.push(t('ui_stopped_nothing_there'));
    else if (stopped.chosen && silent.length > 0)
      parts.push(t('ui_stopped_nothing_in', { names: silent.map(nameOf).join(', ') }));
    if (elsewhere.length > 0) parts.push(t('ui_still_sounding_elsewhere', { names: elsewhere.map(nameOf).join(', ') }));
  }
  return parts.join(' ');
}
