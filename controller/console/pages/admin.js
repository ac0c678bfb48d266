// Administration: accounts and roles, the audit log and its verification, the controller's status.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { lang, number, t, when } from '../lib/i18n.js';
import { Badge, Field, fieldErrors, Loading, useLoad } from '../lib/ui.js';

const ROLES = ['operator', 'approver', 'technician', 'viewer', 'admin'];

function Users() {
  const state = useLoad(() => api('GET', '/api/users'));
  const [f, setF] = useState({ username: '', display_name: '', role: 'operator', password: '' });
  const [errors, setErrors] = useState({});
  const [saved, setSaved] = useState(null);
  // Editing a field takes its error away: an error stays only while it is still true.
  const set = (k) => (e) => {
    setSaved(null);
    setErrors({ ...errors, [k]: undefined, _form: undefined });
    setF({ ...f, [k]: e.target.value });
  };
  const submit = async (e) => {
    e.preventDefault();
    const errs = {};
    if (f.username.trim().length < 2) errs.username = t('ui_username_format');
    if (!f.display_name.trim()) errs.display_name = t('ui_required');
    if (f.password.length < 12) errs.password = t('ui_password_length');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      await api('POST', '/api/users', f);
      setSaved(t('ui_user_saved', { name: f.display_name.trim() }));
      setF({ username: '', display_name: '', role: 'operator', password: '' });
      state.reload();
    } catch (err) {
      setErrors(fieldErrors(err, ['username', 'display_name', 'role', 'password']));
    }
  };
  return html`<section aria-labelledby="us-h"><h2 id="us-h">${t('ui_users')}</h2>
    <${Loading} state=${state} />
    ${
      state.data &&
      html`<table class="wide"><thead><tr><th scope="col">${t('ui_username')}</th><th scope="col">${t('ui_name')}</th><th scope="col">${t('ui_role')}</th><th scope="col">${t('ui_status')}</th></tr></thead>
      <tbody>${state.data.map((u) => html`<tr><td>${u.username}</td><td>${u.display_name}</td><td>${t(`ui_role_${u.role}`)}</td><td>${u.disabled_at ? t('ui_disabled') : u.locked_until ? t('ui_locked') : t('ui_active')}</td></tr>`)}</tbody></table>`
    }
    <form class="panel" onSubmit=${submit} noValidate aria-labelledby="nu-h"><h3 id="nu-h">${t('ui_new_user')}</h3>
      <${Field} label=${t('ui_username')} error=${errors.username}>${(a) => html`<input ...${a} name="username" autocomplete="off" value=${f.username} onInput=${set('username')} />`}<//>
      <${Field} label=${t('ui_name')} error=${errors.display_name}>${(a) => html`<input ...${a} name="display_name" value=${f.display_name} onInput=${set('display_name')} />`}<//>
      <${Field} label=${t('ui_role')}>${(a) => html`<select ...${a} name="role" value=${f.role} onChange=${set('role')}>${ROLES.map((r) => html`<option value=${r}>${t(`ui_role_${r}`)}</option>`)}</select>`}<//>
      <${Field} label=${t('ui_password')} error=${errors.password} hint=${t('ui_password_length')}>${(a) => html`<input ...${a} name="password" type="password" autocomplete="new-password" value=${f.password} onInput=${set('password')} />`}<//>
      ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
      ${saved && html`<p class="saved" role="status">${saved}</p>`}
      <button type="submit" class="primary">${t('ui_create_user')}</button></form></section>`;
}

function Audit() {
  const state = useLoad(() => api('GET', '/api/audit?limit=50'));
  // Older entries, page by page: the log is the commune's record, not only its last fifty lines.
  const [older, setOlder] = useState([]);
  const [more, setMore] = useState(true);
  const loadMore = async () => {
    const rows = [...(state.data ?? []), ...older];
    const next = await api('GET', `/api/audit?limit=50&before_id=${rows[rows.length - 1].id}`);
    setOlder([...older, ...next]);
    if (next.length < 50) setMore(false);
  };
  const [verdict, setVerdict] = useState(null);
  const [error, setError] = useState(null);
  const verify = async () => {
    try {
      setVerdict(await api('GET', '/api/audit/verify'));
      setError(null);
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<section aria-labelledby="au-h"><h2 id="au-h">${t('ui_audit_log')}</h2>
    <div class="actions"><button type="button" onClick=${verify}>${t('ui_verify_audit')}</button>
      <a href="/api/audit/export?format=csv">${t('ui_export_csv')}</a></div>
    ${error && html`<p class="error">${error}</p>`}
    ${verdict && html`<p role="status">${verdict.ok ? html`<${Badge} kind="ok">${t('ui_audit_ok', { count: verdict.rows })}<//>` : html`<${Badge} kind="offline">${t('ui_audit_broken', { count: verdict.problems.length })}<//>`}</p>`}
    ${verdict && !verdict.ok && html`<ul class="findings">${(verdict.findings ?? []).map((f) => html`<li>${lang() === 'en' ? f.en : f.vi} <small>(${f.where})</small></li>`)}</ul>`}
    <${Loading} state=${state} />
    ${
      state.data &&
      html`<table class="wide"><thead><tr><th scope="col">${t('ui_when')}</th><th scope="col">${t('ui_who')}</th><th scope="col">${t('ui_action')}</th><th scope="col">${t('ui_subject')}</th></tr></thead>
      <tbody>${[...state.data, ...older].map((e) => html`<tr key=${e.id}><td>${when(e.at)}</td><td>${e.actor_name}</td><td>${e.action_text}</td><td>${e.subject_name ?? ''}</td></tr>`)}</tbody></table>`
    }
    ${state.data && state.data.length === 50 && more && html`<button type="button" onClick=${loadMore}>${t('ui_audit_more')}</button>`}</section>`;
}

/** The controller's status in words: what each figure is, not its key. */
function statusFacts(s) {
  const acks = s.acks ?? {};
  const refused = Object.entries(acks)
    .filter(([k]) => k.startsWith('refused_'))
    .reduce((n, [, v]) => n + v, 0);
  return [
    [t('ui_sys_version'), s.version],
    [t('ui_sys_broker'), t(s.broker === 'embedded' ? 'ui_sys_broker_embedded' : 'ui_sys_broker_external')],
    [t('ui_sys_mqtt'), t(s.mqtt_connected ? 'ui_sys_connected' : 'ui_sys_disconnected')],
    ...(s.connected_clients !== null && s.connected_clients !== undefined
      ? [[t('ui_sys_clients'), number(s.connected_clients, 0)]]
      : []),
    [t('ui_sys_acks_stored'), number(acks.stored ?? 0, 0)],
    [t('ui_sys_acks_duplicates'), number(acks.duplicates ?? 0, 0)],
    [t('ui_sys_acks_refused'), number(refused + (acks.malformed ?? 0) + (acks.unknown_command ?? 0), 0)],
    [
      t('ui_sys_gaps'),
      t('ui_sys_gaps_value', { asked: number(acks.gaps_asked ?? 0, 0), given_up: number(acks.gaps_given_up ?? 0, 0) }),
    ],
    [t('ui_sys_malformed_status'), number(s.malformed_status ?? 0, 0)],
    [t('ui_sys_writes_waiting'), number(s.storage?.writes_waiting ?? 0, 0)],
  ];
}

function Status() {
  const state = useLoad(() => api('GET', '/api/system/status'));
  if (!state.data) return html`<${Loading} state=${state} />`;
  const full = state.data.storage?.disk_full_since;
  return html`<section aria-labelledby="st-h"><h2 id="st-h">${t('ui_settings_status')}</h2>
    ${full && html`<p class="error" role="alert">${t('ui_disk_full', { since: when(full), waiting: state.data.storage.writes_waiting })}</p>`}
    <dl class="facts">${statusFacts(state.data).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl></section>`;
}

export function Admin({ may }) {
  return html`<h1>${t('ui_nav_admin')}</h1>
    ${may('users:manage') && html`<${Users} />`}
    <${Audit} />
    ${may('system:read') && html`<${Status} />`}`;
}
