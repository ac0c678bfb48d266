import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORIES } from '../bulletins/bulletins-read-model.js';
import type { BulletinsService } from '../bulletins/bulletins-service.js';
import { actorOf } from '../http/auth.js';
import {
  errorSchema,
  fileAnswer,
  sentFileHeaders,
  objectSchema,
  protectedErrors,
  rowSchema,
  textAnswer,
  uuidParams,
} from '../http/schemas.js';
import { t } from '../i18n/messages.js';
import type { MediaService } from '../media/media-service.js';
import type { Settings } from '../settings.js';
import { buildJsonFeed, buildRss, type Channel } from './feeds.js';
import { coverOrDefault } from './podcast-cover.js';
import { renderPublicPage } from './public-page.js';
import type { PublishingService } from './publishing-service.js';
import type { WebhooksService } from './webhooks-service.js';

const tags = ['publishing'];

type PodcastSettings = Settings['publishing']['podcast'];

export const publishingRoutes =
  (
    publishing: PublishingService,
    webhooks: WebhooksService,
    bulletins: BulletinsService,
    media: MediaService,
    commune: { name: string; timezone: string },
    baseUrl: () => string,
    podcast: PodcastSettings,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    const { cover, problem } = coverOrDefault(podcast.cover_image_file);
    if (problem)
      app.log.warn(
        { file: podcast.cover_image_file, problem },
        'publishing.podcast.cover_image_file is not usable cover art; the default cover is served',
      );
    const channel = (category?: string): Channel => {
      const base = baseUrl();
      const prefix = category ? `${base}/public/${category}` : `${base}/public`;
      const title =
        t('public_page_title', 'vi', { commune: commune.name }) +
        (category ? ` — ${t(`category_${category}` as never, 'vi')}` : '');
      const author = `UBND ${commune.name}`;
      return {
        title,
        description: t('public_page_intro', 'vi'),
        author,
        page_url: `${base}/public/`,
        rss_url: `${prefix}/feed.xml`,
        json_url: `${prefix}/feed.json`,
        image_url: `${base}/public/artwork/${cover.version}/${cover.file_name}`,
        owner: { name: podcast.owner_name || author, email: podcast.owner_email },
        category: podcast.category,
        subcategory: podcast.subcategory,
      };
    };
    const publicCache = 'public, max-age=60';

    // The public side: no account, nothing private.
    // The page's links are absolute, so it answers at /public and /public/ alike (the document names
    // one: API tools refuse a path with a trailing slash).
    const page = (reply: FastifyReply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', publicCache)
        .send(renderPublicPage(channel(), publishing.visible(), commune.timezone));
    app.get(
      '/public',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: "The commune's public page: latest bulletins with a player (Vietnamese)",
          response: { 200: textAnswer('The page', ['text/html']) },
        },
      },
      async (_req, reply) => {
        page(reply);
        return reply;
      },
    );
    app.get('/public/', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      page(reply),
    );

    const categoryParams = z.object({ category: z.enum(CATEGORIES) });
    const jsonFeed = {
      description: 'JSON Feed 1.1',
      content: {
        'application/feed+json': {
          schema: z.looseObject({
            version: z.string(),
            title: z.string(),
            items: z.array(objectSchema),
          }) as unknown as z.ZodType<object>,
        },
      },
    };
    app.get(
      '/public/feed.xml',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: 'Podcast feed (RSS 2.0, iTunes and Podcasting 2.0 tags), every category',
          response: { 200: textAnswer('RSS 2.0', ['application/rss+xml']) },
        },
      },
      async (_req, reply) =>
        reply
          .type('application/rss+xml; charset=utf-8')
          .header('cache-control', publicCache)
          .send(buildRss(channel(), publishing.visible())),
    );
    app.get(
      '/public/feed.json',
      {
        config: { permission: 'public' },
        schema: { tags, summary: 'JSON Feed 1.1, every category', response: { 200: jsonFeed } },
      },
      async (_req, reply) =>
        reply
          .type('application/feed+json; charset=utf-8')
          .header('cache-control', publicCache)
          .send(buildJsonFeed(channel(), publishing.visible())),
    );
    app.get(
      '/public/:category/feed.xml',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: 'Podcast feed of one category',
          params: categoryParams,
          response: { 200: textAnswer('RSS 2.0', ['application/rss+xml']) },
        },
      },
      async (req, reply) =>
        reply
          .type('application/rss+xml; charset=utf-8')
          .header('cache-control', publicCache)
          .send(buildRss(channel(req.params.category), publishing.visible(req.params.category))),
    );
    app.get(
      '/public/:category/feed.json',
      {
        config: { permission: 'public' },
        schema: { tags, summary: 'JSON Feed of one category', params: categoryParams, response: { 200: jsonFeed } },
      },
      async (req, reply) =>
        reply
          .type('application/feed+json; charset=utf-8')
          .header('cache-control', publicCache)
          .send(buildJsonFeed(channel(req.params.category), publishing.visible(req.params.category))),
    );

    // The version in the path changes with the picture: apps cache artwork by its URL.
    app.get(
      '/public/artwork/:version/:file',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: "The podcast's cover art (a square JPEG or PNG, 1400-3000 px)",
          params: z.object({ version: z.string().regex(/^[0-9a-f]{12}$/), file: z.enum(['cover.png', 'cover.jpg']) }),
          response: { 200: fileAnswer('The picture', ['image/png', 'image/jpeg']) },
        },
      },
      async (_req, reply) => reply.type(cover.type).header('cache-control', 'public, max-age=86400').send(cover.bytes),
    );

    const itemParams = z.object({ file: z.string().regex(/^[0-9a-f-]{36}\.(mp3|txt)$/) });
    const item = (file: string) => publishing.visibleItem(file.slice(0, 36));
    app.get(
      '/public/audio/:file',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: "A published bulletin's audio (Range supported)",
          params: itemParams,
          documentedHeaders: { 200: sentFileHeaders(false), 206: sentFileHeaders(true) },
          response: {
            200: fileAnswer('The MP3', ['audio/mpeg']),
            206: fileAnswer('The requested range of the MP3', ['audio/mpeg']),
            404: errorSchema,
          },
        },
      },
      async (req, reply) => {
        const p = item(req.params.file);
        if (!p || !req.params.file.endsWith('.mp3'))
          return reply.status(404).send({
            error: {
              code: 'not_found',
              message: t('not_found', 'vi', { what: t('what_publication', 'vi'), id: req.params.file }),
              message_en: t('not_found', 'en', { what: t('what_publication', 'en'), id: req.params.file }),
            },
          });
        reply.header('cache-control', 'public, max-age=86400');
        return reply.type('audio/mpeg').sendFile(media.fileName(p.media_id), media.mediaDir);
      },
    );
    app.get(
      '/public/items/:file',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: "A published bulletin's text (the podcast transcript)",
          params: itemParams,
          response: {
            200: textAnswer('Its title and text', ['text/plain']),
            404: textAnswer('Not found', ['text/plain']),
          },
        },
      },
      async (req, reply) => {
        const p = item(req.params.file);
        if (!p || !p.text || !req.params.file.endsWith('.txt'))
          return reply.status(404).type('text/plain; charset=utf-8').send('Không tìm thấy / Not found');
        return reply
          .type('text/plain; charset=utf-8')
          .header('cache-control', publicCache)
          .send(`${p.title}\n\n${p.text}\n`);
      },
    );

    // Staff: what was published, withdrawing, and the bulletin's choice.
    app.get(
      '/api/publications',
      {
        config: { permission: 'bulletins:read' },
        schema: {
          tags,
          summary: 'Publications, newest first, withdrawn ones included',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.array(rowSchema) },
        },
      },
      async (req) => publishing.list(req.query.limit),
    );
    app.post(
      '/api/publications/:id/withdraw',
      {
        config: { permission: 'bulletins:approve' },
        schema: {
          tags,
          summary:
            'Take a publication off the feed, page, webhooks, fanpage and Zalo OA (approvers); broadcasting the bulletin again does not bring it back',
          params: uuidParams,
          body: z.object({ reason: z.string().trim().min(1).max(500) }),
          response: { 200: rowSchema.describe('The publication, withdrawn'), ...protectedErrors },
        },
      },
      async (req) => publishing.withdraw(req.params.id, req.body.reason, actorOf(req)),
    );
    // Withdrawing by hand and making private take a bulletin off alike: the same permission for both.
    app.post(
      '/api/bulletins/:id/visibility',
      {
        config: { permission: 'bulletins:approve' },
        schema: {
          tags,
          summary:
            'Publish a bulletin beyond the loudspeakers or not (approvers): making it private withdraws what was published; making it public publishes it again after a withdrawal',
          params: uuidParams,
          body: z.object({ public: z.boolean() }),
          response: { 200: rowSchema.describe('The bulletin') },
        },
      },
      async (req) => bulletins.setPublic(req.params.id, req.body.public, actorOf(req)),
    );

    // Webhooks (administrators).
    app.get(
      '/api/webhooks',
      {
        config: { permission: 'webhooks:manage' },
        schema: { tags, summary: 'Webhooks (without their secrets)', response: { 200: z.array(rowSchema) } },
      },
      async () => webhooks.list(),
    );
    app.post(
      '/api/webhooks',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          tags,
          summary: 'Add a webhook; its signing secret is shown once',
          description:
            'Each delivery is a JSON POST with the headers `X-TT-Event` (what happened, e.g. `bulletin.published`), `X-TT-Delivery` (the same on every retry: drop repeats), `X-TT-Timestamp` (seconds since the epoch) and `X-TT-Signature`: `sha256=` and the hex HMAC-SHA256 of `{timestamp}.{body}` with this secret.',
          body: z.object({ url: z.url(), description: z.string().max(200).nullable().optional() }),
          response: {
            201: rowSchema.describe('The webhook, with its secret (shown this once)'),
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => reply.status(201).send(webhooks.create(req.body, actorOf(req))),
    );
    app.delete(
      '/api/webhooks/:id',
      {
        config: { permission: 'webhooks:manage' },
        schema: { tags, summary: 'Disable a webhook', params: uuidParams, response: { 204: z.null() } },
      },
      async (req, reply) => {
        webhooks.disable(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/webhooks/:id/deliveries',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          tags,
          summary: "The delivery log: each attempt's outcome, retries pending",
          params: uuidParams,
          response: { 200: z.array(rowSchema) },
        },
      },
      async (req) => webhooks.deliveries(req.params.id),
    );
  };
