// The operator console: one page, routed by the URL hash, built on the public API only.
import { html, render, useEffect, useState } from './vendor/preact-htm.js';
import { api, onReachability, onUnauthorized, setCsrf } from './lib/api.js';
import { lang, loadCatalogue, setLang, settings, t, when } from './lib/i18n.js';
import { connectLive, disconnectLive, onLive, onLiveState } from './lib/live.js';
import { forgetDesk } from './lib/desk-memory.js';
import { Login } from './pages/login.js';
import { Dashboard } from './pages/dashboard.js';
import { Media } from './pages/media.js';
import { Programme } from './pages/programme.js';
import { Urgent } from './pages/urgent.js';
import { Receivers } from './pages/receivers.js';
import { Coverage } from './pages/coverage.js';
import { Admin } from './pages/admin.js';

/** Each page, the permission that shows it in the menu, and its title key. */
const PAGES = [
  { path: 'dashboard', title: 'ui_nav_dashboard', need: 'broadcasts:read', view: Dashboard },
  { path: 'media', title: 'ui_nav_media', need: 'media:read', view: Media },
  { path: 'programme', title: 'ui_nav_programme', need: 'broadcasts:read', view: Programme },
  { path: 'urgent', title: 'ui_nav_urgent', need: 'broadcast:priority', view: Urgent },
  { path: 'receivers', title: 'ui_nav_receivers', need: 'receivers:read', view: Receivers },
  { path: 'coverage', title: 'ui_nav_coverage', need: 'coverage:read', view: Coverage },
  { path: 'admin', title: 'ui_nav_admin', need: 'audit:read', view: Admin },
];

const route = () => {
  const [path, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { path: path || 'dashboard', params: rest.map(decodeURIComponent) };
};

function App() {
  const [me, setMe] = useState(undefined);
  const [where, setWhere] = useState(route());
  const [online, setOnline] = useState(true);
  /** The controller's own link to its broker (an external Mosquitto can be down while the console is up). */
  const [broker, setBroker] = useState({ connected: true, down_since: null });
  /** The last check of the acknowledgement store: found altered, every page says so. */
  const [integrity, setIntegrity] = useState(null);
  const [, setLangTick] = useState(0);
  /** On a phone the menu folds into a button: the page starts right under a one-line header. */
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    const onHash = () => setWhere(route());
    addEventListener('hashchange', onHash);
    onReachability(setOnline);
    onUnauthorized(() => setMe(null));
    onLiveState(setOnline);
    onLive('broker', setBroker);
    onLive('integrity', setIntegrity);
    api('GET', '/api/auth/session').then(
      ({ me: m }) => {
        if (m) setCsrf(m.csrf_token);
        setMe(m);
      },
      () => setMe(null),
    );
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (me) connectLive();
    else disconnectLive();
  }, [me]);

  const page = PAGES.find((p) => p.path === where.path) || PAGES[0];
  useEffect(() => {
    document.title = `${me ? t(page.title) + ' — ' : ''}${t('ui_app_title')}`;
  }, [page, me, lang()]);

  if (me === undefined) return html`<main class="center"><p>${t('ui_loading')}</p></main>`;
  const switchLang = () => {
    setLang(lang() === 'vi' ? 'en' : 'vi');
    setLangTick((n) => n + 1);
  };
  if (me === null)
    return html`<${Login} onLogin=${(m) => {
      setCsrf(m.csrf_token);
      setMe(m);
    }} switchLang=${switchLang} />`;

  const may = (perm) => me.permissions.includes(perm);
  const visible = PAGES.filter((p) => may(p.need));
  const logout = async () => {
    await api('POST', '/api/auth/logout').catch(() => {});
    forgetDesk();
    setMe(null);
  };
  const View = visible.includes(page) ? page.view : Forbidden;
  return html`
    <a class="skip" href="#main">${t('ui_skip_to_content')}</a>
    ${!online && html`<div class="banner-offline" role="alert">${t('ui_connection_lost')}</div>`}
    ${online && !broker.connected && html`<div class="banner-offline" role="alert">${t('ui_broker_down', { since: broker.down_since ? when(broker.down_since, true, true) : '—' })}</div>`}
    ${integrity?.ok === false && html`<div class="banner-offline" role="alert">${t('ui_store_altered_banner', { count: integrity.problems, at: when(integrity.checked_at) })}</div>`}
    <header class=${`top${menuOpen ? ' menu-open' : ''}`}>
      <div class="brand"><strong>${t('ui_app_title')}</strong> <span>${settings.commune.name}</span></div>
      <button type="button" class="menu-toggle" aria-expanded=${menuOpen} aria-controls="main-nav" onClick=${() => setMenuOpen(!menuOpen)}>${t('ui_menu')}</button>
      <nav id="main-nav" aria-label=${t('ui_nav_label')} onClick=${() => setMenuOpen(false)}>
        <ul>${visible.map((p) => html`<li><a href="#/${p.path}" aria-current=${p === page ? 'page' : undefined} class=${p.path === 'urgent' ? 'nav-urgent' : ''}>${t(p.title)}</a></li>`)}</ul>
      </nav>
      <div class="who">
        <span>${me.display_name ?? me.name} (${t(`ui_role_${me.role}`)})</span>
        <button type="button" class="link" onClick=${switchLang} lang=${lang() === 'vi' ? 'en' : 'vi'}>${t('ui_other_language')}</button>
        <button type="button" class="link" onClick=${logout}>${t('ui_logout')}</button>
      </div>
    </header>
    <main id="main" tabindex="-1">
      <${View} me=${me} may=${may} params=${where.params} broker=${broker} key=${where.path + lang()} />
    </main>`;
}

const Forbidden = () => html`<h1>${t('forbidden')}</h1>`;

/** On a phone wide tables are stacked cards: each cell carries its column's heading (style.css shows it). */
function labelCells() {
  document.querySelectorAll('table.wide').forEach((table) => {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    table.querySelectorAll('tbody tr').forEach((tr) =>
      [...tr.children].forEach((cell, i) => {
        if (heads[i] && cell.dataset.label !== heads[i]) cell.dataset.label = heads[i];
      }),
    );
  });
}

await loadCatalogue();
const root = document.getElementById('app');
// Attribute changes are not observed: labelling cells does not wake the observer again.
new MutationObserver(labelCells).observe(root, { childList: true, subtree: true, characterData: true });
render(html`<${App} />`, root);
