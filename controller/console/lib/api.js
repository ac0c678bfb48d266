// One way to call the API: the same routes and permissions as every other client. Session cookie
// plus the CSRF token for changes; errors become ApiError with the server's words and field.
import { learnControllerTime } from './clock.js';
import { lang, t } from './i18n.js';

let csrf = null;
const listeners = new Set();
export const setCsrf = (token) => (csrf = token);
let onSignedOut = () => {};
/** Called when the session has ended (expired, logged out elsewhere): back to the login page. */
export const onUnauthorized = (fn) => (onSignedOut = fn);
/** Called with true/false when the controller becomes unreachable or reachable again. */
export const onReachability = (fn) => listeners.add(fn);
const reachable = (ok) => listeners.forEach((fn) => fn(ok));

// Field codes the API adds in brackets for programs ("Giờ bắt đầu (start_time)"): people read the words.
const CODE =
  '(?:[a-z]+_[a-z_]+|recurrence|items|date|lunar|target|relay|days|weekdays|id|lat|lon|from|to|version|all: true)';
const BRACKETED = new RegExp(`\\s*\\((?:trường |fields? )?${CODE}(?:,\\s*${CODE})*\\)`, 'g');
const LEADING = new RegExp(`\\(${CODE}(?:,\\s*${CODE})*,\\s*`, 'g');
/** A server message as a person reads it: without the field codes meant for programs. */
export const plainWords = (message) => (message ? message.replace(BRACKETED, '').replace(LEADING, '(') : message);

export class ApiError extends Error {
  constructor(status, body) {
    const e = body && body.error ? body.error : {};
    const fallback = status === 0 ? t('ui_connection_lost') : `HTTP ${status}`;
    super(plainWords(lang() === 'en' ? e.message_en || e.message || fallback : e.message || fallback));
    this.status = status;
    this.code = e.code;
    this.field = e.field;
    this.details = e.details;
  }
}

export async function api(method, path, body, options = {}) {
  const headers = { 'accept-language': lang() === 'en' ? 'en' : 'vi' };
  if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body instanceof Blob) {
    headers['content-type'] = body.type.split(';')[0] || 'application/octet-stream';
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  const sentAt = Date.now();
  try {
    // keepalive: a request made as the page goes away (a reload, a closed tab) still reaches the controller.
    res = await fetch(path, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      keepalive: Boolean(options.keepalive),
    });
  } catch {
    reachable(false);
    throw new ApiError(0, { error: { code: 'unreachable', message: '', message_en: '' } });
  }
  reachable(true);
  learnControllerTime(res.headers.get('x-controller-time'), sentAt, Date.now());
  if (options.raw) {
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
    return res;
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (res.status === 401 && path !== '/api/auth/login') onSignedOut();
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** An upload with progress (fetch cannot report it): resolves with the JSON answer. */
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.setRequestHeader('accept-language', lang());
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let json = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(new ApiError(xhr.status, json));
    };
    xhr.onerror = () => {
      reachable(false);
      reject(new ApiError(0, null));
    };
    xhr.send(form);
  });
}
