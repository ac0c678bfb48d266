import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATEGORIES } from '../bulletins/bulletins-read-model.js';
import type { BulletinsService } from '../bulletins/bulletins-service.js';
import { actorOf } from '../http/auth.js';
import { errorSchema, protectedErrors, uuidParams } from '../http/schemas.js';
import { t } from '../i18n/messages.js';
import type { MediaService } from '../media/media-service.js';
import { buildJsonFeed, buildRss, type Channel } from './feeds.js';
import { renderPublicPage } from './public-page.js';
import type { PublishingService } from './publishing-service.js';
import type { WebhooksService } from './webhooks-service.js';

const tags = ['publishing'];

export const publishingRoutes = (
  publishing: PublishingService, webhooks: WebhooksService, bulletins: BulletinsService, media: MediaService,
  commune: { name: string; timezone: string }, baseUrl: () => string,
): FastifyPluginAsyncZod => async (app) => {
  const channel = (category?: string): Channel => {
    const base = baseUrl();
    const prefix = category ? `${base}/public/${category}` : `${base}/public`;
    const title = t('public_page_title', 'vi', { commune: commune.name }) + (category ? ` — ${t(`category_${category}` as never, 'vi')}` : '');
    return { title, description: t('public_page_intro', 'vi'), author: `UBND ${commune.name}`, page_url: `${base}/public/`, rss_url: `${prefix}/feed.xml`, json_url: `${prefix}/feed.json` };
  };
  const publicCache = 'public, max-age=60';

  // The public side: no account, nothing private.
  app.get('/public/', { config: { permission: 'public' }, schema: { tags, summary: 'The commune\'s public page: latest bulletins with a player (Vietnamese)' } },
    async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', publicCache).send(renderPublicPage(channel(), publishing.visible(), commune.timezone)));
  app.get('/public', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.redirect('/public/', 301));

  const categoryParams = z.object({ category: z.enum(CATEGORIES) });
  app.get('/public/feed.xml', { config: { permission: 'public' }, schema: { tags, summary: 'Podcast feed (RSS 2.0, iTunes and Podcasting 2.0 tags), every category' } },
    async (_req, reply) => reply.type('application/rss+xml; charset=utf-8').header('cache-control', publicCache).send(buildRss(channel(), publishing.visible())));
  app.get('/public/feed.json', { config: { permission: 'public' }, schema: { tags, summary: 'JSON Feed 1.1, every category' } },
    async (_req, reply) => reply.type('application/feed+json; charset=utf-8').header('cache-control', publicCache).send(buildJsonFeed(channel(), publishing.visible())));
  app.get('/public/:category/feed.xml', { config: { permission: 'public' }, schema: { tags, summary: 'Podcast feed of one category', params: categoryParams } },
    async (req, reply) => reply.type('application/rss+xml; charset=utf-8').header('cache-control', publicCache).send(buildRss(channel(req.params.category), publishing.visible(req.params.category))));
  app.get('/public/:category/feed.json', { config: { permission: 'public' }, schema: { tags, summary: 'JSON Feed of one category', params: categoryParams } },
    async (req, reply) => reply.type('application/feed+json; charset=utf-8').header('cache-control', publicCache).send(buildJsonFeed(channel(req.params.category), publishing.visible(req.params.category))));

  const itemParams = z.object({ file: z.string().regex(/^[0-9a-f-]{36}\.(mp3|txt)$/) });
  const item = (file: string) => publishing.visibleItem(file.slice(0, 36));
  app.get('/public/audio/:file', { config: { permission: 'public' }, schema: { tags, summary: 'A published bulletin\'s audio (Range supported)', params: itemParams, response: { 404: errorSchema } } },
    async (req, reply) => {
      const p = item(req.params.file);
      if (!p || !req.params.file.endsWith('.mp3')) return reply.status(404).send({ error: { code: 'not_found', message: t('not_found', 'vi', { what: t('what_publication', 'vi'), id: req.params.file }), message_en: t('not_found', 'en', { what: t('what_publication', 'en'), id: req.params.file }) } });
      reply.header('cache-control', 'public, max-age=86400');
      return reply.type('audio/mpeg').sendFile(media.fileName(p.media_id), media.mediaDir);
    });
  app.get('/public/items/:file', { config: { permission: 'public' }, schema: { tags, summary: 'A published bulletin\'s text (the podcast transcript)', params: itemParams } },
    async (req, reply) => {
      const p = item(req.params.file);
      if (!p || !p.text || !req.params.file.endsWith('.txt')) return reply.status(404).type('text/plain; charset=utf-8').send('Không tìm thấy / Not found');
      return reply.type('text/plain; charset=utf-8').header('cache-control', publicCache).send(`${p.title}\n\n${p.text}\n`);
    });

  // Staff: what was published, withdrawing, and the bulletin's choice.
  app.get('/api/publications', { config: { permission: 'bulletins:read' }, schema: { tags, summary: 'Publications, newest first, withdrawn ones included', querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) } },
    async (req) => publishing.list(req.query.limit));
  app.post('/api/publications/:id/withdraw', {
    config: { permission: 'bulletins:approve' },
    schema: { tags, summary: 'Take a publication off the feed, page and webhooks', params: uuidParams, body: z.object({ reason: z.string().trim().min(1).max(500) }), response: { 200: z.unknown(), ...protectedErrors } },
  }, async (req) => publishing.withdraw(req.params.id, req.body.reason, actorOf(req)));
  app.post('/api/bulletins/:id/visibility', {
    config: { permission: 'bulletins:write' },
    schema: { tags, summary: 'Publish a bulletin beyond the loudspeakers or not (making it private withdraws what was published)', params: uuidParams, body: z.object({ public: z.boolean() }) },
  }, async (req) => bulletins.setPublic(req.params.id, req.body.public, actorOf(req)));

  // Webhooks (administrators).
  app.get('/api/webhooks', { config: { permission: 'webhooks:manage' }, schema: { tags, summary: 'Webhooks (without their secrets)' } }, async () => webhooks.list());
  app.post('/api/webhooks', {
    config: { permission: 'webhooks:manage' },
    schema: { tags, summary: 'Add a webhook; its signing secret is shown once', body: z.object({ url: z.url(), description: z.string().max(200).nullable().optional() }), response: { 201: z.unknown(), 422: errorSchema, ...protectedErrors } },
  }, async (req, reply) => reply.status(201).send(webhooks.create(req.body, actorOf(req))));
  app.delete('/api/webhooks/:id', { config: { permission: 'webhooks:manage' }, schema: { tags, summary: 'Disable a webhook', params: uuidParams } },
    async (req, reply) => {
      webhooks.disable(req.params.id, actorOf(req));
      return reply.status(204).send();
    });
  app.get('/api/webhooks/:id/deliveries', { config: { permission: 'webhooks:manage' }, schema: { tags, summary: 'The delivery log: each attempt\'s outcome, retries pending', params: uuidParams } },
    async (req) => webhooks.deliveries(req.params.id));
};
