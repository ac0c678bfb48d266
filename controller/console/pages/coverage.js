// Coverage: recent broadcasts, and one broadcast's coverage by hamlet (who heard it, how many
// households), with what failed and why. A receiver that only sent it on (a bridge: RTP, a stream,
// an FM transmitter) is said apart and never counted as heard.
import { html, useEffect, useRef, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { hamletCounts, hamletHeard, hamletState, lastWordOffline } from '../lib/hamlet-state.js';
import { controllerDate } from '../lib/clock.js';
import { lang, number, settings, t, when } from '../lib/i18n.js';

const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
import { onLive } from '../lib/live.js';
import { Badge, Field, Loading, priorityLabel, useLoad } from '../lib/ui.js';
import { repeatsPlayed } from '../lib/receiver-detail.js';

/** A broadcast as the list and the result name it: its title, else what kind it is. */
const broadcastName = (b) => b.title ?? t(b.live_id ? 'audit_subject_live' : 'audit_subject_broadcast');

/** One broadcast's coverage; `broadcast` is its row in the list (named above the table), when listed. */
function BroadcastCoverage({ id, broadcast, shown }) {
  const state = useLoad(() => api('GET', `/api/broadcasts/${id}/coverage`), [id]);
  const here = useRef(null);
  useEffect(() => onLive('acks', (e) => (e.stop_all || e.broadcast_ids.includes(id)) && state.reload()), [id]);
  // The store checked again after an outside write: this page's figures and warning with it.
  useEffect(() => onLive('integrity', () => state.reload()), [id]);
  // Outcomes change with no ack too (the window closes: "waiting" becomes "no answer"): looked at
  // again every 30 s until complete (an open page kept "waiting" after the window: outsider F).
  const complete = state.data?.complete;
  useEffect(() => {
    if (complete !== false) return undefined;
    const timer = setInterval(() => state.reload(), 30_000);
    return () => clearInterval(timer);
  }, [id, complete]);
  // On a phone the result sits below the list: it comes into view when a broadcast is chosen.
  useEffect(() => {
    // After the frame is laid out: scrolled before, a slow phone could leave it out of view.
    if (state.data) requestAnimationFrame(() => here.current?.scrollIntoView({ block: 'start' }));
  }, [id, Boolean(state.data), shown]);
  if (!state.data) return html`<${Loading} state=${state} />`;
  const c = state.data;
  const partly = c.hamlets.filter((h) => hamletHeard(h) === 'part');
  // Each with its hamlet: receivers of different hamlets often share a name ("Cụm loa nhà văn hóa").
  const notFinished = c.hamlets
    .flatMap((h) => h.receivers.map((r) => ({ ...r, hamlet: h.name })))
    .filter((r) => r.outcome !== 'finished');
  // Before any figure: what the last check of the store found (a forged "finished" reads as heard).
  const altered = c.integrity?.ok === false;
  const alteredHere = altered && c.integrity.altered_here > 0;
  return html`<section aria-labelledby="cv-h" ref=${here}><h2 id="cv-h">${t('ui_coverage_of')}</h2>
    ${altered && html`<p class="error" role="alert"><strong>${alteredHere ? t('ui_coverage_altered_here', { count: c.integrity.altered_here, at: when(c.integrity.checked_at) }) : t('ui_coverage_altered_store', { count: c.integrity.problems, at: when(c.integrity.checked_at) })}</strong></p>`}
    ${broadcast && html`<p><strong>${broadcastName(broadcast)}</strong> · ${when(broadcast.play_at ?? broadcast.created_at)} · ${priorityLabel(broadcast.priority)}</p>`}
    <p>${t('ui_coverage_summary', { hamlets: c.hamlets_reached, households: c.households_reached, finished: c.totals.finished, targeted: c.totals.targeted })}${partly.length > 0 ? ` ${t('ui_coverage_partly', { hamlets: partly.length, households: partly.reduce((n, h) => n + h.households, 0) })}` : ''}</p>
    ${c.totals.sent > 0 && html`<p class="warning">${t('ui_sent_unconfirmed_summary', { receivers: c.totals.sent, hamlets: c.hamlets_sent_only, households: c.households_sent_only })}</p>`}
    <table class="wide hide-zeros-on-phone"><thead><tr><th scope="col">${t('ui_hamlet')}</th><th scope="col">${t('ui_households')}</th><th scope="col">${t('ui_finished')}</th><th scope="col">${t('ui_sent_unconfirmed')}</th><th scope="col">${t('ui_col_in_progress')}</th><th scope="col">${t('ui_failed')}</th><th scope="col">${t('ui_col_stopped')}</th><th scope="col">${t('ui_col_unfinished')}</th><th scope="col">${t('ui_col_offline')}</th><th scope="col">${t('ui_col_no_answer')}</th></tr></thead>
    <tbody>${c.hamlets.map((h) => {
      const n = hamletCounts(h);
      return html`<tr><th scope="row">${h.name} ${heardBadge(h)}</th><td class="num">${h.households}</td>
      <td class="num">${h.totals.finished} / ${h.totals.targeted}</td>${[h.totals.sent, n.in_progress, n.failed, n.stopped, n.unfinished, n.offline, n.no_answer].map(count)}</tr>`;
    })}
      ${(c.without_receivers ?? []).map((h) => html`<tr><th scope="row">${h.name}</th><td class="num">${h.households}</td><td colspan="8">${t('ui_hamlet_state_no_receiver')}</td></tr>`)}</tbody></table>
    <h3>${t('ui_receivers_not_finished')}</h3>
    ${
      notFinished.length === 0
        ? html`<p>${t('ui_all_finished')}</p>`
        : html`<ul class="plain">${notFinished.map(
            (r) =>
              html`<li>${r.name} (${r.hamlet}): ${outcomeWords(r)}${r.outcome === 'sent' && r.detail ? html` <small>${t('ui_receiver_reported', { detail: r.detail })}</small>` : ''}</li>`,
          )}</ul>`
    }
  </section>`;
}

/** A count cell; a zero is marked so that a phone's stacked card can leave it out (style.css). */
const count = (n) => html`<td class=${n === 0 ? 'num zero' : 'num'}>${n}</td>`;

/** Heard by every receiver, by some (2 of 20 is not "heard"), or only sent on by a bridge. */
function heardBadge(h) {
  const heard = hamletHeard(h);
  if (heard === 'all') return html`<${Badge} kind="ok">${t('ui_reached')}<//>`;
  if (heard === 'part') return html`<${Badge} kind="warn">${t('ui_heard_part')}<//>`;
  if (h.sent_only) return html`<${Badge} kind="warn">${t('ui_sent_unconfirmed')}<//>`;
  // Not heard: why, in the urgent desk's words (stopped, cut off by an emergency, failed…).
  const state = hamletState(h);
  const kind =
    state === 'stopped' || state === 'stop_sent' || state === 'preempted' || state === 'waiting' || state === 'playing'
      ? 'warn'
      : 'failed';
  return html`<${Badge} kind=${kind}>${t(`ui_hamlet_state_${state}`)}<//>`;
}

/** Stopped or pre-empted, and whether it had begun to play: `stopped_started`, `preempted_unstarted`… */
const cutOffOutcome = (r) => `${r.reason}_${r.started_at ? 'started' : 'unstarted'}`;

/**
 * A receiver's outcome in words. Stopped by a person or cut off by an emergency is said as such,
 * not as "could not play" (no fault of the receiver's), before or while it played; any other
 * failure with its reason.
 */
function outcomeWords(r) {
  // Its own restart (a power cut) cut it off mid-play: said beside whatever followed.
  const restarted = r.restarted_at ? ` — ${t('ui_cut_by_restart', { at: when(r.restarted_at) })}` : '';
  // When it fell silent, not only when it said so on its return (an outsider read that as its end).
  const silent = r.silent_from ? `; ${t('ui_silent_from', { at: when(r.silent_from) })}` : '';
  // What it played before a stop came (an emergency plays three times): "played 1 of 3 times".
  // Not when its restart's own words are the last (they are said in Vietnamese beside it).
  const played = r.reason === 'stopped' && r.detail && !r.cut_by_restart ? ` (${reportedWords(r.detail)})` : '';
  return outcomeAlone(r) + played + restarted + silent;
}

function outcomeAlone(r) {
  // Its final word is the restart's own (not a player error after the item played again).
  if (r.outcome === 'failed' && r.reason === 'player_error' && r.cut_by_restart) return t('ui_outcome_not_whole');
  // Stopped while dark, taken on its return before it played again: not "stopped while playing".
  if (r.outcome === 'failed' && r.reason === 'stopped' && r.cut_by_restart) return t('ui_outcome_stopped_dark');
  if (r.outcome === 'failed' && (r.reason === 'stopped' || r.reason === 'preempted'))
    return t(`ui_outcome_${cutOffOutcome(r)}`);
  const notes = [];
  // Its last word, and it is not connected now: said so, not a plain "playing".
  if (lastWordOffline(r)) notes.push(t('ui_last_report_offline'));
  // A stop went out and the receiver has not taken it: it may still start the item meanwhile.
  if (r.stop_sent_at) notes.push(t('ui_stop_unconfirmed'));
  if (notes.length > 0) return `${t(`ui_outcome_${r.outcome}`)} (${notes.join('; ')})`;
  return `${t(`ui_outcome_${r.outcome}`)}${r.reason ? ` (${t(`ui_reason_${r.reason}`)})` : ''}`;
}

function PeriodReport({ may }) {
  const [kind, setKind] = useState('month');
  const [date, setDate] = useState(
    new Intl.DateTimeFormat('en-CA', { timeZone: settings.commune.timezone }).format(controllerDate()),
  );
  const query = `kind=${kind}&date=${date}`;
  const state = useLoad(() => api('GET', `/api/reports/period?${query}`), [query]);
  const upward = useLoad(() => api('GET', '/api/reports/upward'), []);
  // It moves as the page stays open: the store checked again after an outside write (it said
  // "intact" under the coverage's red warning), and outcomes settling (outsider G).
  useEffect(() => onLive('integrity', () => state.reload()), [query]);
  useEffect(() => {
    const timer = setInterval(() => state.reload(), 60_000);
    return () => clearInterval(timer);
  }, [query]);
  const [sendError, setSendError] = useState(null);
  const send = async () => {
    try {
      await api('POST', '/api/reports/upward', { kind, date });
      setSendError(null);
    } catch (err) {
      setSendError(err.message);
    }
    upward.reload();
  };
  const r = state.data;
  return html`<section aria-labelledby="rp-h"><h2 id="rp-h">${t('ui_period_reports')}</h2>
    <div class="row">
      <${Field} label=${t('ui_period_kind')}>${(a) => html`<select ...${a} value=${kind} onChange=${(e) => setKind(e.target.value)}>${['week', 'month', 'quarter', 'year'].map((k) => html`<option value=${k}>${t(`ui_period_${k}`)}</option>`)}</select>`}<//>
      <${Field} label=${t('ui_date_in_period')}>${(a) => html`<input ...${a} type="date" value=${date} onInput=${(e) => e.target.value && setDate(e.target.value)} />`}<//>
    </div>
    <${Loading} state=${state} />
    ${
      r &&
      html`<div>
      <p><strong>${capital(lang() === 'en' ? r.period.label_en : r.period.label)}</strong>: ${t('doc_summary_aired', { broadcasts: r.totals.broadcasts, minutes_heard: number(r.totals.minutes_heard), not_aired: r.totals.not_aired, drills: r.totals.drills })}
        ${r.totals.minutes_sent_only > 0 ? ` ${t('doc_summary_minutes_sent_only', { minutes: number(r.totals.minutes_sent_only) })}` : ''}
        ${r.totals.stopped > 0 ? ` ${t('doc_summary_stopped', { count: r.totals.stopped })}` : ''}
        ${r.totals.under_way > 0 ? ` ${t('doc_summary_under_way', { count: r.totals.under_way })}` : ''}
        ${' '}${t('doc_summary_reach', { finished: r.totals.receivers_finished, targeted: r.totals.receivers_targeted, households: r.totals.households_reached_per_broadcast, total: r.totals.households_total })}
        ${r.totals.receivers_sent > 0 ? ` ${t('doc_summary_sent', { sent: r.totals.receivers_sent })}` : ''}</p>
      <p>${r.integrity.ok ? html`<${Badge} kind="ok">${t('report_integrity_ok', { count: r.integrity.acks_checked })}<//>` : html`<${Badge} kind="offline">${t('report_integrity_broken', { count: r.integrity.problems })}<//>`}${r.integrity.acks_unchecked > 0 ? ` ${t('doc_integrity_since', { count: r.integrity.acks_unchecked })}` : ''}</p>
      <div class="actions">
        <a href=${`/api/reports/period?${query}&format=xlsx`} download>${t('ui_download_xlsx')}</a>
        <a href=${`/api/reports/period?${query}&format=pdf`} download>${t('ui_download_pdf')}</a>
        <a href=${`/api/reports/period?${query}&format=docx`} download>${t('ui_download_docx')}</a>
        <a href=${`/api/reports/period?${query}&format=csv`} download>${t('ui_download_csv')}</a>
        ${may('audit:read') && html`<button type="button" onClick=${send}>${t('ui_send_province')}</button>`}
      </div>
      ${sendError && html`<p class="error" role="alert">${sendError}</p>`}
      <table class="wide"><caption>${t('report_sheet_categories')}</caption><thead><tr><th scope="col">${t('ui_category')}</th><th scope="col">${t('report_broadcasts')}</th><th scope="col">${t('doc_col_minutes_heard')}</th><th scope="col">${t('doc_col_minutes_sent_only')}</th></tr></thead>
        <tbody>${Object.entries(r.by_category).map(
          ([c, v]) => html`<tr><td>${c === 'uncategorised' ? t('report_uncategorised') : t(`category_${c}`)}</td><td>
          <span class="bar" style=${`width:${Math.max(4, v.broadcasts * 12)}px`} aria-hidden="true"></span> ${v.broadcasts}</td><td>${number(v.minutes_heard)}</td><td>${number(v.minutes_sent_only)}</td></tr>`,
        )}</tbody></table>
      <table class="wide"><caption>${t('report_sheet_hamlets')}</caption><thead><tr><th scope="col">${t('ui_hamlet')}</th><th scope="col">${t('doc_col_addressed')}</th><th scope="col">${t('doc_col_heard')}</th><th scope="col">${t('doc_col_not_heard')}</th><th scope="col">${t('doc_col_share')}</th></tr></thead>
        <tbody>${r.hamlets.map(
          (h) => html`<tr key=${h.hamlet_id}><th scope="row">${h.name}</th><td>${h.broadcasts}</td><td>${h.reached}</td>
          <td>${
            // As the documents list them (NOT_REACHED_REASONS in period-report.ts).
            ['sent', 'no_receiver', 'offline', 'stopped', 'failed', 'waiting']
              .filter((k) => h.not_reached[k] > 0)
              .map((k) => `${t(`doc_reason_${k}`)}: ${h.not_reached[k]}`)
              .join('; ') || t('doc_reasons_none')
          }</td>
          <td>${h.share_played === null ? '—' : `${number(h.share_played)} %`}</td></tr>`,
        )}</tbody></table>
      <ul class="plain">${r.weeks.map((w) => html`<li key=${w.week}>${t('report_week')} ${w.week}: ${w.status === 'met' || w.status === 'future' ? t(`doc_week_${w.status}`) : html`<${Badge} kind="warn">${t(`doc_week_${w.status}`, { categories: w.missing.map((c) => t(`category_${c}`)).join(', ') })}<//>`}</li>`)}</ul>
    </div>`
    }
    ${upward.data && upward.data.length > 0 && html`<h3>${t('ui_upward_reports')}</h3><ul class="plain">${upward.data.map((u) => html`<li>${when(u.period_from, false)} ${when(u.period_from)} — <${Badge} kind=${u.status === 'accepted' ? 'ok' : u.status === 'failed' ? 'offline' : 'warn'}>${t(`ui_upward_${u.status}`)}<//>${u.remote_ref ? ` (${u.remote_ref})` : ''}${u.last_error ? html` <small>${u.last_error}</small>` : ''}</li>`)}</ul>`}
  </section>`;
}

export function Coverage({ params, may }) {
  const state = useLoad(() => api('GET', '/api/broadcasts?limit=50'));
  const [selected, setSelected] = useState(params[0] || null);
  // Each tap of "show" brings the result into view, the one already chosen too (its address does not change).
  const [shown, setShown] = useState(0);
  // The address names the broadcast: a link, the address bar or Back changes it without a reload.
  useEffect(() => {
    if (params[0]) setSelected(params[0]);
  }, [params[0]]);
  if (!state.data) return html`<h1>${t('ui_nav_coverage')}</h1><${Loading} state=${state} />`;
  return html`<h1>${t('ui_nav_coverage')}</h1>
    <div class="columns">
      <section aria-labelledby="bl-h"><h2 id="bl-h">${t('ui_recent_broadcasts')}</h2>
        <table class="wide"><thead><tr><th scope="col">${t('ui_when')}</th><th scope="col">${t('ui_priority')}</th><th scope="col">${t('ui_source')}</th><th scope="col"><span class="sr-only">${t('ui_actions')}</span></th></tr></thead>
        <tbody>${state.data
          .filter((b) => (b.play_at ?? b.created_at) <= controllerDate().toISOString())
          .map(
            (
              b,
            ) => html`<tr key=${b.id}><td>${when(b.play_at ?? b.created_at)}<br /><small>${broadcastName(b)}</small></td><td><${Badge} kind=${b.priority}>${priorityLabel(b.priority)}<//>${b.drill ? html` <${Badge} kind="drill">${t('ui_drill')}<//>` : ''}</td>
          <td>${t(`ui_source_${b.source}`)}</td><td><button type="button" class="link" onClick=${() => {
            location.hash = `#/coverage/${encodeURIComponent(b.id)}`;
            setShown((n) => n + 1);
          }} aria-pressed=${selected === b.id}>${t('ui_show_coverage')}</button></td></tr>`,
          )}</tbody></table>
      </section>
      ${selected && html`<${BroadcastCoverage} id=${selected} key=${selected} shown=${shown} broadcast=${state.data.find((b) => b.id === selected)} />`}
    </div>
    <${PeriodReport} may=${may} />`;
}

/** What a receiver reported, in the reader's words where the console knows them ("played 1 of 3 times"), else as it said it. */
function reportedWords(detail) {
  const repeats = repeatsPlayed(detail);
  if (!repeats) return t('ui_receiver_reported', { detail });
  const words = t('ui_played_n_of_m', { played: repeats.played, times: repeats.times });
  return repeats.rest ? `${words}; ${t('ui_receiver_reported', { detail: repeats.rest })}` : words;
}
