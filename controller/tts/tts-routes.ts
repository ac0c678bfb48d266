import type {} from '@fastify/rate-limit';
import type {} from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { errorSchema, protectedErrors } from '../http/schemas.js';
import type { MediaService } from '../media/media-service.js';
import type { TtsService } from './tts-service.js';
import { UNCERTAIN_WHY } from './normalize-pass.js';
import { pickLang, t, type MessageKey } from '../i18n/messages.js';

const tags = ['tts'];
const text = z.string().max(20_000);

export const ttsRoutes = (tts: TtsService, media: MediaService): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/tts/normalize', {
    config: { permission: 'public', rateLimit: { max: 120, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Exactly what the voice will read: the text after Vietnamese normalisation, and the readings it was unsure of, to fix before it is spoken (no login needed)',
      body: z.object({ text }),
      response: {
        200: z.object({
          spoken: z.string(),
          uncertain: z.array(z.object({ text: z.string(), reading: z.string(), why: z.enum(UNCERTAIN_WHY), message: z.string(), message_en: z.string() }))
            .describe('Readings to check before it is spoken: an unknown abbreviation spelled out, an ambiguous dash, …'),
        }),
        413: errorSchema, 422: errorSchema, 429: errorSchema,
      },
    },
  }, async (req) => {
    const { spoken, uncertain } = tts.prepareDetailed(req.body.text);
    const lang = pickLang(req.headers['accept-language']);
    const words = (u: (typeof uncertain)[number], l: 'vi' | 'en') => t(`tts_uncertain_${u.why}` as MessageKey, l, { text: u.text, reading: u.reading });
    return { spoken, uncertain: uncertain.map((u) => ({ ...u, message: words(u, lang), message_en: words(u, 'en') })) };
  });

  app.get('/api/tts/voices', {
    config: { permission: 'bulletins:read' },
    schema: { tags, summary: 'Voice engines that can speak now, and their voices', response: { 200: z.array(z.object({ engine: z.string(), voices: z.array(z.string()), default_voice: z.string() })), ...protectedErrors } },
  }, async () => tts.available().map((e) => ({ ...e, voices: [...e.voices] })));

  app.post('/api/tts/preview', {
    config: { permission: 'bulletins:write' },
    schema: {
      tags, summary: 'Hear a text as it will be broadcast: answers the MP3 (chime, speech, loudness-normalised)',
      body: z.object({ text, engine: z.string().max(20).optional(), voice: z.string().max(80).optional(), speed: z.number().min(0.5).max(2).optional(), chime: z.boolean().optional(), repeat: z.number().int().min(0).max(3).optional() }),
      response: { 413: errorSchema, 422: errorSchema, 502: errorSchema, ...protectedErrors },
    },
  }, async (req, reply) => {
    const result = await tts.render(req.body, actorOf(req));
    reply.header('X-TTS-Engine', result.engine).header('X-Media-Id', result.media.id);
    return reply.type('audio/mpeg').sendFile(media.fileName(result.media.id), media.mediaDir);
  });
};
