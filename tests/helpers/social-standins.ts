/**
 * Local stand-ins for the Facebook Graph API (Page posts) and the Zalo OA Open API (articles),
 * following each platform's documented requests and answers (the sources are cited in
 * controller/publishing/facebook-page.ts and zalo-oa.ts). They check what the platform checks
 * (the token, the path, the fields and their limits), keep what was posted so a test can see
 * what a follower would, and can be told to fail the next calls like the platform does.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** How the next calls fail: an outage page from a proxy (5xx, HTML), or the platform's own documented error. */
export type Failure = 'outage' | 'documented';

interface StandIn<P> {
  url: string;
  /** Zalo: how many more times article/verify answers that the article is still being made. */
  processing: number;
  /** The token the platform accepts now (a test changes it to play a revoked token). */
  token: string;
  calls: Call[];
  /** What is up on the platform, by its id. */
  posts: Map<string, P>;
  /** Every id ever made (a post taken down stays here). */
  made: string[];
  fail: Failure[];
  close(): Promise<void>;
}

async function serve(
  handle: (call: Call, answer: (status: number, body: unknown, type?: string) => void) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      handle(
        { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body },
        (status, value, type = 'application/json') => {
          res.writeHead(status, { 'content-type': type });
          res.end(typeof value === 'string' ? value : JSON.stringify(value));
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A gateway's error page that repeats the request line it could not pass on, query (and token in it) included. */
const outagePage = (call: Call) =>
  `<html><body><h1>Service Unavailable</h1><p>upstream timed out: ${call.method} ${call.path}?${call.query}</p></body></html>`;

export const FACEBOOK_PAGE_ID = '104928371650223';
export interface FacebookPost {
  message: string;
  link: string | null;
}

/**
 * The Graph API as the Pages API guide documents it: POST /{version}/{page_id}/feed with
 * message, link and access_token (JSON, a form or the query) answers { id: "{page_id}_{post_id}" };
 * DELETE /{version}/{page_post_id}?access_token=… answers { success: true }. Errors:
 * { error: { message, type, code, error_subcode?, fbtrace_id } } with HTTP 400 (or 500 for code 2).
 */
export async function startFacebookStandIn(token: string, version = 'v25.0'): Promise<StandIn<FacebookPost>> {
  const state: StandIn<FacebookPost> = {
    url: '',
    processing: 0,
    token,
    calls: [],
    posts: new Map(),
    made: [],
    fail: [],
    close: async () => {},
  };
  const fbtrace_id = () => randomBytes(6).toString('base64url');
  const graphError = (code: number, type: string, message: string, error_subcode?: number) => ({
    error: { message, type, code, ...(error_subcode ? { error_subcode } : {}), fbtrace_id: fbtrace_id() },
  });
  const server = await serve((call, answer) => {
    state.calls.push(call);
    const fields: Record<string, string> = Object.fromEntries(call.query);
    if (call.body) {
      const type = call.headers['content-type'] ?? '';
      Object.assign(
        fields,
        type.includes('json') ? JSON.parse(call.body) : Object.fromEntries(new URLSearchParams(call.body)),
      );
    }
    const failure = state.fail.shift();
    if (failure === 'outage') return answer(503, outagePage(call), 'text/html');
    // Code 2, "API Service: temporary issue due to downtime. Wait and retry the operation."
    if (failure === 'documented')
      return answer(500, {
        error: {
          ...graphError(2, 'OAuthException', 'An unexpected error has occurred. Please retry your request later.')
            .error,
          is_transient: true,
        },
      });
    if (!fields.access_token)
      return answer(
        400,
        graphError(
          2500,
          'OAuthException',
          'An active access token must be used to query information about the current user.',
        ),
      );
    if (fields.access_token !== state.token)
      return answer(400, graphError(190, 'OAuthException', 'Invalid OAuth access token - Cannot parse access token'));
    const [, v, id, edge] = call.path.split('/');
    if (v !== version)
      return answer(
        400,
        graphError(2635, 'OAuthException', `(#2635) You are calling a deprecated version of the Graph API.`),
      );
    if (call.method === 'POST' && id === FACEBOOK_PAGE_ID && edge === 'feed') {
      if (!fields.message?.trim())
        return answer(400, graphError(100, 'OAuthException', '(#100) Missing message or attachment'));
      if (fields.link && !/^https?:\/\//.test(fields.link))
        return answer(400, graphError(100, 'OAuthException', '(#100) link URL is not properly formatted'));
      const postId = `${FACEBOOK_PAGE_ID}_${String(state.made.length + 1).padStart(15, '7')}`;
      state.posts.set(postId, { message: fields.message, link: fields.link ?? null });
      state.made.push(postId);
      return answer(200, { id: postId });
    }
    if (call.method === 'DELETE' && id && !edge) {
      if (!state.posts.delete(id)) {
        return answer(
          400,
          graphError(
            100,
            'GraphMethodException',
            `Unsupported delete request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
            33,
          ),
        );
      }
      return answer(200, { success: true });
    }
    answer(400, graphError(100, 'GraphMethodException', `Unsupported ${call.method.toLowerCase()} request.`, 33));
  });
  state.url = `${server.url}/${version}`;
  state.close = server.close;
  return state;
}

export interface ZaloArticle {
  title: string;
  author: string;
  description: string;
  cover: { cover_type: string; photo_url: string; status: string };
  body: { type: string; content: string }[];
  status: string;
  comment: string;
}

/**
 * The Zalo OA Open API's articles, as Zalo's SDK calls them: the token in the access_token
 * header; POST /v2.0/article/create answers { error: 0, message, data: { token } }, then
 * POST /v2.0/article/verify { token } answers { error: 0, data: { id } }; POST /v2.0/article/remove
 * { id }. Errors are HTTP 200 with { error: <negative>, message }.
 */
export async function startZaloStandIn(token: string): Promise<StandIn<ZaloArticle>> {
  const state: StandIn<ZaloArticle> = {
    url: '',
    processing: 0,
    token,
    calls: [],
    posts: new Map(),
    made: [],
    fail: [],
    close: async () => {},
  };
  const made = new Map<string, string>(); // create token -> article id
  const server = await serve((call, answer) => {
    state.calls.push(call);
    const zalo = (error: number, message: string, data?: object) =>
      answer(200, { error, message, ...(data ? { data } : {}) });
    const failure = state.fail.shift();
    if (failure === 'outage') return answer(502, outagePage(call), 'text/html');
    if (failure === 'documented') return zalo(-32, 'Your application reached limit call api');
    if (call.headers.access_token !== state.token) return zalo(-216, 'Access token is invalid');
    if (call.method !== 'POST' || !String(call.headers['content-type']).includes('application/json'))
      return zalo(-201, 'Parameters are invalid');
    const b = JSON.parse(call.body || '{}');
    if (call.path === '/v2.0/article/create') {
      const text = (s: unknown, max: number) => typeof s === 'string' && s.trim().length > 0 && s.length <= max;
      const bodyOk =
        Array.isArray(b.body) &&
        b.body.length > 0 &&
        b.body.every((p: any) => p.type === 'text' && text(p.content, 100_000));
      const coverOk =
        b.cover?.cover_type === 'photo' &&
        /^https?:\/\//.test(b.cover.photo_url ?? '') &&
        ['show', 'hide'].includes(b.cover.status);
      if (
        b.type !== 'normal' ||
        !text(b.title, 150) ||
        !text(b.author, 50) ||
        !text(b.description, 300) ||
        !coverOk ||
        !bodyOk ||
        !['show', 'hide'].includes(b.status) ||
        !['show', 'hide'].includes(b.comment)
      )
        return zalo(-201, 'Parameters are invalid');
      const id = randomBytes(10).toString('hex');
      const createToken = randomBytes(24).toString('base64');
      made.set(createToken, id);
      state.posts.set(id, b);
      state.made.push(id);
      return zalo(0, 'Success', { token: createToken });
    }
    if (call.path === '/v2.0/article/verify') {
      const id = made.get(b.token);
      if (!id) return zalo(-201, 'Token is invalid');
      // Made in the background: seen answered -214 while its media are processed.
      if (state.processing > 0 && state.processing--) return zalo(-214, 'Article is being processed');
      return zalo(0, 'Success', { id });
    }
    if (call.path === '/v2.0/article/remove') {
      return state.posts.delete(b.id) ? zalo(0, 'Success') : zalo(-201, 'Article is not existed');
    }
    zalo(-201, 'Api is not existed');
  });
  state.url = server.url;
  state.close = server.close;
  return state;
}
