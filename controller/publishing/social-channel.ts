/**
 * What the social publisher asks of a platform (the fanpage, the Zalo OA): post a publication,
 * take a post down. Each platform's own file knows its documented requests and answers; this
 * one holds what they share, and the errors a person reads, in catalogue keys.
 */
import { t } from '../i18n/messages.js';
import { scrub } from './social-token.js';
import type { PublicView } from './publishing-service.js';

export const CHANNELS = ['facebook', 'zalo'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Why an attempt failed, as a message key (publishing-messages.ts words it in Vietnamese and English). */
export type SocialErrorCode =
  | 'social_token_missing'
  | 'social_token_refused'
  | 'social_permission_missing'
  | 'social_rate_limited'
  | 'social_unavailable'
  | 'social_unreachable'
  | 'social_refused';

export type Outcome =
  | { ok: true; remote_id: string | null; pending_ref: string | null }
  | { ok: false; status: number | null; code: SocialErrorCode; detail: string; pending_ref: string | null };

/** Where a post is on the platform: its id, or (Zalo, still being made) the token that leads to it. */
export interface RemoteRef {
  remote_id: string | null;
  pending_ref: string | null;
}

export interface SocialChannel {
  readonly name: ChannelName;
  /** How people call it, in both languages' messages. */
  readonly label: string;
  publish(p: PublicView, token: string, pending: RemoteRef): Promise<Outcome>;
  withdraw(ref: RemoteRef, token: string): Promise<Outcome>;
}

/** One HTTP exchange with a platform: its status and its answer (JSON when it is JSON). */
export interface Answer {
  status: number;
  json: any;
  text: string;
}

/** Calls a platform; a network failure or a timeout comes back as an Outcome, never thrown. */
export async function exchange(
  url: string,
  init: RequestInit,
  timeout_s: number,
  token: string,
): Promise<Answer | Outcome> {
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeout_s * 1000) });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* an HTML error page from a proxy */
    }
    return { status: res.status, json, text };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return failed(null, 'social_unreachable', `${e.message}${e.cause?.message ? `: ${e.cause.message}` : ''}`, token);
  }
}

export const isOutcome = (a: Answer | Outcome): a is Outcome => 'ok' in a;

export function failed(
  status: number | null,
  code: SocialErrorCode,
  detail: string,
  token: string | null,
  pending_ref: string | null = null,
): Outcome {
  return { ok: false, status, code, detail: scrub(detail, token).slice(0, 500), pending_ref };
}

/** An answer that is not the platform's JSON (a proxy's page, an outage): its status and first words. */
export function notJson(a: Answer, token: string): Outcome {
  // The token out before the cut, so no piece of it is left at the cut's edge.
  const words = scrub(
    a.text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    token,
  ).slice(0, 200);
  return failed(
    a.status,
    a.status >= 500 || a.status === 429 ? 'social_unavailable' : 'social_refused',
    `HTTP ${a.status}${words ? `: ${words}` : ''}`,
    token,
  );
}

/** The post's words, as the commune's page shows them: the title (urgent marked), the text, where to listen. */
export function postText(p: PublicView): { title: string; body: string[]; listen: string; page: string } {
  return {
    title: p.urgent ? `[Khẩn] ${p.title}` : p.title,
    body: (p.text ?? '')
      .split(/\n+/)
      .map((l) => l.trim())
      .filter(Boolean),
    listen: t('social_listen', 'vi', { url: p.audio_url }),
    page: t('social_read_more', 'vi', { url: p.page_url }),
  };
}

/** Cuts to `max` characters (a platform's field limit), marking the cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
