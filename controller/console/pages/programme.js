// The programme: schedules (with field errors and conflicts in words), the week calendar with
// overlaps and quiet hours, the 24-hour preview per hamlet, and playlists.
import { html, useState } from '../vendor/preact-htm.js';
import { api, plainWords } from '../lib/api.js';
import { controllerDate } from '../lib/clock.js';
import { lang, settings, t, when } from '../lib/i18n.js';
import { Badge, Field, fieldErrors, Loading, priorityLabel, useLoad } from '../lib/ui.js';

const KINDS = ['once', 'daily', 'weekly', 'monthly', 'lunar_monthly', 'lunar_yearly', 'holiday'];
const FIELDS = [
  'name',
  'media_id',
  'playlist_id',
  'target',
  'priority',
  'start_time',
  'recurrence',
  'valid_from',
  'valid_until',
];

function localDate(d) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: settings.commune.timezone }).format(d);
}

/** When a schedule plays, in words: "Hằng tháng âm lịch, ngày 1, 15", not only its kind. */
function recurrenceWords(r, holidays) {
  const list = (xs) => xs.join(', ');
  switch (r.kind) {
    case 'once':
      return r.date
        ? t('ui_rec_once', { date: dayWords(r.date) })
        : t('ui_rec_once_lunar', { day: r.lunar.day, month: r.lunar.month, year: r.lunar.year });
    case 'weekly':
      return t('ui_rec_weekly', { days: list(r.weekdays.map((d) => t(`ui_weekday_${d}`))) });
    case 'monthly':
      return t('ui_rec_monthly', { days: list(r.days.map((d) => (d === -1 ? t('ui_last_day') : d))) });
    case 'lunar_monthly':
      return t('ui_rec_lunar_monthly', { days: list(r.days) });
    case 'lunar_yearly':
      return t('ui_rec_lunar_yearly', { day: r.day, month: r.month });
    case 'holiday': {
      const h = holidays.find((x) => x.id === r.holiday);
      return h ? (lang() === 'en' ? h.name_en : h.name_vi) : t('ui_kind_holiday');
    }
    default:
      return t(`ui_kind_${r.kind}`);
  }
}

/** A local date (YYYY-MM-DD) as people write it: 15/12/2026. */
const dayWords = (iso) => iso.split('-').reverse().join('/');

/** The next time a schedule plays, with its lunar date (a "rằm" says which day it falls on). */
function nextWords(next) {
  if (!next) return t('ui_next_none');
  return t('ui_next_at', { at: when(next.at), lunar_day: next.lunar.day, lunar_month: next.lunar.month });
}

/** The confirmation a schedule waits for (an emergency or the whole commune): it stays off until given. */
function ConfirmSchedule({ pending, busy, onConfirm, onLater }) {
  return html`<div class="confirm" role="alertdialog" aria-labelledby="sc-h" aria-describedby="sc-d">
    <h2 id="sc-h">${t('ui_confirm_schedule_title')}</h2>
    <p id="sc-d">${lang() === 'en' ? pending.confirmation.summary_en : pending.confirmation.summary}</p>
    ${pending.confirmation.requires_second_person && html`<p>${t('second_person_required')}</p>`}
    <div class="actions"><button type="button" class="danger" onClick=${onConfirm} disabled=${busy}>${t('ui_confirm_schedule')}</button>
    <button type="button" onClick=${onLater}>${t('ui_later')}</button></div></div>`;
}

/** Confirms a pending schedule confirmation; errors (expired, same person) are shown, never swallowed. */
function useScheduleConfirmation(onDone, setError) {
  const [pending, setPending] = useState(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await api('POST', pending.confirmation.confirm_url);
      onDone();
    } catch (err) {
      setError(err.message);
    } finally {
      setPending(null);
      setBusy(false);
    }
  };
  return { pending, setPending, busy, confirm };
}

/** "6:00" and " 06:00 " are 06:00: people write the hour without its zero (outsider, session 19). */
const startTime = (text) => text.trim().replace(/^(\d):/, '0$1:');

function ScheduleForm({ media, playlists, hamlets, holidays, may, onSaved, preset }) {
  const presetMedia = preset && media.find((m) => m.id === preset);
  const [f, setF] = useState({
    name: presetMedia ? (presetMedia.bulletin_title ?? presetMedia.title) : '',
    content: 'media',
    media_id: presetMedia ? presetMedia.id : '',
    playlist_id: '',
    all: false,
    hamlet_ids: [],
    priority: 'normal',
    category: '',
    start_time: '06:00',
    kind: 'daily',
    date: localDate(controllerDate()),
    weekdays: [1, 2, 3, 4, 5],
    days: '1',
    lunar_day: '1',
    lunar_month: '1',
    holiday: holidays[0]?.id ?? '',
    accept: false,
  });
  const [errors, setErrors] = useState({});
  const [warnings, setWarnings] = useState([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(null);
  /** An emergency or whole-commune schedule is saved switched off: it waits for this confirmation. */
  const confirmation = useScheduleConfirmation(onSaved, (message) => setErrors({ _form: message }));
  /** Editing a field takes its error away (and the form's): an error stays only while it is still true. */
  const fresh = (...keys) => {
    setSaved(null);
    if (keys.some((k) => errors[k]) || errors._form)
      setErrors(Object.fromEntries(Object.entries(errors).filter(([k]) => !keys.includes(k) && k !== '_form')));
  };
  const FIELD_OF = {
    all: 'target',
    hamlet_ids: 'target',
    kind: 'recurrence',
    weekdays: 'recurrence',
    lunar_day: 'recurrence',
    lunar_month: 'recurrence',
    holiday: 'recurrence',
    content: 'media_id',
  };
  const set = (k) => (e) => {
    fresh(k, FIELD_OF[k] ?? k, k === 'content' ? 'playlist_id' : k);
    setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  };
  const toggle = (k, v) => {
    fresh(k, FIELD_OF[k] ?? k);
    setF({ ...f, [k]: f[k].includes(v) ? f[k].filter((x) => x !== v) : [...f[k], v] });
  };

  const recurrence = () => {
    switch (f.kind) {
      case 'once':
        return { kind: 'once', date: f.date };
      case 'weekly':
        return { kind: 'weekly', weekdays: f.weekdays };
      case 'monthly':
        return {
          kind: 'monthly',
          days: f.days
            .split(',')
            .map((s) => Number(s.trim()))
            .filter(Boolean),
        };
      case 'lunar_monthly':
        return {
          kind: 'lunar_monthly',
          days: f.days
            .split(',')
            .map((s) => Number(s.trim()))
            .filter(Boolean),
        };
      case 'lunar_yearly':
        return { kind: 'lunar_yearly', day: Number(f.lunar_day), month: Number(f.lunar_month) };
      case 'holiday':
        return { kind: 'holiday', holiday: f.holiday, days_before: 0 };
      default:
        return { kind: 'daily' };
    }
  };
  const check = () => {
    const e = {};
    if (!f.name.trim()) e.name = t('ui_required');
    if (f.content === 'media' && !f.media_id) e.media_id = t('ui_choose_media');
    if (f.content === 'playlist' && !f.playlist_id) e.playlist_id = t('ui_choose_playlist');
    if (!f.all && f.hamlet_ids.length === 0) e.target = t('ui_choose_hamlets');
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(startTime(f.start_time))) e.start_time = t('ui_time_format');
    if (f.kind === 'weekly' && f.weekdays.length === 0) e.recurrence = t('ui_choose_weekdays');
    if ((f.kind === 'monthly' || f.kind === 'lunar_monthly') && !/^\s*-?\d+(\s*,\s*-?\d+)*\s*$/.test(f.days))
      e.days = t('ui_days_format');
    setErrors(e);
    return Object.keys(e).length === 0;
  };
  const submit = async (e) => {
    e.preventDefault();
    setWarnings([]);
    if (!check()) return;
    setBusy(true);
    try {
      const body = {
        name: f.name.trim(),
        ...(f.content === 'media' ? { media_id: f.media_id } : { playlist_id: f.playlist_id }),
        target: f.all ? { all: true } : { hamlet_ids: f.hamlet_ids },
        priority: f.priority,
        // None chosen: a bulletin's audio takes the bulletin's category (the server does it).
        ...(f.category ? { category: f.category } : {}),
        start_time: startTime(f.start_time),
        recurrence: recurrence(),
        accept_conflicts: f.accept,
      };
      const r = await api('POST', '/api/schedules', body);
      setWarnings(r.warnings);
      if (r.confirmation) confirmation.setPending(r);
      setSaved(t(r.confirmation ? 'ui_schedule_saved_off' : 'ui_schedule_saved', { name: body.name }));
      // A fresh form for the next schedule: its hamlets are chosen again, not carried over unseen.
      setF({ ...f, name: '', accept: false, all: false, hamlet_ids: [] });
      onSaved();
    } catch (err) {
      const mapped = fieldErrors(err, FIELDS);
      if (mapped.playlist_id && f.content === 'media') {
        mapped.media_id = mapped.playlist_id;
        delete mapped.playlist_id;
      }
      // The server names the recurrence; the person sees the field it is about (the date, the days).
      if (mapped.recurrence && (f.kind === 'once' || f.kind === 'monthly' || f.kind === 'lunar_monthly')) {
        mapped[f.kind === 'once' ? 'date' : 'days'] = mapped.recurrence;
        delete mapped.recurrence;
      }
      setErrors(mapped);
    } finally {
      setBusy(false);
    }
  };
  const weekdays = [1, 2, 3, 4, 5, 6, 7];
  return html`<form class="panel" onSubmit=${submit} noValidate aria-labelledby="sf-h">
    <h2 id="sf-h">${t('ui_new_schedule')}</h2>
    <${Field} label=${t('ui_name')} error=${errors.name}>${(a) => html`<input ...${a} name="name" value=${f.name} onInput=${set('name')} />`}<//>
    <fieldset><legend>${t('ui_content')}</legend>
      <label class="inline"><input type="radio" name="content" value="media" checked=${f.content === 'media'} onChange=${set('content')} /> ${t('ui_audio_file')}</label>
      <label class="inline"><input type="radio" name="content" value="playlist" checked=${f.content === 'playlist'} onChange=${set('content')} /> ${t('ui_playlist')}</label>
    </fieldset>
    ${
      f.content === 'media'
        ? html`<${Field} label=${t('ui_audio_file')} error=${errors.media_id}>${(a) => html`<select ...${a} name="media_id" value=${f.media_id} onChange=${set('media_id')}><option value="">${t('ui_choose')}</option>${media.filter((m) => m.status === 'ready').map((m) => html`<option value=${m.id}>${m.bulletin_title ?? m.title}</option>`)}</select>`}<//>`
        : html`<${Field} label=${t('ui_playlist')} error=${errors.playlist_id}>${(a) => html`<select ...${a} name="playlist_id" value=${f.playlist_id} onChange=${set('playlist_id')}><option value="">${t('ui_choose')}</option>${playlists.map((p) => html`<option value=${p.id}>${p.name}</option>`)}</select>`}<//>`
    }
    <fieldset aria-describedby=${errors.target ? 'sf-target-err' : undefined}><legend>${t('ui_where')}</legend>
      <label class="inline"><input type="checkbox" name="all" checked=${f.all} onChange=${set('all')} /> ${t('ui_whole_commune')}</label>
      ${!f.all && hamlets.map((h) => html`<label class="inline"><input type="checkbox" name="hamlet" value=${h.id} checked=${f.hamlet_ids.includes(h.id)} onChange=${() => toggle('hamlet_ids', h.id)} /> ${h.name}</label>`)}
      ${errors.target && html`<p id="sf-target-err" class="error" role="alert">${errors.target}</p>`}
    </fieldset>
    <${Field} label=${t('ui_priority')}>${(
      a,
    ) => html`<select ...${a} name="priority" value=${f.priority} onChange=${set('priority')}>
      <option value="normal">${priorityLabel('normal')}</option>
      ${may('broadcast:priority') && html`<option value="priority">${priorityLabel('priority')}</option>`}
      ${may('broadcast:emergency') && html`<option value="emergency">${priorityLabel('emergency')}</option>`}</select>`}<//>
    <${Field} label=${t('ui_category')} hint=${t('ui_schedule_category_hint')}>${(a) => html`<select ...${a} name="category" value=${f.category} onChange=${set('category')}><option value="">${t('ui_category_none')}</option>${settings.categories.map((c) => html`<option value=${c}>${t(`category_${c}`)}</option>`)}</select>`}<//>
    <${Field} label=${t('ui_start_time')} error=${errors.start_time} hint=${t('ui_start_time_hint')}>${(a) => html`<input ...${a} name="start_time" value=${f.start_time} onInput=${set('start_time')} inputmode="numeric" />`}<//>
    <${Field} label=${t('ui_repeat')} error=${errors.recurrence}>${(a) => html`<select ...${a} name="kind" value=${f.kind} onChange=${set('kind')}>${KINDS.map((k) => html`<option value=${k}>${t(`ui_kind_${k}`)}</option>`)}</select>`}<//>
    ${f.kind === 'once' && html`<${Field} label=${t('ui_date')} error=${errors.date}>${(a) => html`<input ...${a} type="date" name="date" value=${f.date} onInput=${set('date')} />`}<//>`}
    ${f.kind === 'weekly' && html`<fieldset><legend>${t('ui_weekdays')}</legend>${weekdays.map((d) => html`<label class="inline"><input type="checkbox" checked=${f.weekdays.includes(d)} onChange=${() => toggle('weekdays', d)} /> ${t(`ui_weekday_${d}`)}</label>`)}</fieldset>`}
    ${(f.kind === 'monthly' || f.kind === 'lunar_monthly') && html`<${Field} label=${t('ui_days_of_month')} error=${errors.days} hint=${t(f.kind === 'lunar_monthly' ? 'ui_lunar_days_hint' : 'ui_days_hint')}>${(a) => html`<input ...${a} name="days" value=${f.days} onInput=${set('days')} />`}<//>`}
    ${
      f.kind === 'lunar_yearly' &&
      html`<div class="row">
      <${Field} label=${t('ui_lunar_day')}>${(a) => html`<input ...${a} type="number" min="1" max="30" value=${f.lunar_day} onInput=${set('lunar_day')} />`}<//>
      <${Field} label=${t('ui_lunar_month')}>${(a) => html`<input ...${a} type="number" min="1" max="12" value=${f.lunar_month} onInput=${set('lunar_month')} />`}<//></div>`
    }
    ${f.kind === 'holiday' && html`<${Field} label=${t('ui_holiday')}>${(a) => html`<select ...${a} value=${f.holiday} onChange=${set('holiday')}>${holidays.map((h) => html`<option value=${h.id}>${lang() === 'en' ? h.name_en : h.name_vi}</option>`)}</select>`}<//>`}
    <label class="inline"><input type="checkbox" name="accept" checked=${f.accept} onChange=${set('accept')} /> ${t('ui_accept_conflicts')}</label>
    ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
    ${saved && html`<p class="saved" role="status">${saved}</p>`}
    ${warnings.length > 0 && html`<div class="notice" role="status"><p>${t('ui_saved_with_notes')}</p><ul>${warnings.map((w) => html`<li>${plainWords(lang() === 'en' ? w.message_en : w.message)}</li>`)}</ul></div>`}
    ${confirmation.pending && html`<${ConfirmSchedule} pending=${confirmation.pending} busy=${confirmation.busy} onConfirm=${confirmation.confirm} onLater=${() => confirmation.setPending(null)} />`}
    <button type="submit" class="primary" disabled=${busy || Boolean(confirmation.pending)}>${t('ui_save_schedule')}</button>
  </form>`;
}

function WeekCalendar({ calendar, hamlets, onMove }) {
  // Each hamlet's own quiet hours, grouped by window: a hamlet with its own is not hidden behind the commune's.
  const windows = new Map();
  for (const q of calendar.quiet_hours.filter((x) => x.window)) {
    const key = `${q.window.start}–${q.window.end}`;
    windows.set(key, [...(windows.get(key) ?? []), hamlets.find((h) => h.id === q.hamlet_id)?.name ?? q.hamlet_id]);
  }
  return html`<section aria-labelledby="wk-h"><h2 id="wk-h">${t('ui_week_calendar')}</h2>
    <div class="actions"><button type="button" onClick=${() => onMove(-7)}>${t('ui_week_before')}</button><button type="button" onClick=${() => onMove(0)}>${t('ui_week_this')}</button><button type="button" onClick=${() => onMove(7)}>${t('ui_week_after')}</button></div>
    ${[...windows.entries()].map(([span, names]) => html`<p class="quiet">${t('ui_quiet_hours_where', { span, names: names.join(', ') })}</p>`)}
    <div class="week">${calendar.days.map((day) => {
      const items = calendar.items.filter((i) => localDate(new Date(i.starts_at)) === day.date);
      // Noon UTC of the local date names the right weekday in any zone the commune may be in.
      const d = new Date(`${day.date}T12:00:00Z`);
      return html`<div class="day" data-date=${day.date}><h3>${new Intl.DateTimeFormat(lang() === 'vi' ? 'vi-VN' : 'en-GB', { weekday: 'short', day: '2-digit', month: '2-digit', timeZone: 'UTC' }).format(d)}
        <small class="lunar">${t('ui_lunar_short', { day: day.lunar.day, month: day.lunar.month })}</small></h3>
        <ul class="plain">${items.map(
          (i) => html`<li class=${`slot p-${i.priority} ${i.overlaps.length ? 'overlap' : ''}`}>
          <strong>${when(i.starts_at, false)}</strong> ${i.name}
          ${i.overlaps.length > 0 && html`<br /><${Badge} kind="warn">${t('ui_overlap')}<//>`}
          <br /><small>${i.hamlets.map((h) => hamlets.find((x) => x.id === h)?.name ?? h).join(', ')}</small></li>`,
        )}</ul></div>`;
    })}</div></section>`;
}

function Preview({ preview }) {
  return html`<section aria-labelledby="pv-h"><h2 id="pv-h">${t('ui_preview_24h')}</h2>
    <table class="wide"><thead><tr><th scope="col">${t('ui_hamlet')}</th><th scope="col">${t('ui_items')}</th></tr></thead>
    <tbody>${preview.hamlets.map(
      (h) =>
        html`<tr><th scope="row">${h.name}</th><td>${
          h.items.length === 0
            ? t('ui_nothing')
            : html`<ul class="plain">${h.items.map(
                (i) => html`<li>
      ${when(i.starts_at)} — ${i.name} <${Badge} kind=${i.status}>${t(`ui_occ_${i.status}`)}<//>
      ${i.receivers && html` <small>${t('ui_ready_count', { ready: i.receivers.ready, targeted: i.receivers.targeted })}</small>`}
      ${i.reason && html` <small>${lang() === 'en' ? i.reason.message_en : i.reason.message}</small>`}</li>`,
              )}</ul>`
        }</td></tr>`,
    )}</tbody></table></section>`;
}

function Playlists({ playlists, media, onSaved, may }) {
  const [name, setName] = useState('');
  const [items, setItems] = useState([]);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(null);
  const add = (e) => {
    setError(null);
    setSaved(null);
    if (e.target.value) setItems([...items, e.target.value]);
  };
  const save = async (e) => {
    e.preventDefault();
    if (!name.trim()) return setError(t('ui_required'));
    if (items.length === 0) return setError(t('playlist_empty'));
    try {
      await api('POST', '/api/playlists', { name: name.trim(), items: items.map((media_id) => ({ media_id })) });
      setSaved(t('ui_playlist_saved', { name: name.trim() }));
      setName('');
      setItems([]);
      setError(null);
      onSaved();
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<section aria-labelledby="pl-h"><h2 id="pl-h">${t('ui_playlists')}</h2>
    <ul>${playlists.map((p) => html`<li>${p.name} (${p.items.length} · ${Math.round(p.duration_ms / 1000)} s) <a href=${`/api/playlists/${p.id}/m3u`}>M3U</a></li>`)}</ul>
    ${
      may('schedules:write') &&
      html`<form class="panel" onSubmit=${save} noValidate>
      <${Field} label=${t('ui_playlist_name')} error=${error}>${(a) =>
        html`<input ...${a} value=${name} onInput=${(e) => {
          setName(e.target.value);
          setError(null);
          setSaved(null);
        }} />`}<//>
      <${Field} label=${t('ui_add_item')}>${(a) => html`<select ...${a} onChange=${add}><option value="">${t('ui_choose')}</option>${media.filter((m) => m.status === 'ready').map((m) => html`<option value=${m.id}>${m.bulletin_title ?? m.title}</option>`)}</select>`}<//>
      <ol>${items.map((id) => html`<li>${media.find((m) => m.id === id)?.title}</li>`)}</ol>
      ${saved && html`<p class="saved" role="status">${saved}</p>`}
      <button type="submit">${t('ui_save_playlist')}</button></form>`
    }</section>`;
}

export function Programme({ may, params }) {
  const [weekFrom, setWeekFrom] = useState(null);
  const move = (days) => {
    if (days === 0) return setWeekFrom(null);
    const start = new Date(`${weekFrom ?? localDate(controllerDate())}T12:00:00Z`);
    setWeekFrom(new Date(start.getTime() + days * 86_400_000).toISOString().slice(0, 10));
  };
  const state = useLoad(async () => {
    const [media, playlists, hamlets, holidays, calendar, preview, schedules] = await Promise.all([
      api('GET', '/api/media?scope=library'),
      api('GET', '/api/playlists'),
      api('GET', '/api/hamlets'),
      api('GET', '/api/programme/holidays'),
      api('GET', `/api/programme/calendar?days=7${weekFrom ? `&from=${weekFrom}` : ''}`),
      api('GET', '/api/programme/preview?hours=24'),
      api('GET', '/api/schedules'),
    ]);
    return { media, playlists, hamlets, holidays, calendar, preview, schedules };
  }, [weekFrom]);
  const [listError, setListError] = useState(null);
  const [listNote, setListNote] = useState(null);
  const confirmation = useScheduleConfirmation(state.reload, setListError);
  if (!state.data) return html`<h1>${t('ui_nav_programme')}</h1><${Loading} state=${state} />`;
  const d = state.data;
  const remove = async (s) => {
    // A schedule plays on its own for months: deleting one is asked twice.
    if (!window.confirm(t('ui_confirm_delete_schedule', { name: s.name }))) return;
    setListError(null);
    setListNote(null);
    try {
      await api('DELETE', `/api/schedules/${s.id}`);
      setListNote(t('ui_schedule_deleted', { name: s.name }));
    } catch (err) {
      setListError(err.message);
    }
    state.reload();
  };
  const enable = async (id) => {
    setListError(null);
    try {
      const r = await api('POST', `/api/schedules/${id}/enable`);
      if (r.confirmation) confirmation.setPending(r);
      else state.reload();
    } catch (err) {
      setListError(err.message);
    }
  };
  return html`<h1>${t('ui_nav_programme')}</h1>
    <div class="columns">
      ${may('schedules:write') && html`<${ScheduleForm} ...${d} may=${may} onSaved=${state.reload} preset=${params[0] === 'media' ? params[1] : null} />`}
      <section aria-labelledby="sl-h"><h2 id="sl-h">${t('ui_schedules')}</h2>
        ${listError && html`<p class="error" role="alert">${listError}</p>`}
        ${listNote && html`<p class="saved" role="status">${listNote}</p>`}
        ${confirmation.pending && html`<${ConfirmSchedule} pending=${confirmation.pending} busy=${confirmation.busy} onConfirm=${confirmation.confirm} onLater=${() => confirmation.setPending(null)} />`}
        <ul class="plain">${d.schedules.map(
          (
            s,
          ) => html`<li class="slot p-${s.priority}" key=${s.id}><strong>${s.name}</strong> — ${s.start_time.slice(0, 5)}, ${recurrenceWords(s.recurrence, d.holidays)} <${Badge} kind=${s.priority}>${priorityLabel(s.priority)}<//>
          <br /><small>${s.enabled ? nextWords(s.next) : ''}</small>
          ${!s.enabled && html` <${Badge} kind="warn">${t('ui_schedule_off')}<//>`}
          ${may('schedules:write') && !s.enabled && html` <button type="button" class="link" onClick=${() => enable(s.id)} aria-label=${t('ui_enable_named', { name: s.name })}>${t('ui_enable')}</button>`}
          ${may('schedules:write') && html` <button type="button" class="link" onClick=${() => remove(s)} aria-label=${t('ui_delete_named', { name: s.name })}>${t('ui_delete')}</button>`}</li>`,
        )}</ul>
      </section>
    </div>
    <${WeekCalendar} calendar=${d.calendar} hamlets=${d.hamlets} onMove=${move} />
    <${Preview} preview=${d.preview} />
    <${Playlists} playlists=${d.playlists} media=${d.media} onSaved=${state.reload} may=${may} />`;
}
