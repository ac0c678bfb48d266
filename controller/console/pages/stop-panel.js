// The urgent desk's stop: first on the page (on a phone it is the first thing under the title),
// beside what the receivers report sounding now, and after a press it says what it did: where the
// stop went, whether anything was sounding there, and where something still sounds.
import { html, useEffect, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { usePlayingNow } from '../lib/playing-now.js';

/**
 * `chosen`: the hamlets ticked in the desk's form (null for the whole commune), for "stop only
 * these"; `sent`: when the desk last sent a broadcast.
 */
export function StopPanel({ may, hamlets, chosen, sent }) {
  const playing = usePlayingNow(may('coverage:read'));
  const [stopped, setStopped] = useState(null);
  const [stopError, setStopError] = useState(null);
  // A stop's message is about what it stopped, not about a broadcast sent since (outsider G).
  useEffect(() => setStopped(null), [sent]);
  const nameOf = (id) => hamlets.find((h) => h.id === id)?.name ?? id;
  const sounding = playing.data
    ? playing.data.hamlets.filter((h) => h.playing.length > 0).map((h) => h.hamlet_id)
    : null;

  /** Stop-all is all: every hamlet, whatever is ticked in the form. Stopping a selection is a separate, named button. */
  const stop = (hamletIds) => async () => {
    setStopError(null);
    setStopped(null);
    const soundingThen = sounding; // what was sounding when the button was pressed
    try {
      const r = await api('POST', '/api/broadcasts/stop', hamletIds ? { hamlet_ids: hamletIds } : {});
      setStopped({ ...r, chosen: Boolean(hamletIds), soundingThen });
      playing.reload();
    } catch (err) {
      // Said beside the stop buttons: nothing was stopped, and why.
      setStopError(t('ui_stop_failed', { why: err.message }));
    }
  };

  return html`<section class="stop-panel" aria-labelledby="stop-h">
    <h2 id="stop-h" class="sr-only">${t('ui_stop_heading')}</h2>
    ${
      sounding !== null &&
      html`<p class="now-sounding" role="status">${sounding.length > 0 ? t('ui_sounding_in', { names: sounding.map(nameOf).join(', ') }) : t('ui_sounding_nowhere')}</p>`
    }
    <div class="actions stop-actions"><button type="button" class="stop big" onClick=${stop(null)}>${t('ui_stop_all')}</button>
      ${chosen && chosen.length > 0 && html`<button type="button" class="stop" onClick=${stop(chosen)}>${t('ui_stop_selected', { count: chosen.length })}</button>`}</div>
    ${stopped !== null && html`<p role="status">${stopMessage(stopped, nameOf)}</p>`}
    ${stopError && html`<p class="error" role="alert">${stopError}</p>`}
  </section>`;
}

/** What a stop did, in words: how far it went, which hamlets when chosen, and what sounded there and elsewhere. */
function stopMessage(stopped, nameOf) {
  const reached = stopped.hamlets.length - stopped.hamlets_without_receivers.length;
  const parts = [t('ui_stopped', { receivers: stopped.receivers, hamlets: reached })];
  if (stopped.chosen) parts.push(t('ui_stopped_where', { names: stopped.hamlets.map(nameOf).join(', ') }));
  if (stopped.hamlets_without_receivers.length > 0)
    parts.push(t('ui_stopped_no_receivers', { names: stopped.hamlets_without_receivers.map(nameOf).join(', ') }));
  if (stopped.soundingThen) {
    const there = stopped.soundingThen.filter((id) => stopped.hamlets.includes(id));
    const elsewhere = stopped.soundingThen.filter((id) => !stopped.hamlets.includes(id));
    if (there.length === 0) parts.push(t('ui_stopped_nothing_there'));
    if (elsewhere.length > 0) parts.push(t('ui_still_sounding_elsewhere', { names: elsewhere.map(nameOf).join(', ') }));
  }
  return parts.join(' ');
}
