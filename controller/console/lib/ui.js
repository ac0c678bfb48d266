// Small shared pieces of the console: fields that show their error beside them, a loader hook,
// status badges. Every word comes from the catalogue (t).
import { html, useCallback, useEffect, useState } from '../vendor/preact-htm.js';
import { t } from './i18n.js';

let nextId = 0;
const uid = (p) => `${p}-${++nextId}`;

/** A labelled form field; `error` is shown next to it and announced. */
export function Field({ label, error, hint, children, id }) {
  const fid = id || uid('f');
  const errId = `${fid}-err`;
  const hintId = `${fid}-hint`;
  const describedBy = [hint ? hintId : null, error ? errId : null].filter(Boolean).join(' ') || undefined;
  const child =
    typeof children === 'function'
      ? children({ id: fid, 'aria-describedby': describedBy, 'aria-invalid': error ? 'true' : undefined })
      : children;
  return html`<div class="field ${error ? 'has-error' : ''}">
    <label for=${fid}>${label}</label>
    ${child}
    ${hint && html`<small id=${hintId} class="hint">${hint}</small>`}
    ${error && html`<p id=${errId} class="error" role="alert">${error}</p>`}
  </div>`;
}

/** Loads data, and again when `deps` change or `reload()` is called. */
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function Loading({ state }) {
  if (state.error) return html`<p class="error" role="alert">${state.error.message || t('ui_load_failed')}</p>`;
  if (state.loading && !state.data) return html`<p aria-live="polite">${t('ui_loading')}</p>`;
  return null;
}

export const Badge = ({ kind, children }) => html`<span class="badge badge-${kind}">${children}</span>`;

/** The words of a form submission's error, split into the field it belongs to and the rest. */
export function fieldErrors(err, fields) {
  if (!err) return {};
  const field = err.field && fields.find((f) => err.field === f || err.field.startsWith(`${f}.`));
  return field ? { [field]: err.message } : { _form: err.message || t('ui_load_failed') };
}

export const priorityLabel = (p) => t(`ui_priority_${p}`);
