// Media and bulletins: upload with progress and listen; type an announcement, hear it, submit;
// approve or reject with a reason.
import { html, useEffect, useState } from '../vendor/preact-htm.js';
import { api, upload } from '../lib/api.js';
import { lang, settings, t, when } from '../lib/i18n.js';
import { Badge, Field, fieldErrors, Loading, useLoad } from '../lib/ui.js';
import { Abbreviations } from './abbreviations.js';

function Upload({ onDone }) {
  const [file, setFile] = useState(null);
  const [title, setTitle] = useState('');
  const [pct, setPct] = useState(null);
  const [errors, setErrors] = useState({});
  const [saved, setSaved] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setSaved(null);
    if (!file) return setErrors({ file: t('ui_choose_file') });
    // Over the limit: said at once, not after the whole file has crossed a slow link to be refused.
    if (settings.max_upload_mb && file.size > settings.max_upload_mb * 1024 * 1024)
      return setErrors({ file: t('upload_too_large', { max_mb: settings.max_upload_mb }) });
    setErrors({});
    const form = new FormData();
    form.append('title', title || file.name);
    form.append('file', file);
    try {
      setPct(0);
      const m = await upload('/api/media', form, setPct);
      setSaved(t('ui_upload_saved', { title: m.title }));
      setFile(null);
      setTitle('');
      e.target.reset();
      onDone();
    } catch (err) {
      setErrors({ file: err.message || t('ui_load_failed') });
    } finally {
      setPct(null);
    }
  };
  return html`<form class="panel" onSubmit=${submit} noValidate aria-labelledby="up-h">
    <h2 id="up-h">${t('ui_upload_audio')}</h2>
    <${Field} label=${t('ui_title')}>${(a) => html`<input ...${a} name="title" value=${title} onInput=${(e) => setTitle(e.target.value)} maxlength="200" />`}<//>
    <${Field} label=${t('ui_audio_file')} error=${errors.file} hint=${t('ui_audio_formats')}>${(a) =>
      html`<input ...${a} name="file" type="file" accept="audio/*" onChange=${(e) => {
        setFile(e.target.files[0]);
        setErrors({});
        setSaved(null);
      }} />`}<//>
    ${pct !== null && html`<label class="progress">${t('ui_uploading')} <progress max="100" value=${pct}>${pct}%</progress> ${pct}%</label>`}
    ${saved && html`<p class="saved" role="status">${saved}</p>`}
    <button type="submit" class="primary" disabled=${pct !== null}>${t('ui_upload')}</button>
  </form>`;
}

function BulletinForm({ onDone }) {
  const [form, setForm] = useState({ title: '', category: 'commune_notice', text: '' });
  const [errors, setErrors] = useState({});
  const [preview, setPreview] = useState(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(null);
  // What the voice will read (POST /api/tts/normalize): the words and the readings to check.
  const [reading, setReading] = useState(null);
  const set = (k) => (e) => {
    setSaved(null);
    if (k === 'text') setReading(null);
    if (errors[k] || errors._form) setErrors({ ...errors, [k]: undefined, _form: undefined });
    // Changed text is not the text that was heard: hear it again.
    if (k === 'text') setPreview(null);
    setForm({ ...form, [k]: e.target.value });
  };
  const check = () => {
    const e = {};
    if (!form.title.trim()) e.title = t('ui_required');
    if (!form.text.trim()) e.text = t('ui_required');
    setErrors(e);
    return Object.keys(e).length === 0;
  };
  const listen = async () => {
    if (!check()) return;
    setBusy(true);
    try {
      const res = await api('POST', '/api/tts/preview', { text: form.text }, { raw: true });
      setPreview(URL.createObjectURL(await res.blob()));
      // The words it will say, and what it was unsure of, to fix in the text before it goes for approval.
      setReading(await api('POST', '/api/tts/normalize', { text: form.text }));
    } catch (err) {
      setErrors(fieldErrors(err, ['text']).text ? { text: err.message } : { _form: err.message });
    } finally {
      setBusy(false);
    }
  };
  const submit = async (e) => {
    e.preventDefault();
    if (!check()) return;
    setBusy(true);
    try {
      const b = await api('POST', '/api/bulletins', form);
      await api('POST', `/api/bulletins/${b.id}/submit`);
      setSaved(t('ui_bulletin_submitted', { title: form.title }));
      setForm({ title: '', category: 'commune_notice', text: '' });
      setPreview(null);
      setReading(null);
      onDone();
    } catch (err) {
      setErrors(fieldErrors(err, ['title', 'category', 'text']));
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="panel" onSubmit=${submit} noValidate aria-labelledby="bf-h">
    <h2 id="bf-h">${t('ui_new_bulletin')}</h2>
    <${Field} label=${t('ui_title')} error=${errors.title}>${(a) => html`<input ...${a} name="title" value=${form.title} onInput=${set('title')} maxlength="200" />`}<//>
    <${Field} label=${t('ui_category')}>${(a) => html`<select ...${a} name="category" value=${form.category} onChange=${set('category')}>${settings.categories.map((c) => html`<option value=${c}>${t(`category_${c}`)}</option>`)}</select>`}<//>
    <${Field} label=${t('ui_text')} error=${errors.text} hint=${t('ui_text_hint')}>${(a) => html`<textarea ...${a} name="text" rows="6" value=${form.text} onInput=${set('text')}></textarea>`}<//>
    ${preview && html`<audio controls src=${preview} aria-label=${t('ui_preview')}></audio>`}
    ${
      reading &&
      html`<div class="notice tts-reading" role="status"><p>${t('ui_abbrev_will_read')}</p><blockquote lang="vi">${reading.spoken}</blockquote>
      ${reading.uncertain.length > 0 && html`<p>${t('ui_tts_check')}</p><ul>${reading.uncertain.map((d) => html`<li key=${d.text}>${lang() === 'en' ? d.message_en : d.message}</li>`)}</ul>`}</div>`
    }
    ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
    ${saved && html`<p class="saved" role="status">${saved}</p>`}
    <div class="actions">
      <button type="button" onClick=${listen} disabled=${busy}>${t('ui_listen_preview')}</button>
      <button type="submit" class="primary" disabled=${busy}>${t('ui_submit_for_approval')}</button>
    </div>
  </form>`;
}

/**
 * A bulletin read and heard in the list: its text, its audio as it will be broadcast. An approver
 * approves only after hearing it to the end (the button waits for the audio to end).
 */
/** Played to the end and most of it heard: skipping to the last second is not hearing it. */
function heardThrough(audio) {
  let heard = 0;
  for (let i = 0; i < audio.played.length; i++) heard += audio.played.end(i) - audio.played.start(i);
  return Number.isFinite(audio.duration) && heard >= audio.duration * 0.9;
}

function BulletinReview({ b, onHeard }) {
  return html`<div class="bulletin-review">
    ${b.text && html`<blockquote class="bulletin-text">${b.text}</blockquote>`}
    <audio controls preload="none" src=${`/api/bulletins/${b.id}/audio`} aria-label=${t('ui_bulletin_audio', { title: b.title })} onEnded=${(e) => heardThrough(e.target) && onHeard()}></audio></div>`;
}

/** An approved bulletin broadcast from the list: to the whole commune or chosen hamlets, confirmed like any urgent send when the gate asks. */
function BulletinBroadcast({ b, hamlets, onDone }) {
  const [all, setAll] = useState(false);
  const [chosen, setChosen] = useState([]);
  const [pending, setPending] = useState(null);
  const [error, setError] = useState(null);
  const [sent, setSent] = useState(null);
  const send = async () => {
    if (!all && chosen.length === 0) return setError(t('ui_choose_hamlets'));
    setError(null);
    try {
      const r = await api('POST', `/api/bulletins/${b.id}/broadcast`, {
        target: all ? { all: true } : { hamlet_ids: chosen },
      });
      if (r.confirmation) setPending(r.confirmation);
      else {
        setSent(r.targeted_receivers);
        onDone();
      }
    } catch (err) {
      setError(err.message);
    }
  };
  const confirm = async () => {
    try {
      await api('POST', pending.confirm_url);
      setPending(null);
      setSent(true);
      onDone();
    } catch (err) {
      setPending(null);
      setError(err.message);
    }
  };
  return html`<fieldset class="bulletin-send"><legend>${t('ui_bulletin_send')}</legend>
    <label class="inline"><input type="checkbox" checked=${all} onChange=${(e) => setAll(e.target.checked)} /> ${t('ui_whole_commune')}</label>
    ${!all && hamlets.map((h) => html`<label class="inline"><input type="checkbox" checked=${chosen.includes(h.id)} onChange=${() => setChosen(chosen.includes(h.id) ? chosen.filter((x) => x !== h.id) : [...chosen, h.id])} /> ${h.name}</label>`)}
    <div class="actions"><button type="button" class="primary" onClick=${send}>${t('ui_bulletin_send_now')}</button></div>
    ${
      pending &&
      html`<div class="confirm" role="alertdialog" aria-label=${t('ui_confirm_title')}><p>${lang() === 'en' ? pending.summary_en : pending.summary}</p>
      <button type="button" class="danger" onClick=${confirm}>${t('ui_confirm_send')}</button> <button type="button" onClick=${() => setPending(null)}>${t('ui_cancel')}</button></div>`
    }
    ${sent !== null && html`<p role="status">${t('ui_bulletin_sent')}</p>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}</fieldset>`;
}

function Bulletins({ may, reloadKey }) {
  const state = useLoad(
    () => Promise.all([api('GET', '/api/bulletins?limit=50'), api('GET', '/api/hamlets')]),
    [reloadKey],
  );
  const [reasons, setReasons] = useState({});
  const [errors, setErrors] = useState({});
  const [heard, setHeard] = useState({});
  const act = async (b, action) => {
    try {
      if (action === 'reject') {
        if (!reasons[b.id]?.trim()) return setErrors({ ...errors, [b.id]: t('ui_reason_required') });
        await api('POST', `/api/bulletins/${b.id}/reject`, { reason: reasons[b.id] });
      } else await api('POST', `/api/bulletins/${b.id}/${action}`);
      setErrors({ ...errors, [b.id]: null });
      state.reload();
    } catch (err) {
      setErrors({ ...errors, [b.id]: err.message });
    }
  };
  if (!state.data) return html`<${Loading} state=${state} />`;
  const [bulletins, hamlets] = state.data;
  return html`<section aria-labelledby="bl-h"><h2 id="bl-h">${t('ui_bulletins')}</h2>
    <table class="wide"><thead><tr><th scope="col">${t('ui_title')}</th><th scope="col">${t('ui_category')}</th><th scope="col">${t('ui_status')}</th><th scope="col">${t('ui_actions')}</th></tr></thead>
    <tbody>${bulletins.map(
      (b) => html`<tr key=${b.id} data-bulletin=${b.id}>
      <td>${b.title}<br /><small>${when(b.updated_at)}</small>
        ${(b.status === 'submitted' || b.status === 'approved' || b.status === 'broadcast') && html`<${BulletinReview} b=${b} onHeard=${() => setHeard({ ...heard, [b.id]: true })} />`}</td>
      <td>${t(`category_${b.category}`)}</td>
      <td><${Badge} kind=${b.status}>${t(`ui_status_${b.status}`)}<//>${b.reject_reason ? html`<br /><small>${b.reject_reason}</small>` : ''}</td>
      <td>${
        b.status === 'submitted' && may('bulletins:approve')
          ? html`
        ${!heard[b.id] && html`<p class="hint">${t('ui_listen_before_approving')}</p>`}
        <button type="button" class="primary" disabled=${!heard[b.id]} onClick=${() => act(b, 'approve')}>${t('ui_approve')}</button>
        <label class="inline">${t('ui_reject_reason')} <input value=${reasons[b.id] || ''} onInput=${(e) => setReasons({ ...reasons, [b.id]: e.target.value })} /></label>
        <button type="button" onClick=${() => act(b, 'reject')}>${t('ui_reject')}</button>`
          : ''
      }
        ${(b.status === 'approved' || b.status === 'broadcast') && may('broadcast:normal') && html`<${BulletinBroadcast} b=${b} hamlets=${hamlets} onDone=${state.reload} />`}
        ${(b.status === 'approved' || b.status === 'broadcast') && b.media_id && may('schedules:write') && html`<p><a href=${`#/programme/media/${b.media_id}`}>${t('ui_bulletin_schedule')}</a></p>`}
        ${errors[b.id] && html`<p class="error" role="alert">${errors[b.id]}</p>`}</td>
    </tr>`,
    )}</tbody></table></section>`;
}

export function Media({ may }) {
  // The library: uploads and approved bulletins; speech made for previews and urgent sends is not listed.
  const state = useLoad(() => api('GET', '/api/media?scope=library'));
  const [bulletinsKey, setBulletinsKey] = useState(0);
  // While a file is being processed, its row follows it (progress, then ready or failed): the
  // upload's words promise it will be in the library when done.
  const processing = Boolean(state.data?.some((m) => m.status === 'processing'));
  useEffect(() => {
    if (!processing) return undefined;
    const timer = setInterval(state.reload, 2_000);
    return () => clearInterval(timer);
  }, [processing]);
  return html`<h1>${t('ui_nav_media')}</h1>
    <div class="columns">
      ${may('media:write') && html`<${Upload} onDone=${state.reload} />`}
      ${may('bulletins:write') && html`<${BulletinForm} onDone=${() => setBulletinsKey((n) => n + 1)} />`}
    </div>
    <section aria-labelledby="ml-h"><h2 id="ml-h">${t('ui_media_library')}</h2>
      <${Loading} state=${state} />
      ${
        state.data &&
        html`<table class="wide"><thead><tr><th scope="col">${t('ui_title')}</th><th scope="col">${t('ui_status')}</th><th scope="col">${t('ui_duration')}</th><th scope="col">${t('ui_listen')}</th></tr></thead>
      <tbody>${state.data.map(
        (
          m,
        ) => html`<tr key=${m.id}><td>${m.bulletin_title ?? m.title}${m.bulletin_id ? html` <${Badge} kind="approved">${t('ui_bulletin_audio_badge')}<//>` : ''}<br /><small>${when(m.created_at)}</small></td>
        <td><${Badge} kind=${m.status}>${t(`ui_media_${m.status}`)}<//>${m.status === 'processing' ? ` ${m.progress_pct}%` : ''}
          ${m.warning && html` <${Badge} kind="warn">${t('ui_media_warning')}<//><br /><small>${m.warning.message}</small>`}</td>
        <td>${m.duration_ms ? `${Math.round(m.duration_ms / 1000)} s` : ''}</td>
        <td>${m.status === 'ready' && html`<audio controls preload="none" src=${`/api/media/${m.id}/audio`} aria-label=${t('public_listen', { title: m.bulletin_title ?? m.title })}></audio>`}</td></tr>`,
      )}</tbody></table>`
      }
      <button type="button" onClick=${state.reload}>${t('ui_refresh')}</button>
    </section>
    ${may('bulletins:read') && html`<${Bulletins} may=${may} reloadKey=${bulletinsKey} />`}
    ${may('bulletins:read') && html`<${Abbreviations} may=${may} />`}`;
}
