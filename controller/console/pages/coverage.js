// Coverage: recent broadcasts, and one broadcast's coverage by hamlet (who heard it, how many
// households), with what failed and why.
import { html, useEffect, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { t, when } from '../lib/i18n.js';
import { onLive } from '../lib/live.js';
import { Badge, Loading, priorityLabel, useLoad } from '../lib/ui.js';

function BroadcastCoverage({ id }) {
  const state = useLoad(() => api('GET', `/api/broadcasts/${id}/coverage`), [id]);
  useEffect(() => onLive('acks', (e) => e.broadcast_ids.includes(id) && state.reload()), [id]);
  if (!state.data) return html`<${Loading} state=${state} />`;
  const c = state.data;
  return html`<section aria-labelledby="cv-h"><h2 id="cv-h">${t('ui_coverage_of')}</h2>
    <p>${t('ui_coverage_summary', { hamlets: c.hamlets_reached, households: c.households_reached, finished: c.totals.finished, targeted: c.totals.targeted })}</p>
    <table class="wide"><thead><tr><th scope="col">${t('ui_hamlet')}</th><th scope="col">${t('ui_households')}</th><th scope="col">${t('ui_finished')}</th><th scope="col">${t('ui_failed')}</th><th scope="col">${t('ui_waiting')}</th></tr></thead>
    <tbody>${c.hamlets.map((h) => html`<tr><th scope="row">${h.name} ${h.reached ? html`<${Badge} kind="ok">${t('ui_reached')}<//>` : ''}</th><td>${h.households}</td>
      <td>${h.totals.finished} / ${h.totals.targeted}</td><td>${h.totals.failed + h.totals.rejected + h.totals.no_answer}</td><td>${h.totals.waiting}</td></tr>`)}</tbody></table>
    <h3>${t('ui_receivers')}</h3>
    <ul class="plain">${c.hamlets.flatMap((h) => h.receivers).filter((r) => r.outcome !== 'finished').map((r) => html`<li>${r.name}: ${t(`ui_outcome_${r.outcome}`)}${r.reason ? ` (${r.reason})` : ''}</li>`)}</ul>
  </section>`;
}

export function Coverage({ params }) {
  const state = useLoad(() => api('GET', '/api/broadcasts?limit=50'));
  const [selected, setSelected] = useState(params[0] || null);
  if (!state.data) return html`<h1>${t('ui_nav_coverage')}</h1><${Loading} state=${state} />`;
  return html`<h1>${t('ui_nav_coverage')}</h1>
    <div class="columns">
      <section aria-labelledby="bl-h"><h2 id="bl-h">${t('ui_recent_broadcasts')}</h2>
        <table class="wide"><thead><tr><th scope="col">${t('ui_when')}</th><th scope="col">${t('ui_priority')}</th><th scope="col">${t('ui_source')}</th><th scope="col"><span class="sr-only">${t('ui_actions')}</span></th></tr></thead>
        <tbody>${state.data.map((b) => html`<tr><td>${when(b.created_at)}</td><td><${Badge} kind=${b.priority}>${priorityLabel(b.priority)}<//>${b.drill ? html` <${Badge} kind="drill">${t('ui_drill')}<//>` : ''}</td>
          <td>${t(`ui_source_${b.source}`)}</td><td><button type="button" class="link" onClick=${() => setSelected(b.id)} aria-pressed=${selected === b.id}>${t('ui_show_coverage')}</button></td></tr>`)}</tbody></table>
      </section>
      ${selected && html`<${BroadcastCoverage} id=${selected} key=${selected} />`}
    </div>`;
}
