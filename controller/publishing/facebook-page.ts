/**
 * The commune's Facebook Page, through the Graph API, as Meta's Pages API guide documents it
 * (developers.facebook.com/docs/pages-api/posts, "Publish posts" and "Delete a post";
 * developers.facebook.com/docs/pages-api/getting-started):
 * - publish: POST {graph}/{page_id}/feed with `message`, `link` and `access_token` (a Page access
 *   token with pages_manage_posts), sent as JSON as the guide's curl example does, so the token
 *   is never in a URL; the answer is `{ "id": "{page_id}_{post_id}" }`;
 * - take down: DELETE {graph}/{page_post_id}?access_token=…, answered `{ "success": true }`.
 * A bulletin is a page post with its text, the link to its place on the commune's public page
 * (Facebook shows a preview) and the audio's address in the text. /{page_id}/videos is not used:
 * it takes video files, and a bulletin is an MP3.
 * Errors are `{ "error": { message, type, code, error_subcode, fbtrace_id } }`; what each code
 * means and whether to retry is in developers.facebook.com/docs/graph-api/guides/error-handling.
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

/** The Graph error codes of the error-handling guide, by what a person has to do. */
function codeOf(code: number, type: string | undefined): SocialErrorCode {
  if (code === 190 || code === 102) return 'social_token_refused'; // expired, revoked or invalid: get a new token
  if (code === 10 || (code >= 200 && code <= 299)) return 'social_permission_missing'; // pages_manage_posts not granted
  if (code === 1 || code === 2) return 'social_unavailable'; // "temporary issue due to downtime"
  if ([4, 17, 32, 341, 613].includes(code)) return 'social_rate_limited'; // throttling: wait and retry
  if (type === 'OAuthException' && !code) return 'social_token_refused';
  return 'social_refused'; // 368 (blocked for policy), 506 (duplicate post), 100 (bad parameter), …
}

/** A Graph answer that is not a success: its documented error, or the HTTP status. */
function graphError(a: Answer, token: string): Outcome {
  const e = a.json?.error;
  if (!e || typeof e !== 'object') return notJson(a, token);
  const sub = e.error_subcode ? `/${e.error_subcode}` : '';
  return failed(a.status, codeOf(Number(e.code), e.type), `(#${e.code}${sub}) ${e.message ?? ''}`.trim(), token);
}

export class FacebookPage implements SocialChannel {
  readonly name = 'facebook' as const;
  readonly label = 'Facebook';

  constructor(private readonly options: { page_id: string; graph_url: string; timeout_s: number }) {}

  async publish(p: PublicView, token: string, _pending: RemoteRef): Promise<Outcome> {
    const words = postText(p);
    // A Page post has no title field: the title leads the message.
    const message = cut([words.title, ...words.body, words.listen].join('\n\n'), 60_000);
    const a = await exchange(
      `${this.options.graph_url}/${encodeURIComponent(this.options.page_id)}/feed`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'truyen-thanh-controller' },
        body: JSON.stringify({ message, link: p.page_url, access_token: token }),
      },
      this.options.timeout_s,
      token,
    );
    if (isOutcome(a)) return a;
    if (a.status === 200 && typeof a.json?.id === 'string')
      return { ok: true, remote_id: a.json.id, pending_ref: null };
    return graphError(a, token);
  }

  async withdraw(ref: RemoteRef, token: string): Promise<Outcome> {
    if (!ref.remote_id) return { ok: true, remote_id: null, pending_ref: null };
    const a = await exchange(
      `${this.options.graph_url}/${encodeURIComponent(ref.remote_id)}?access_token=${encodeURIComponent(token)}`,
      {
        method: 'DELETE',
        headers: { 'user-agent': 'truyen-thanh-controller' },
      },
      this.options.timeout_s,
      token,
    );
    if (isOutcome(a)) return a;
    if (a.status === 200 && a.json?.success === true) return { ok: true, remote_id: ref.remote_id, pending_ref: null };
    // (#100/33) "Unsupported delete request. Object … does not exist": someone took it down by hand.
    if (Number(a.json?.error?.code) === 100 && Number(a.json?.error?.error_subcode) === 33)
      return { ok: true, remote_id: ref.remote_id, pending_ref: null };
    return graphError(a, token);
  }
}
