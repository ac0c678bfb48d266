import type {} from '@fastify/rate-limit';
import type {} from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { errorSchema, fileAnswer, protectedErrors, sentFileHeaders } from '../http/schemas.js';
import type { MediaService } from '../media/media-service.js';
import type { TtsService } from './tts-service.js';
import { AbbreviationsService } from './abbreviations-service.js';
import { UNCERTAIN_WHY } from './normalize-pass.js';
import { pickLang, t, type MessageKey } from '../i18n/messages.js';
import { perCallerRateLimit } from '../http/rate-limits.js';

const tags = ['tts'];
const text = z.string().max(20_000);

/** Abbreviations tried before they are saved: held to the same rules as saved ones. */
const trial = z
  .record(z.string().max(30), z.string().max(200))
  .optional()
  .describe('Abbreviations to try before saving them ({ "HTX": "hợp tác xã" }): used for this answer only');
const checkedTrial = (abbreviations: Record<string, string> | undefined) =>
  Object.fromEntries(
    Object.entries(abbreviations ?? {}).map(([w, r]) => {
      const checked = AbbreviationsService.check(w, r);
      return [checked.written, checked.reading];
    }),
  );

const abbreviationSchema = z.object({
  written: z.string(),
  reading: z.string(),
  source: z.enum(['config', 'commune']),
  updated_by: z.string().nullable(),
  updated_by_name: z.string().nullable(),
  updated_at: z.string().nullable(),
  overrides_config: z.boolean(),
});

export const ttsRoutes =
  (tts: TtsService, media: MediaService, abbreviations: AbbreviationsService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/tts/normalize',
      {
        // Open to anyone; a token or a session is recognised and counted apart, with a higher limit.
        config: {
          permission: 'optional',
          rateLimit: perCallerRateLimit({ anonymous_per_minute: 120, authenticated_per_minute: 600 }),
        },
        schema: {
          tags,
          summary:
            'Exactly what the voice will read: the text after Vietnamese normalisation, and the readings it was unsure of, to fix before it is spoken (no login needed; 120 requests a minute per address, 600 per account or API token)',
          body: z.object({
            text,
            abbreviations: trial,
          }),
          response: {
            200: z.object({
              spoken: z.string(),
              uncertain: z
                .array(
                  z.object({
                    text: z.string(),
                    reading: z.string(),
                    why: z.enum(UNCERTAIN_WHY),
                    message: z.string(),
                    message_en: z.string(),
                  }),
                )
                .describe(
                  'Readings to check before it is spoken: an unknown abbreviation spelled out, an ambiguous dash, …',
                ),
            }),
            413: errorSchema,
            422: errorSchema,
            429: errorSchema,
          },
        },
      },
      async (req) => {
        const { spoken, uncertain } = tts.prepareDetailed(req.body.text, checkedTrial(req.body.abbreviations));
        const lang = pickLang(req.headers['accept-language']);
        const words = (u: (typeof uncertain)[number], l: 'vi' | 'en') =>
          t(`tts_uncertain_${u.why}` as MessageKey, l, { text: u.text, reading: u.reading });
        return {
          spoken,
          uncertain: uncertain.map((u) => ({ ...u, message: words(u, lang), message_en: words(u, 'en') })),
        };
      },
    );

    app.get(
      '/api/tts/voices',
      {
        config: { permission: 'bulletins:read' },
        schema: {
          tags,
          summary: 'Voice engines that can speak now, and their voices',
          response: {
            200: z.array(z.object({ engine: z.string(), voices: z.array(z.string()), default_voice: z.string() })),
            ...protectedErrors,
          },
        },
      },
      async () => tts.available().map((e) => ({ ...e, voices: [...e.voices] })),
    );

    app.post(
      '/api/tts/preview',
      {
        config: { permission: 'bulletins:write' },
        schema: {
          tags,
          summary: 'Hear a text as it will be broadcast: answers the MP3 (chime, speech, loudness-normalised)',
          body: z.object({
            text,
            engine: z.string().max(20).optional(),
            voice: z.string().max(80).optional(),
            speed: z.number().min(0.5).max(2).optional(),
            chime: z.boolean().optional(),
            repeat: z.number().int().min(0).max(3).optional(),
            abbreviations: trial,
          }),
          documentedHeaders: {
            200: {
              ...sentFileHeaders(false),
              'X-TTS-Engine': 'The speech engine that read it (it may be the fallback)',
              'X-Media-Id': 'The MP3 in the media library',
            },
          },
          response: {
            200: fileAnswer('The MP3', ['audio/mpeg']),
            413: errorSchema,
            422: errorSchema,
            502: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const result = await tts.render(
          { ...req.body, abbreviations: checkedTrial(req.body.abbreviations) },
          actorOf(req),
        );
        reply.header('X-TTS-Engine', result.engine).header('X-Media-Id', result.media.id);
        return reply.type('audio/mpeg').sendFile(media.fileName(result.media.id), media.mediaDir);
      },
    );

    app.get(
      '/api/tts/abbreviations',
      {
        config: { permission: 'bulletins:read' },
        schema: {
          tags,
          summary: "The commune's own abbreviations: from the config, and added from the console (these win)",
          response: { 200: z.array(abbreviationSchema), ...protectedErrors },
        },
      },
      async () => abbreviations.list(),
    );

    app.put(
      '/api/tts/abbreviations/:written',
      {
        config: { permission: 'bulletins:approve' },
        schema: {
          tags,
          summary:
            "Add or change one of the commune's abbreviations (try it first with POST /api/tts/normalize); audited",
          params: z.object({ written: z.string().min(1).max(60) }),
          body: z.object({ reading: z.string().min(1).max(200) }),
          response: { 200: abbreviationSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req) => abbreviations.set(req.params.written, req.body.reading, actorOf(req)),
    );

    app.delete(
      '/api/tts/abbreviations/:written',
      {
        config: { permission: 'bulletins:approve' },
        schema: {
          tags,
          summary: "Remove one of the commune's abbreviations added from the console; audited",
          params: z.object({ written: z.string().min(1).max(60) }),
          response: { 204: z.null(), ...protectedErrors },
        },
      },
      async (req, reply) => {
        abbreviations.delete(req.params.written, actorOf(req));
        return reply.code(204).send(null);
      },
    );
  };
