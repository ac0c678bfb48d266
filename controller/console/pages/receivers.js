// Receivers for technicians: the list and the map with health colours, one receiver's detail
// with its availability and telemetry charts, remote operations, and enrolment with the config
// download. The map works without tiles (markers on a plain background).
import { html, useEffect, useRef, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { controllerDate } from '../lib/clock.js';
import { number, settings, t, when } from '../lib/i18n.js';
import { onLive } from '../lib/live.js';
import { Badge, Field, fieldErrors, Loading, useLoad } from '../lib/ui.js';
import { alertSince, hasAlert, health } from '../lib/receiver-health.js';

/**
 * What each choice of the list's filter shows. "Offline" is every receiver not reachable now, the
 * never-connected ones too (each labelled as such); "with alerts" every receiver with an open
 * alert, an offline one's "offline" alert too.
 */
const FILTERS = {
  all: () => true,
  offline: (r, alerts) => ['offline', 'never'].includes(health(r, alerts)),
  warn: (r, alerts) => hasAlert(r, alerts),
  ok: (r, alerts) => health(r, alerts) === 'ok',
  unenrolled: (r) => !r.enrolled,
};
const COLOURS = { ok: '#1b7f3b', warn: '#b25e00', offline: '#a4161a', never: '#5c5c5c', unenrolled: '#5c5c5c' };

/** Where each receiver goes on the map: its own place, else its hamlet's, spread in a small ring when several share a point. */
function placeReceivers(receivers, hamlets) {
  const byPoint = new Map();
  for (const r of receivers) {
    const h = hamlets.find((x) => x.id === r.hamlet_id);
    const at =
      r.lat !== null && r.lon !== null ? [r.lat, r.lon] : h && h.lat !== null && h.lon !== null ? [h.lat, h.lon] : null;
    if (!at) continue;
    const key = at.join(',');
    byPoint.set(key, [...(byPoint.get(key) ?? []), { r, at }]);
  }
  return [...byPoint.values()].flatMap((group) =>
    group.map(({ r, at }, i) => {
      if (group.length === 1) return { r, at };
      const angle = (2 * Math.PI * i) / group.length;
      return { r, at: [at[0] + 0.0006 * Math.sin(angle), at[1] + 0.0006 * Math.cos(angle)] };
    }),
  );
}

function ReceiverMap({ receivers, alerts, hamlets }) {
  const ref = useRef(null);
  const unplaced = hamlets.filter((h) => h.lat === null || h.lon === null);
  useEffect(() => {
    let map;
    (async () => {
      const L = await import('../vendor/leaflet.js');
      const placed = placeReceivers(receivers, hamlets);
      const located = hamlets.filter((h) => h.lat !== null && h.lon !== null);
      if (!ref.current) return;
      map = L.map(ref.current, { attributionControl: Boolean(settings.tile_url) });
      if (settings.tile_url) L.tileLayer(settings.tile_url, { maxZoom: 19, attribution: '© OpenStreetMap' }).addTo(map);
      // Hamlets by name, always shown: the map works offline, without tiles.
      for (const h of located)
        L.tooltip({ permanent: true, direction: 'top', className: 'hamlet-label', offset: [0, -10] })
          .setLatLng([h.lat, h.lon])
          .setContent(h.name)
          .addTo(map);
      for (const { r, at } of placed) {
        L.circleMarker(at, { radius: 9, color: COLOURS[health(r, alerts)], fillOpacity: 0.8 })
          .addTo(map)
          .bindTooltip(`${r.name ?? r.id} (${t(`ui_health_${health(r, alerts)}`)})`);
      }
      const points = [...placed.map((p) => p.at), ...located.map((h) => [h.lat, h.lon])];
      map.invalidateSize();
      if (points.length > 1) map.fitBounds(L.latLngBounds(points).pad(0.2));
      else if (points.length === 1) map.setView(points[0], 15);
      else map.setView([16, 106], 6);
    })();
    return () => map?.remove();
  }, [receivers, alerts, hamlets]);
  return html`<figure class="map-figure"><div class="map" ref=${ref}></div><figcaption>${t('ui_map_label')}</figcaption>
    ${unplaced.length > 0 && html`<p class="hint" data-testid="unplaced-hamlets">${t('ui_map_unplaced', { names: unplaced.map((h) => h.name).join(', ') })}</p>`}</figure>`;
}

function Enrol({ hamlets, onDone }) {
  const [f, setF] = useState({ id: '', name: '', hamlet_id: hamlets[0]?.id ?? '' });
  const [errors, setErrors] = useState({});
  const [done, setDone] = useState(null);
  const set = (k) => (e) => {
    setErrors({ ...errors, [k]: undefined, _form: undefined });
    setF({ ...f, [k]: e.target.value });
  };
  const submit = async (e) => {
    e.preventDefault();
    const errs = {};
    if (!/^[a-z0-9-]{1,64}$/.test(f.id)) errs.id = t('ui_id_format');
    if (!f.name.trim()) errs.name = t('ui_required');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      const r = await api('POST', '/api/receivers', f);
      setDone(r);
      onDone();
    } catch (err) {
      setErrors(fieldErrors(err, ['id', 'name', 'hamlet_id']));
    }
  };
  const download = () => {
    const blob = new Blob([JSON.stringify(done.agent_config, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${done.receiver.id}.json`;
    a.click();
  };
  return html`<form class="panel" onSubmit=${submit} noValidate aria-labelledby="en-h">
    <h2 id="en-h">${t('ui_enrol_receiver')}</h2>
    <${Field} label=${t('ui_receiver_id')} error=${errors.id} hint=${t('ui_id_hint')}>${(a) => html`<input ...${a} name="id" value=${f.id} onInput=${set('id')} />`}<//>
    <${Field} label=${t('ui_name')} error=${errors.name}>${(a) => html`<input ...${a} name="name" value=${f.name} onInput=${set('name')} />`}<//>
    <${Field} label=${t('ui_hamlet')}>${(a) => html`<select ...${a} name="hamlet_id" value=${f.hamlet_id} onChange=${set('hamlet_id')}>${hamlets.map((h) => html`<option value=${h.id}>${h.name}</option>`)}</select>`}<//>
    ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
    <button type="submit" class="primary">${t('ui_enrol')}</button>
    ${done && html`<div class="notice" role="status"><p>${t('ui_enrolled_once', { name: done.receiver.name })}</p><button type="button" onClick=${download}>${t('ui_download_config')}</button></div>`}
  </form>`;
}

/** The uptime's span: the week asked for, or since its enrolment when that is later (the controller counts from it). */
function uptimeLabel(history) {
  const week = 7 * 86_400_000;
  const spanMs = Date.parse(history.to) - Date.parse(history.from);
  return spanMs < week - 60_000 ? t('ui_uptime_since', { since: when(history.from) }) : t('ui_uptime_7d');
}

function Chart({ samples, field, label, scale, range }) {
  const ref = useRef(null);
  useEffect(() => {
    let plot;
    const points = samples
      .filter((s) => typeof s.data[field] === 'number')
      .reverse()
      .map((s) => (scale ? { ...s, data: { ...s.data, [field]: scale(s.data[field]) } } : s));
    if (points.length < 2 || !ref.current) return;
    import('../vendor/uplot.js').then(({ default: uPlot }) => {
      if (!ref.current) return;
      // Times in the commune's zone and Vietnamese formats, not the browser's zone and US dates.
      const time = (v) => when(new Date(v * 1000).toISOString(), false);
      plot = new uPlot(
        {
          width: Math.min(600, ref.current.clientWidth || 600),
          height: 160,
          // A fixed range where the quantity has one (a volume is 0-100 %): uPlot widens a flat line to twice its value.
          ...(range ? { scales: { y: { range } } } : {}),
          series: [
            { label: t('ui_chart_time'), value: (u, v) => (v == null ? '' : when(new Date(v * 1000).toISOString())) },
            { label, stroke: '#0b5394', value: (u, v) => (v == null ? '' : number(v)) },
          ],
          axes: [{ values: (u, splits) => splits.map(time) }, { values: (u, splits) => splits.map((v) => number(v)) }],
        },
        [points.map((s) => Date.parse(s.at) / 1000), points.map((s) => s.data[field])],
        ref.current,
      );
    });
    return () => plot?.destroy();
  }, [samples]);
  const values = samples.filter((s) => typeof s.data[field] === 'number');
  // One reading draws no line: it is said in words, with its time.
  const latest = values[0];
  return html`<figure class="chart"><figcaption>${label}</figcaption>${
    values.length >= 2
      ? html`<div ref=${ref} role="img" aria-label=${label}></div>`
      : latest
        ? html`<p>${t('ui_chart_one', { value: number(scale ? scale(latest.data[field]) : latest.data[field]), at: when(latest.at) })}</p>`
        : html`<p>${t('ui_no_data')}</p>`
  }</figure>`;
}

function Detail({ id, may }) {
  const state = useLoad(async () => {
    const [receiver, history, samples, alerts, hamlets] = await Promise.all([
      api('GET', `/api/receivers/${id}`),
      api('GET', `/api/receivers/${id}/history`),
      api('GET', `/api/receivers/${id}/telemetry`),
      api('GET', '/api/health/alerts?state=open'),
      api('GET', '/api/hamlets'),
    ]);
    return { receiver, history, samples, alerts: alerts.filter((a) => a.receiver_id === id), hamlets };
  }, [id]);
  const [volume, setVolume] = useState(80);
  // The slider starts at the volume the receiver last reported, not at a made-up one.
  const reported = state.data?.samples.find((x) => typeof x.data.volume_pct === 'number')?.data.volume_pct;
  useEffect(() => {
    if (reported !== undefined) setVolume(reported);
  }, [reported]);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const here = useRef(null);
  // On a phone the detail sits below the list and the map: it comes into view when a receiver is chosen.
  useEffect(() => {
    if (state.data) here.current?.scrollIntoView({ block: 'start' });
  }, [id, Boolean(state.data)]);
  if (!state.data) return html`<${Loading} state=${state} />`;
  const { receiver: r, history, samples, alerts, hamlets } = state.data;
  const acknowledge = async (alert) => {
    try {
      await api('POST', `/api/health/alerts/${alert.id}/acknowledge`);
      state.reload();
    } catch (err) {
      setResult({ ok: false, text: err.message });
    }
  };
  const op = async (name, args = {}) => {
    setBusy(true);
    setResult(null);
    try {
      const reply = await api('POST', `/api/receivers/${id}/ops`, { op: name, args });
      const quiet =
        reply.quiet_volume_pct === null || reply.quiet_volume_pct === undefined
          ? ''
          : ` ${reply.quiet_volume_pct === 0 ? t('ui_op_test_tone_silent') : t('ui_op_test_tone_quiet', { pct: reply.quiet_volume_pct })}`;
      setResult({
        ok: reply.status === 'ok',
        // What the receiver noted lately (fetch_logs): shown as it wrote it, newest last.
        lines: name === 'fetch_logs' && Array.isArray(reply.data?.lines) ? reply.data.lines : null,
        text:
          reply.status === 'ok'
            ? t('ui_op_done', { op: t(`ui_op_${name}`) }) +
              quiet +
              // What the clock sync found: the receiver's clock against the controller's when it answered.
              (name === 'sync_clock' && typeof reply.data?.offset_ms === 'number'
                ? ` ${t('ui_op_clock_offset', { seconds: number(reply.data.offset_ms / 1000) })}`
                : '')
            : t('ui_op_failed', { op: t(`ui_op_${name}`), detail: reply.error }),
      });
    } catch (err) {
      setResult({ ok: false, text: err.message });
    } finally {
      setBusy(false);
    }
  };
  return html`<section aria-labelledby="rd-h" class="detail" ref=${here}>
    <h2 id="rd-h">${r.name} <${Badge} kind=${r.status === 'online' ? 'ok' : 'offline'}>${t(`ui_status_${r.status}`)}<//></h2>
    ${
      alerts.length > 0 &&
      html`<div class="alerts" role="alert">${alerts.map(
        (
          a,
        ) => html`<p><strong>${t(`ui_alert_${a.rule}`)}</strong> — ${t('ui_since')} ${when(alertSince(a, r), true, true)}
      ${may('receivers:write') && html` <button type="button" onClick=${() => acknowledge(a)}>${t('ui_alert_acknowledge')}</button>`}</p>`,
      )}</div>`
    }
    <dl class="facts"><dt>${t('ui_receiver_id')}</dt><dd>${r.id}</dd><dt>${t('ui_hamlet')}</dt><dd>${hamlets.find((h) => h.id === r.hamlet_id)?.name ?? r.hamlet_id}</dd>
      <dt>${t('ui_since')}</dt><dd>${when(r.status_at, true, true)}</dd><dt>${uptimeLabel(history)}</dt><dd>${number(history.uptime_pct)} %</dd>
      <dt>${t('ui_agent_version')}</dt><dd>${r.agent_version ?? '—'}</dd></dl>
    <h3>${t('ui_history')}</h3>
    <ul class="plain">${history.events
      .slice(-10)
      .reverse()
      .map((e) => html`<li>${when(e.at, true, true)} — ${t(`ui_status_${e.state}`)}</li>`)}</ul>
    <div class="charts">
      <${Chart} samples=${samples} field="temperature_c" label=${t('ui_chart_temperature')} />
      <${Chart} samples=${samples} field="rssi_dbm" label=${t('ui_chart_signal')} />
      <${Chart} samples=${samples} field="free_storage_bytes" label=${t('ui_chart_storage')} scale=${(b) => Math.round(b / 1e8) / 10} />
      <${Chart} samples=${samples} field="volume_pct" label=${t('ui_chart_volume')} range=${[0, 100]} />
      <${Chart} samples=${samples} field="clock_drift_ms" label=${t('ui_chart_clock')} scale=${(ms) => ms / 1000} />
    </div>
    ${
      may('receivers:write') &&
      html`<div class="panel" aria-labelledby="ops-h"><h3 id="ops-h">${t('ui_remote_ops')}</h3>
      <div class="row">
        <label for="vol">${t('ui_volume')}</label>
        <input id="vol" type="range" min="0" max="100" value=${volume} onInput=${(e) => setVolume(Number(e.target.value))} aria-valuetext=${`${volume} %`} />
        <output for="vol">${volume} %</output>
        <button type="button" class="primary" disabled=${busy} onClick=${() => op('set_volume', { volume_pct: volume })}>${t('ui_set_volume')}</button>
      </div>
      <div class="actions">
        <button type="button" disabled=${busy} onClick=${() => op('test_tone', { seconds: 3 })}>${t('ui_op_test_tone')}</button>
        <button type="button" disabled=${busy} onClick=${() => op('sync_clock', { controller_time: controllerDate().toISOString() })}>${t('ui_op_sync_clock')}</button>
        <button type="button" disabled=${busy} onClick=${() => op('fetch_logs', { lines: 100 })}>${t('ui_op_fetch_logs')}</button>
        <button type="button" disabled=${busy} onClick=${() => window.confirm(t('ui_op_restart_confirm', { name: r.name })) && op('restart')}>${t('ui_op_restart')}</button>
      </div>
      ${result && html`<p class=${result.ok ? 'ok' : 'error'} role=${result.ok ? 'status' : 'alert'}>${result.text}</p>`}
      ${result?.lines && html`<pre class="receiver-log" aria-label=${t('ui_op_fetch_logs')} tabindex="0">${result.lines.length ? result.lines.join('\n') : t('ui_receiver_log_empty')}</pre>`}
    </div>`
    }
  </section>`;
}

export function Receivers({ may, params }) {
  const state = useLoad(async () => {
    const [receivers, alerts, hamlets] = await Promise.all([
      api('GET', '/api/receivers'),
      api('GET', '/api/health/alerts?state=open'),
      api('GET', '/api/hamlets'),
    ]);
    return { receivers, alerts, hamlets };
  });
  const [filter, setFilter] = useState('all');
  useEffect(() => {
    const offs = [onLive('receiver', state.reload), onLive('alert', state.reload)];
    return () => offs.forEach((off) => off());
  }, []);
  if (!state.data) return html`<h1>${t('ui_nav_receivers')}</h1><${Loading} state=${state} />`;
  const { receivers, alerts, hamlets } = state.data;
  const shown = receivers.filter((r) => FILTERS[filter](r, alerts));
  const count = (k) => receivers.filter((r) => FILTERS[k](r, alerts)).length;
  const selected = params[0];
  return html`<h1>${t('ui_nav_receivers')}</h1>
    <div class="columns">
      <section aria-labelledby="rl-h"><h2 id="rl-h">${t('ui_receiver_list')}</h2>
        <${Field} label=${t('ui_show')}>${(
          a,
        ) => html`<select ...${a} name="filter" value=${filter} onChange=${(e) => setFilter(e.target.value)}>
          ${Object.keys(FILTERS).map((k) => html`<option value=${k}>${t(`ui_filter_${k}`)} (${count(k)})</option>`)}</select>`}<//>
        <table class="wide"><thead><tr><th scope="col">${t('ui_name')}</th><th scope="col">${t('ui_hamlet')}</th><th scope="col">${t('ui_health')}</th></tr></thead>
        <tbody>${shown.map(
          (
            r,
          ) => html`<tr class=${`health-${health(r, alerts)}`}><td><a href=${`#/receivers/${encodeURIComponent(r.id)}`}>${r.name}</a><br /><small>${r.id}</small></td>
          <td>${hamlets.find((h) => h.id === r.hamlet_id)?.name ?? r.hamlet_id}</td>
          <td><${Badge} kind=${health(r, alerts)}>${t(`ui_health_${health(r, alerts)}`)}<//>${r.status !== 'online' && r.status_at ? html`<br /><small>${t('ui_since')} ${when(r.status_at, true, true)}</small>` : ''}</td></tr>`,
        )}</tbody></table>
      </section>
      <section aria-labelledby="map-h"><h2 id="map-h">${t('ui_map')}</h2><${ReceiverMap} receivers=${receivers} alerts=${alerts} hamlets=${hamlets} /></section>
    </div>
    ${selected && html`<${Detail} id=${selected} may=${may} key=${selected} />`}
    ${may('receivers:write') && html`<${Enrol} hamlets=${hamlets} onDone=${state.reload} />`}`;
}
