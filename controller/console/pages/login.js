import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../lib/api.js';
import { lang, t } from '../lib/i18n.js';
import { Field } from '../lib/ui.js';

export function Login({ onLogin, switchLang }) {
  const [form, setForm] = useState({ username: '', password: '', totp_code: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e) => {
    e.preventDefault();
    const missing = {};
    if (!form.username.trim()) missing.username = t('ui_required');
    if (!form.password) missing.password = t('ui_required');
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      const body = {
        username: form.username.trim(),
        password: form.password,
        ...(form.totp_code ? { totp_code: form.totp_code } : {}),
      };
      const r = await api('POST', '/api/auth/login', body);
      const me = await api('GET', '/api/auth/me');
      onLogin({ ...me, csrf_token: r.csrf_token });
    } catch (err) {
      setErrors({ _form: err.message || t('ui_load_failed') });
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="login" id="main">
    <h1>${t('ui_app_title')}</h1>
    <form onSubmit=${submit} noValidate>
      <${Field} label=${t('ui_username')} error=${errors.username}>${(a) => html`<input ...${a} name="username" autocomplete="username" value=${form.username} onInput=${set('username')} />`}<//>
      <${Field} label=${t('ui_password')} error=${errors.password}>${(a) => html`<input ...${a} name="password" type="password" autocomplete="current-password" value=${form.password} onInput=${set('password')} />`}<//>
      <${Field} label=${t('ui_totp_code')} hint=${t('ui_totp_hint')}>${(a) => html`<input ...${a} name="totp_code" inputmode="numeric" autocomplete="one-time-code" value=${form.totp_code} onInput=${set('totp_code')} />`}<//>
      ${errors._form && html`<p class="error" role="alert">${errors._form}</p>`}
      <button type="submit" class="primary" disabled=${busy}>${t('ui_login')}</button>
    </form>
    <button type="button" class="link" onClick=${switchLang} lang=${lang() === 'vi' ? 'en' : 'vi'}>${t('ui_other_language')}</button>
  </main>`;
}
