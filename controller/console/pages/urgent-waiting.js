// The urgent desk's confirmations: where an item will sound, the seconds left to confirm it, and
// the list of what waits for a person's confirmation (polled every 5 s), each with its own buttons.
import { html, useEffect, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { controllerNow } from '../lib/clock.js';
import { lang, t, when } from '../lib/i18n.js';

/** Where it will sound, by name: hamlets and their receivers, those not connected now, hamlets with none. */
export function Where({ where }) {
  const named = (key) => where.hamlets.flatMap((h) => (h[key] ?? []).map((r) => `${r} (${h.name})`));
  const offline = named('offline');
  const never = named('never_connected');
  const notEnrolled = named('not_enrolled');
  // A hamlet listed with no receiver that can play (all registered, none enrolled) will not hear it: said by name.
  const silentHamlets = [
    ...where.hamlets.filter((h) => h.receivers === 0).map((h) => h.name),
    ...where.without_receivers,
  ];
  // Receivers, but none connected now: they are among the hamlets it is sent to, and said apart.
  const unreachable = where.hamlets
    .filter((h) => h.receivers > 0 && (h.offline ?? []).length + (h.never_connected ?? []).length >= h.receivers)
    .map((h) => h.name);
  return html`<ul class="where">${where.hamlets.filter((h) => h.receivers > 0).map((h) => html`<li>${t('ui_confirm_hamlet', { name: h.name, receivers: h.receivers })}</li>`)}</ul>
    ${silentHamlets.length > 0 && html`<p class="warning"><strong>${t('ui_confirm_wont_hear', { names: silentHamlets.join(', ') })}</strong></p>`}
    ${unreachable.length > 0 && html`<p class="warning"><strong>${t('ui_reach_none_online', { names: unreachable.join(', ') })}</strong></p>`}
    ${offline.length > 0 && html`<p class="warning">${t('ui_confirm_offline', { names: offline.join(', ') })}</p>`}
    ${never.length > 0 && html`<p class="warning">${t('ui_confirm_never_connected', { names: never.join(', ') })}</p>`}
    ${notEnrolled.length > 0 && html`<p class="warning">${t('ui_confirm_not_enrolled', { names: notEnrolled.join(', ') })}</p>`}
`;
}

/**
 * The same announcement (words, level, hamlets) already waiting or just sent: said before it is
 * sent twice (an outsider sent one emergency twice from a desk that had not been told).
 */
export function Similar({ similar }) {
  if (!similar) return null;
  const sentAt = similar.sent_at;
  return html`${sentAt && html`<p class="warning"><strong>${t('ui_similar_sent', { time: when(sentAt, false, true) })}</strong></p>`}
    ${similar.waiting.length > 0 && html`<p class="warning"><strong>${t('ui_similar_waiting')}</strong></p>`}`;
}

/** The seconds left to confirm, counting down (the confirmation lapses at its end). */
export function Countdown({ until }) {
  const left = () => Math.max(0, Math.ceil((Date.parse(until) - controllerNow()) / 1000));
  const [seconds, setSeconds] = useState(left());
  useEffect(() => {
    const timer = setInterval(() => setSeconds(left()), 1000);
    return () => clearInterval(timer);
  }, [until]);
  return html`<p class="countdown" aria-live="off">${t('ui_confirm_countdown', { seconds })}</p>`;
}

/** How long the list's buttons wait after its requests moved (an outsider's finger, session 32). */
const MOVED_MS = 1_500;

/**
 * Whose request it is, for the reader: one's own (asked from another device, or before a reload)
 * that needs a second person offers no confirm button, which the controller would refuse; another's
 * says who may confirm it.
 */
function ownership(item) {
  if (item.you_may_confirm === false)
    return html`<p class="warning"><strong>${t('ui_waiting_yours_second_person')}</strong></p>`;
  return html`${item.yours && html`<p><strong>${t('ui_waiting_yours')}</strong></p>`}
    ${item.requires_second_person && html`<p><small>${t('ui_waiting_second_person')}</small></p>`}`;
}

/**
 * What waits for a person's confirmation: emergencies and whole-commune items another official
 * asked for, and CAP alerts from senders not trusted. Checked every few seconds: an alert that
 * arrives at night must be seen by whoever has the desk open.
 */
export function Waiting({ may, hamlets, onSent, open }) {
  const [items, setItems] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);
  /** What the last withdrawal did, said where the request was (it leaves the list). */
  const [done, setDone] = useState(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api('GET', '/api/broadcasts/confirmations').then(
        (list) => live && setItems(list),
        () => {},
      );
    load();
    const timer = setInterval(load, 5_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  // The confirmation open in this desk's own dialog is not listed a second time, nor once that
  // dialog has confirmed or withdrawn it: the list, polled every 5 s, still had it, with a live
  // "confirm" button for an emergency already sent (outsider F, session 20).
  const [gone, setGone] = useState(() => new Set());
  useEffect(() => {
    if (!open) return undefined;
    return () => setGone((g) => new Set(g).add(open));
  }, [open]);
  const shown = items.filter((x) => x.id !== open && !gone.has(x.id));
  // When the list changes (one leaves, one arrives) the others move: its buttons wait a moment, so
  // that a finger on its way to one request does not land on the request that moved under it.
  const shownIds = shown.map((x) => x.id).join();
  const [settled, setSettled] = useState('');
  const moving = shownIds !== settled;
  useEffect(() => {
    const still = setTimeout(() => setSettled(shownIds), MOVED_MS);
    return () => clearTimeout(still);
  }, [shownIds]);
  if (shown.length === 0)
    return html`${error && html`<p class="error" role="alert">${error}</p>`}${done && html`<p class="hint" role="status">${done}</p>`}`;
  const confirm = async (item) => {
    setBusy(item.id);
    setError(null);
    setDone(null);
    try {
      const r = await api('POST', item.confirm_url);
      setItems(items.filter((x) => x.id !== item.id));
      if (r.id) onSent(r.id, r.warning);
    } catch (err) {
      setError(err.message);
      // No longer waiting (confirmed, withdrawn, lapsed, as the words say): it leaves the list now.
      if (err.status === 409 || err.status === 404) setItems((list) => list.filter((x) => x.id !== item.id));
    } finally {
      setBusy(null);
    }
  };
  /** Withdrawn: nothing is sent, and it leaves every desk's list. */
  const withdraw = async (item) => {
    setBusy(item.id);
    setError(null);
    setDone(null);
    try {
      await api('POST', `/api/broadcasts/confirmations/${item.id}/cancel`);
      setItems(items.filter((x) => x.id !== item.id));
      setDone(t('ui_request_withdrawn', { who: item.requested_by_name }));
    } catch (err) {
      setError(err.message);
      // No longer waiting (confirmed, withdrawn, lapsed, as the words say): it leaves the list now.
      if (err.status === 409 || err.status === 404) setItems((list) => list.filter((x) => x.id !== item.id));
    } finally {
      setBusy(null);
    }
  };
  return html`<section class="waiting" aria-labelledby="wt-h" aria-live="polite">
    <h2 id="wt-h">${t('ui_waiting_title', { count: shown.length })}</h2>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${done && html`<p class="hint" role="status">${done}</p>`}
    <ul class="plain">${shown.map(
      (item) => html`<li key=${item.id} class=${`slot p-${item.priority}`}>
      <p><strong>${t(`ui_source_${item.source}`)}</strong> · ${t('ui_waiting_by', { who: item.requested_by_name, until: when(item.expires_at, false) })}</p>
      <${Countdown} until=${item.expires_at} />
      ${item.cap && html`<p><strong>${item.cap.headline ?? ''}</strong> <small>(${t('ui_waiting_cap_sender', { sender: item.cap.sender })})</small></p>`}
      ${item.title && html`<p class="waiting-title"><strong>${t('ui_waiting_what', { title: item.title })}</strong></p>`}
      <p>${lang() === 'en' ? item.summary_en : item.summary}</p>
      ${item.listen_url && html`<p><audio controls preload="none" src=${item.listen_url} aria-label=${t('ui_confirm_listen')}></audio></p>`}
      <p><small>${t('ui_where')}: ${item.whole_commune ? html`<strong>${t('ui_whole_commune')}</strong> · ` : ''}${item.hamlet_ids
        .map((id) => hamlets.find((h) => h.id === id)?.name ?? id)
        .sort((a, b) => a.localeCompare(b, 'vi'))
        .join(', ')}</small></p>
      ${item.where && html`<${Where} where=${item.where} />`}
      <${Similar} similar=${item.similar} />
      ${ownership(item)}
      ${
        may(`broadcast:${item.priority}`) &&
        html`<div class="actions">${item.you_may_confirm !== false && html`<button type="button" class="danger" disabled=${moving || busy === item.id} onClick=${() => confirm(item)}>${t('ui_waiting_confirm')}</button>`}
        <button type="button" disabled=${moving || busy === item.id} onClick=${() => withdraw(item)}>${t('ui_withdraw_request')}</button></div>`
      }
    </li>`,
    )}</ul></section>`;
}
