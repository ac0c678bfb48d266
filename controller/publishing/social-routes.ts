import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { errorSchema, protectedErrors, rowSchema, uuidParams } from '../http/schemas.js';
import { CHANNELS } from './social-channel.js';
import type { SocialPublisher } from './social-publisher.js';

const tags = ['publishing'];

/** The fanpage and the Zalo OA, for administrators (as webhooks are): which are on, each one's delivery log, sending again one that gave up. */
export const socialRoutes =
  (social: SocialPublisher): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/social',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          tags,
          summary:
            'The fanpage and Zalo OA: on or off, whether a token is in place (never the token), deliveries by status',
          response: {
            200: z.array(z.looseObject({ channel: z.enum(CHANNELS), enabled: z.boolean(), token_set: z.boolean() })),
          },
        },
      },
      async () => social.channels(),
    );
    app.get(
      '/api/social/:channel/deliveries',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          tags,
          summary:
            "A channel's delivery log: each post and take-down, attempts, the post's id there, why it failed (in Vietnamese and English)",
          params: z.object({ channel: z.enum(CHANNELS) }),
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.array(rowSchema) },
        },
      },
      async (req) => social.deliveries(req.params.channel, req.query.limit),
    );
    app.post(
      '/api/social/deliveries/:id/retry',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          tags,
          summary:
            'Send again a post or take-down that gave up (status failed), once its cause is fixed: its attempts start again (audited)',
          params: uuidParams,
          response: { 200: rowSchema.describe('The delivery, pending again'), 409: errorSchema, ...protectedErrors },
        },
      },
      async (req) => social.retry(req.params.id, actorOf(req)),
    );
  };
