// Now playing and next up per hamlet, receivers online, open alerts, this week's bulletins
// against the plan's weekly targets.
import { html, useEffect } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { controllerDate } from '../lib/clock.js';
import { settings, t, when } from '../lib/i18n.js';
import { onLive } from '../lib/live.js';
import { alertSince } from '../lib/receiver-health.js';
import { usePlayingNow } from '../lib/playing-now.js';
import { Badge, Loading, priorityLabel, useLoad } from '../lib/ui.js';

/** Monday 00:00 of this week in the commune's zone (not the browser's), as an instant. */
function weekStart() {
  const zone = settings.commune.timezone;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
    })
      .formatToParts(controllerDate())
      .map((p) => [p.type, p.value]),
  );
  const back = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday);
  const monday = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) - back));
  // The zone's offset at that midnight, read back from the formatter.
  const local = new Date(
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .format(monday)
      .replace(' ', 'T') + 'Z',
  );
  return new Date(monday.getTime() - (local.getTime() - monday.getTime())).toISOString();
}

export function Dashboard({ may, broker }) {
  const state = useLoad(async () => {
    const [receivers, alerts, preview, bulletins] = await Promise.all([
      api('GET', '/api/receivers'),
      api('GET', '/api/health/alerts?state=open'),
      api('GET', '/api/programme/preview?hours=24'),
      may('bulletins:read') ? api('GET', '/api/bulletins?status=broadcast&limit=500') : Promise.resolve([]),
    ]);
    return { receivers, alerts, preview, bulletins };
  });
  useEffect(() => {
    const offs = [onLive('receiver', state.reload), onLive('alert', state.reload)];
    return () => offs.forEach((off) => off());
  }, []);
  const playing = usePlayingNow(may('coverage:read'));
  if (!state.data) return html`<h1>${t('ui_nav_dashboard')}</h1><${Loading} state=${state} />`;
  const { receivers, alerts, preview, bulletins } = state.data;
  const playingIn = new Map((playing.data?.hamlets ?? []).map((h) => [h.hamlet_id, h.playing]));
  const online = receivers.filter((r) => r.status === 'online').length;
  // Out of those that can connect at all: one listed but not yet enrolled is counted apart.
  const enrolled = receivers.filter((r) => r.enrolled).length;
  const now = controllerDate().toISOString();
  const since = weekStart();
  const thisWeek = bulletins.filter((b) => b.updated_at >= since);
  const targets = Object.entries(settings.weekly_targets || {});
  return html`
    <h1>${t('ui_nav_dashboard')}</h1>
    <div class="cards">
      <section class="card" aria-labelledby="d-rx"><h2 id="d-rx">${t('ui_receivers_online')}</h2>
        <p class="big">${online} / ${enrolled}</p>
        ${!broker?.connected && html`<p class="warning"><small>${t('ui_receivers_last_known')}</small></p>`}
        ${receivers.length > enrolled && html`<p><small>${t('ui_not_enrolled_count', { count: receivers.length - enrolled })}</small></p>`}
        <a href="#/receivers">${t('ui_see_receivers')}</a></section>
      <section class="card" aria-labelledby="d-al"><h2 id="d-al">${t('ui_open_alerts')}</h2>
        <p class="big">${alerts.length}</p>
        <ul class="plain">${alerts.slice(0, 5).map((a) => {
          const r = receivers.find((x) => x.id === a.receiver_id);
          return html`<li><a href="#/receivers/${a.receiver_id}">${r?.name ?? a.receiver_id}</a>: ${t(`ui_alert_${a.rule}`)}, ${t('ui_since').toLowerCase()} ${when(alertSince(a, r))}</li>`;
        })}</ul></section>
      <section class="card" aria-labelledby="d-wk"><h2 id="d-wk">${t('ui_week_targets')}</h2>
        <table><thead><tr><th scope="col">${t('ui_category')}</th><th scope="col">${t('ui_done')}</th><th scope="col">${t('ui_target')}</th></tr></thead>
        <tbody>${targets.map(([cat, n]) => {
          const done = thisWeek.filter((b) => b.category === cat).length;
          return html`<tr><td>${t(`category_${cat}`)}</td><td>${done}</td><td>${n} ${done >= n ? html`<${Badge} kind="ok">${t('ui_met')}<//>` : html`<${Badge} kind="warn">${t('ui_missing')}<//>`}</td></tr>`;
        })}</tbody></table></section>
    </div>
    <section aria-labelledby="d-hamlets"><h2 id="d-hamlets">${t('ui_now_and_next')}</h2>
      <p><small>${t('ui_now_by_acks')}</small></p>
      <table class="wide"><thead><tr><th scope="col">${t('ui_hamlet')}</th><th scope="col">${t('ui_now_playing')}</th><th scope="col">${t('ui_next_up')}</th></tr></thead>
      <tbody>${preview.hamlets.map((h) => {
        const current = playingIn.get(h.hamlet_id) ?? [];
        const next = h.items.find((i) => i.starts_at > now && i.status !== 'cancelled');
        return html`<tr><th scope="row">${h.name}</th>
          <td>${current.length > 0 ? current.map((p) => html`<div key=${p.broadcast_id}><a href=${`#/coverage/${p.broadcast_id}`}>${p.title ?? t(p.live ? 'audit_subject_live' : 'audit_subject_broadcast')}</a> <${Badge} kind=${p.priority}>${priorityLabel(p.priority)}<//>${p.drill ? html` <${Badge} kind="warn">${t('ui_drill')}<//>` : ''} <small>(${playingWords(p)})</small></div>`) : t('ui_nothing')}</td>
          <td>${next ? html`${when(next.starts_at)} — ${next.name}${next.receivers ? html` <small>(${t('ui_ready_count', { ready: next.receivers.ready, targeted: next.receivers.targeted })})</small>` : ''}` : t('ui_nothing')}</td></tr>`;
      })}</tbody></table>
    </section>`;
}

/**
 * How many play it, how many of those are not connected, and a stop not yet taken (only the stop
 * when none plays: silent mid-play, stopped meanwhile); and those silent mid-play that may play it again.
 */
function playingWords(p) {
  const at = when(p.stop_sent_at, false, true);
  const parts = [];
  if (p.receivers_playing > 0) {
    parts.push(t('ui_playing_count', { playing: p.receivers_playing, targeted: p.receivers_targeted }));
    if (p.receivers_playing_offline > 0)
      parts.push(t('ui_playing_offline_count', { count: p.receivers_playing_offline }));
    if (p.receivers_stop_unconfirmed > 0)
      parts.push(t('ui_playing_stop_unconfirmed', { at, count: p.receivers_stop_unconfirmed }));
  } else if (p.receivers_stop_unconfirmed > 0)
    parts.push(t('ui_silent_stop_unconfirmed', { at, count: p.receivers_stop_unconfirmed, until: when(p.expires_at) }));
  if (p.receivers_may_replay > 0)
    parts.push(t('ui_may_replay', { count: p.receivers_may_replay, until: when(p.expires_at) }));
  return parts.join('; ');
}
