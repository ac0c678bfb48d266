// The commune's own abbreviations: what the voice says for "HTX" or "CCBX". Tried on a sentence
// first (read and heard as it will be broadcast), then saved; the ones from the config are shown
// too, and a saved one replaces the config's reading.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { lang, t, when } from '../lib/i18n.js';
import { Badge, Field, fieldErrors, Loading, useLoad } from '../lib/ui.js';

function AbbreviationForm({ onSaved }) {
  const [form, setForm] = useState({ written: '', reading: '', sample: '' });
  const [errors, setErrors] = useState({});
  const [tried, setTried] = useState(null);
  const [audio, setAudio] = useState(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(null);
  const set = (k) => (e) => {
    setSaved(null);
    setTried(null);
    setAudio(null);
    setErrors({});
    setForm({ ...form, [k]: e.target.value });
  };
  const sample = () => form.sample.trim() || t('ui_abbrev_sample_default', { written: form.written.trim() });
  const trying = () => ({ [form.written.trim()]: form.reading });
  const check = () => {
    const e = {};
    if (!form.written.trim()) e.written = t('ui_required');
    if (!form.reading.trim()) e.reading = t('ui_required');
    setErrors(e);
    return Object.keys(e).length === 0;
  };
  const run = async (work) => {
    if (!check()) return;
    setBusy(true);
    try {
      await work();
    } catch (err) {
      const e = fieldErrors(err, ['written', 'reading', 'text']);
      setErrors(e.written || e.reading ? e : { _form: err.message });
    } finally {
      setBusy(false);
    }
  };
  const read = () =>
    run(async () => setTried(await api('POST', '/api/tts/normalize', { text: sample(), abbreviations: trying() })));
  const listen = () =>
    run(async () => {
      const res = await api('POST', '/api/tts/preview', { text: sample(), abbreviations: trying() }, { raw: true });
      setAudio(URL.createObjectURL(await res.blob()));
    });
  const save = (e) => {
    e.preventDefault();
    run(async () => {
      const a = await api('PUT', `/api/tts/abbreviations/${encodeURIComponent(form.written.trim())}`, {
        reading: form.reading,
      });
      setSaved(t('ui_abbrev_saved', { written: a.written, reading: a.reading }));
      setForm({ written: '', reading: '', sample: '' });
      setTried(null);
      setAudio(null);
      onSaved();
    });
  };
  return html`<form class="panel" onSubmit=${save} noValidate aria-labelledby="ab-f-h">
    <h3 id="ab-f-h">${t('ui_abbrev_add')}</h3>
    <${Field} label=${t('ui_abbrev_written')} error=${errors.written} hint=${t('ui_abbrev_written_hint')}>${(a) => html`<input ...${a} name="written" value=${form.written} onInput=${set('written')} maxlength="30" autocapitalize="characters" />`}<//>
    <${Field} label=${t('ui_abbrev_reading')} error=${errors.reading} hint=${t('ui_abbrev_reading_hint')}>${(a) => html`<input ...${a} name="reading" value=${form.reading} onInput=${set('reading')} maxlength="200" />`}<//>
    <${Field} label=${t('ui_abbrev_sample')} hint=${t('ui_abbrev_sample_hint')}>${(a) => html`<input ...${a} name="sample" value=${form.sample} onInput=${set('sample')} maxlength="500" />`}<//>
    ${
      tried &&
      html`<div class="notice" role="status"><p>${t('ui_abbrev_will_read')}</p><blockquote lang="vi">${tried.spoken}</blockquote>
      ${tried.uncertain.length > 0 && html`<ul>${tried.uncertain.map((d) => html`<li key=${d.text}>${lang() === 'en' ? d.message_en : d.message}</li>`)}</ul>`}</div>`
    }
    ${audio && html`<audio controls src=${audio} aria-label=${t('ui_preview')}></audio>`}
    ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
    ${saved && html`<p class="saved" role="status">${saved}</p>`}
    <div class="actions">
      <button type="button" onClick=${read} disabled=${busy}>${t('ui_abbrev_try')}</button>
      <button type="button" onClick=${listen} disabled=${busy}>${t('ui_listen_preview')}</button>
      <button type="submit" class="primary" disabled=${busy}>${t('ui_abbrev_save')}</button>
    </div>
  </form>`;
}

export function Abbreviations({ may }) {
  const state = useLoad(() => api('GET', '/api/tts/abbreviations'));
  const [error, setError] = useState(null);
  const [deleted, setDeleted] = useState(null);
  const remove = async (a) => {
    setError(null);
    try {
      await api('DELETE', `/api/tts/abbreviations/${encodeURIComponent(a.written)}`);
      setDeleted(t('ui_abbrev_deleted', { written: a.written }));
      state.reload();
    } catch (err) {
      setError(err.message);
    }
  };
  const editable = may('bulletins:approve');
  return html`<section aria-labelledby="ab-h"><h2 id="ab-h">${t('ui_abbrev_title')}</h2>
    <p class="hint">${t('ui_abbrev_intro')}</p>
    ${
      editable &&
      html`<${AbbreviationForm} onSaved=${() => {
        setDeleted(null);
        state.reload();
      }} />`
    }
    <${Loading} state=${state} />
    ${state.data && state.data.length === 0 && html`<p>${t('ui_abbrev_none')}</p>`}
    ${
      state.data &&
      state.data.length > 0 &&
      html`<table class="wide"><thead><tr><th scope="col">${t('ui_abbrev_written')}</th><th scope="col">${t('ui_abbrev_reading')}</th><th scope="col">${t('ui_abbrev_source')}</th>${editable && html`<th scope="col">${t('ui_actions')}</th>`}</tr></thead>
      <tbody>${state.data.map(
        (a) => html`<tr key=${a.written + a.source} data-abbreviation=${a.written}>
        <td><strong>${a.written}</strong></td><td lang="vi">${a.reading}</td>
        <td>${a.source === 'config' ? html`<${Badge} kind="draft">${t('ui_abbrev_from_config')}<//>` : html`${t('ui_abbrev_by', { name: a.updated_by_name, at: when(a.updated_at) })}${a.overrides_config ? html`<br /><small>${t('ui_abbrev_overrides')}</small>` : ''}`}</td>
        ${editable && html`<td>${a.source === 'commune' && html`<button type="button" onClick=${() => remove(a)} aria-label=${t('ui_abbrev_delete', { written: a.written })}>${t('ui_delete')}</button>`}</td>`}
      </tr>`,
      )}</tbody></table>`
    }
    ${deleted && html`<p class="saved" role="status">${deleted}</p>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </section>`;
}
