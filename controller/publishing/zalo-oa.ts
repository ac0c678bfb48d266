/**
 * The commune's Zalo Official Account: a bulletin becomes an OA article (a "bài viết" followers
 * find on the OA's page), through the OA Open API ("Quản lý bài viết" in developers.zalo.me's
 * Official Account API). Followed here as Zalo's own SDK makes the calls
 * (github.com/zaloplatform/zalo-java-sdk, src/test/java: CreateNormalArticle, GetArticleId,
 * RemoveArticle, GetAccessTokenByRefreshToken), since the developers.zalo.me pages themselves were
 * not at hand; field limits as SDKs built on those pages state them:
 * - every call carries the OA access token in the `access_token` header, never in a URL;
 * - POST {api}/v2.0/article/create with `{ type: "normal", title, author, cover, description,
 *   body: [{ type: "text", content }], status: "show", comment }` answers
 *   `{ error: 0, message, data: { token } }`: the article is made in the background;
 * - POST {api}/v2.0/article/verify with `{ token }` answers `{ error: 0, data: { id } }` once it
 *   is made: that id is the article's;
 * - POST {api}/v2.0/article/remove with `{ id }` takes it down (`{ error: 0, message }`).
 * Zalo answers errors with HTTP 200 and `{ error: <negative code>, message }`: a non-zero `error`
 * is the failure. A broadcast to followers (/v2.0/oa/message) is not sent: a message once sent
 * cannot be taken back when the bulletin is withdrawn, and an article can.
 */
import {
  cut,
  exchange,
  failed,
  isOutcome,
  notJson,
  postText,
  type Answer,
  type Outcome,
  type RemoteRef,
  type SocialChannel,
  type SocialErrorCode,
} from './social-channel.js';
import type { PublicView } from './publishing-service.js';

/** Zalo's error codes, by what a person has to do (only the ones whose meaning is known; the rest are shown as Zalo words them). */
function codeOf(code: number): SocialErrorCode {
  if (code === -216 || code === -124) return 'social_token_refused'; // "Access token is invalid" / expired
  if (code === -32) return 'social_rate_limited';
  return 'social_refused';
}

function zaloError(a: Answer, token: string, pending_ref: string | null): Outcome {
  if (a.status !== 200 || typeof a.json?.error !== 'number') return { ...notJson(a, token), pending_ref };
  return failed(a.status, codeOf(a.json.error), `(${a.json.error}) ${a.json.message ?? ''}`.trim(), token, pending_ref);
}

const zaloOk = (a: Answer) => a.status === 200 && a.json?.error === 0;

export class ZaloOa implements SocialChannel {
  readonly name = 'zalo' as const;
  readonly label = 'Zalo OA';

  constructor(
    private readonly options: { api_url: string; cover_photo_url: string; author: string; timeout_s: number },
  ) {}

  private call(path: string, body: object, token: string): Promise<Answer | Outcome> {
    return exchange(
      `${this.options.api_url}${path}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: token, 'user-agent': 'truyen-thanh-controller' },
        body: JSON.stringify(body),
      },
      this.options.timeout_s,
      token,
    );
  }

  /** An article already being made (its create token kept from an earlier attempt) is only looked for, never made twice. */
  async publish(p: PublicView, token: string, pending: RemoteRef): Promise<Outcome> {
    let ref = pending.pending_ref;
    if (!ref) {
      const words = postText(p);
      const a = await this.call(
        '/v2.0/article/create',
        {
          type: 'normal',
          // Zalo's limits: title 150 characters, author 50, description 300.
          title: cut(words.title, 150),
          author: cut(this.options.author, 50),
          cover: { cover_type: 'photo', photo_url: this.options.cover_photo_url, status: 'show' },
          description: cut(words.body.join(' ') || words.title, 300),
          body: [...words.body, words.listen, words.page].map((content) => ({ type: 'text', content })),
          status: 'show',
          // Nobody at the commune moderates comments on the OA: the fanpage is where people talk.
          comment: 'hide',
        },
        token,
      );
      if (isOutcome(a)) return a;
      if (!zaloOk(a) || typeof a.json?.data?.token !== 'string') return zaloError(a, token, null);
      ref = a.json.data.token as string;
    }
    return this.verify(ref, token);
  }

  async withdraw(ref: RemoteRef, token: string): Promise<Outcome> {
    let id = ref.remote_id;
    if (!id && ref.pending_ref) {
      const found = await this.verify(ref.pending_ref, token);
      if (!found.ok) return found;
      id = found.remote_id;
    }
    if (!id) return { ok: true, remote_id: null, pending_ref: null };
    const a = await this.call('/v2.0/article/remove', { id }, token);
    if (isOutcome(a)) return { ...a, pending_ref: ref.pending_ref };
    if (zaloOk(a)) return { ok: true, remote_id: id, pending_ref: null };
    return zaloError(a, token, ref.pending_ref);
  }

  /** The article's id from its create token; while Zalo is still making it, a failure that keeps the token. */
  private async verify(pendingRef: string, token: string): Promise<Outcome> {
    const a = await this.call('/v2.0/article/verify', { token: pendingRef }, token);
    if (isOutcome(a)) return { ...a, pending_ref: pendingRef };
    // Some OAs answer the id as data.id, some (older answers) as data.article_id.
    const id = a.json?.data?.id ?? a.json?.data?.article_id;
    if (zaloOk(a) && (typeof id === 'string' || typeof id === 'number'))
      return { ok: true, remote_id: String(id), pending_ref: pendingRef };
    return zaloError(a, token, pendingRef);
  }
}
