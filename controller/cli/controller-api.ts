/**
 * How a terminal tool on the controller's machine (enrolment, the simulator) reaches the running
 * controller's API: at the address the controller's own settings give (the same config file
 * `npm start` reads, config-file.ts), with a token, and with every failure turned into words a
 * person can act on instead of a stack trace.
 */
import { readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { inBothLanguages, t, type MessageKey, type MessageParams } from '../i18n/messages.js';
import type { Settings } from '../settings.js';

/** A failure the tool explains in the catalogue's words (and a hint after them), then exits with `exitCode`. */
export class ToolError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    readonly exitCode = 1,
    readonly hint?: MessageKey,
  ) {
    super(t(key, 'en', params));
    this.name = 'ToolError';
  }
}

export { inBothLanguages };

/** What to print for any error a tool meets: its own words for a ToolError, the error's message otherwise. */
export function explainToolError(err: unknown): string {
  if (err instanceof ToolError)
    return [inBothLanguages(err.key, err.params), ...(err.hint ? [inBothLanguages(err.hint)] : [])].join('\n');
  return inBothLanguages('cli_failed', { detail: err instanceof Error ? err.message : String(err) });
}

/**
 * The API's address from this machine: the controller listens on http.host and http.port; a
 * wildcard host (every interface) is reached on loopback.
 */
export function localApiUrl(settings: Settings): string {
  const { host, port, tls_cert_file, tls_key_file } = settings.http;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const hostPart = reachable.includes(':') ? `[${reachable}]` : reachable;
  return `${tls_cert_file && tls_key_file ? 'https' : 'http'}://${hostPart}:${port}`;
}

/** The token from --token-file, else TT_TOKEN. */
export function readToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : env.TT_TOKEN?.trim();
  if (!token) throw new ToolError('cli_token_missing', {}, 2);
  return token;
}

export interface ControllerApiOptions {
  url: string;
  token: string;
  /** Named in the "cannot reach" message: where the address came from. */
  configPath: string;
  /** A CA certificate (PEM) for a controller with its own certificate (settings.tls_ca_file). */
  ca?: string;
}

export class ControllerApi {
  private readonly dispatcher: Agent | undefined;

  constructor(private readonly options: ControllerApiOptions) {
    this.dispatcher = options.ca ? new Agent({ connect: { ca: options.ca } }) : undefined;
  }

  /** The answer's JSON on 2xx; a ToolError otherwise, with the API's own words when it gave some. */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const { url, token } = this.options;
    let res;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'accept-language': 'vi',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      // undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND, a TLS error) in `cause`.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ToolError('cli_controller_unreachable', {
        url,
        reason: cause?.code ?? cause?.message ?? String(err),
        config: this.options.configPath,
      });
    }
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
    throw new ToolError('cli_api_refused', { status: res.status, message: apiWords(text) });
  }
}

/** The error's message in both languages as the error handler renders it (`{ error: { message, message_en } }`), or the raw text. */
function apiWords(text: string): { vi: string; en: string } {
  try {
    const { error } = JSON.parse(text) as { error?: { message?: string; message_en?: string } };
    if (error?.message) return { vi: error.message, en: error.message_en ?? error.message };
  } catch {
    // Not JSON: a proxy's page, say. Show its start.
  }
  const raw = text.trim().slice(0, 200) || '-';
  return { vi: raw, en: raw };
}
