/** The programme's playlists: list, edit, import from M3U (text or file), export as M3U, join into one file. */
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmationView } from '../broadcasts/confirmation-schemas.js';
import { actorOf, callerOf } from '../http/auth.js';
import { AppError, uploadError } from '../http/errors.js';
import { errorSchema, objectSchema, protectedErrors, rowSchema, textAnswer, uuidParams } from '../http/schemas.js';
import { mediaSchema } from '../media/media-routes.js';
import { mediaShown } from '../media/media-warning.js';
import { decodeM3u, M3uCharsetError } from './m3u.js';
import type { PlaylistsService } from './playlists-service.js';
import type { ScheduleDesk } from './schedule-desk.js';

const tags = ['programme'];

/** An M3U file is a few kilobytes; this leaves room for a long list. */
const MAX_M3U_BYTES = 1024 * 1024;

/** The uploaded M3U file's text (its charset decided by its name) and the optional name field. */
async function m3uFile(req: FastifyRequest): Promise<{ text: string; name: string | undefined }> {
  if (!req.isMultipart()) throw new AppError(415, 'upload_missing_file');
  let file;
  let bytes: Buffer;
  try {
    file = await req.file({ limits: { fileSize: MAX_M3U_BYTES, files: 1, fields: 2, fieldSize: 1000 } });
    if (!file) throw new AppError(400, 'upload_missing_file');
    bytes = await file.toBuffer();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 413)
      throw new AppError(413, 'upload_too_large', { max_mb: MAX_M3U_BYTES / 1024 / 1024 });
    throw uploadError(err);
  }
  const field = file.fields.name;
  const name =
    field && 'value' in field && typeof field.value === 'string' && field.value.trim()
      ? field.value.trim().slice(0, 200)
      : undefined;
  try {
    return { text: decodeM3u(bytes, file.filename ?? ''), name };
  } catch (err) {
    if (err instanceof M3uCharsetError) throw new AppError(422, 'm3u_not_utf8');
    throw err;
  }
}

const playlistInput = z.object({
  name: z.string().trim().min(1).max(200),
  opening_media_id: z.uuid().nullable().optional().describe('Opening jingle (nhạc hiệu)'),
  closing_media_id: z.uuid().nullable().optional(),
  items: z
    .array(
      z.union([
        z.object({ media_id: z.uuid(), title: z.string().max(200).nullable().optional() }),
        z.object({ bulletin_id: z.uuid(), title: z.string().max(200).nullable().optional() }),
      ]),
    )
    .max(200),
});

export interface PlaylistRoutesDeps {
  playlists: PlaylistsService;
  /** Checks a change against the schedules that play the playlist, and asks again for their confirmation. */
  desk: ScheduleDesk;
}

export const playlistRoutes =
  ({ playlists, desk }: PlaylistRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/playlists',
      {
        config: { permission: 'broadcasts:read' },
        schema: { tags, summary: 'Playlists', response: { 200: z.array(rowSchema) } },
      },
      async () => playlists.list(),
    );
    app.get(
      '/api/playlists/:id',
      {
        config: { permission: 'broadcasts:read' },
        schema: { tags, summary: 'One playlist with its items', params: uuidParams, response: { 200: rowSchema } },
      },
      async (req) => playlists.get(req.params.id),
    );
    app.post(
      '/api/playlists',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: 'Create a playlist: items in order, opening and closing jingles',
          body: playlistInput,
          response: { 201: rowSchema.describe('The playlist'), 409: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(201).send(playlists.save(req.body, actorOf(req))),
    );
    app.put(
      '/api/playlists/:id',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary:
            'Replace a playlist (its schedules use the new items from their next occurrence not yet sent). Needs the level of every schedule that plays it; an emergency or whole-commune schedule is switched off until its new content is confirmed (listed in confirmations)',
          params: uuidParams,
          body: playlistInput,
          response: {
            200: rowSchema
              .extend({ confirmations: z.array(objectSchema) })
              .describe('The playlist, with the confirmations its schedules now wait for'),
            409: errorSchema,
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req) => {
        const caller = callerOf(req);
        const toConfirm = desk.checkPlaylistChange(req.params.id, caller);
        const saved = await playlists.save(req.body, actorOf(req), req.params.id);
        const confirmations = (await desk.reconfirm(toConfirm, caller)).map((p) => confirmationView(p).confirmation);
        return { ...saved, confirmations };
      },
    );
    app.delete(
      '/api/playlists/:id',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: 'Delete a playlist (refused, 409 playlist_in_use, while a schedule plays it)',
          params: uuidParams,
          response: { 204: z.null(), 409: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        desk.checkPlaylistRemoval(req.params.id);
        playlists.remove(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );
    const importSummary =
      'M3U as players and radio tools write it (Winamp, VLC; playlists/README.md): http(s) URLs are fetched and uploaded, file names and paths are matched against uploaded audio; every line that cannot be used is named at once (422 m3u_invalid)';
    app.post(
      '/api/playlists/import',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: `Import a playlist from M3U text. ${importSummary}`,
          body: z.object({ m3u: z.string().max(200_000), name: z.string().trim().min(1).max(200).optional() }),
          response: { 201: rowSchema.describe('The playlist'), 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await playlists.importM3u(req.body.m3u, req.body.name, actorOf(req))),
    );
    app.post(
      '/api/playlists/import/file',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          consumes: ['multipart/form-data'],
          summary: `Import an .m3u or .m3u8 file (multipart field "file"; optional field "name" before it). .m3u8 is UTF-8; .m3u is UTF-8 when it reads as such, else Windows-1252 (Winamp). ${importSummary}`,
          documentedBody: {
            'multipart/form-data': z.object({
              name: z.string().max(200).optional().describe('Before the file; default: the #PLAYLIST line of the file'),
              file: z.string().meta({ format: 'binary' }).describe('The .m3u or .m3u8 file, at most 1 MB'),
            }),
          },
          response: {
            201: rowSchema.describe('The playlist'),
            413: errorSchema,
            415: errorSchema,
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const upload = await m3uFile(req);
        return reply.status(201).send(await playlists.importM3u(upload.text, upload.name, actorOf(req)));
      },
    );
    app.get(
      '/api/playlists/:id/m3u',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary:
            'Export as extended M3U in UTF-8 (.m3u8): each entry a signed link to its audio that players (VLC, ffplay, radio tools) open without an account for media.link_valid_hours; our tags before each link keep what it is here (#EXT-X-TT-MEDIA, #EXT-X-TT-BULLETIN). format=hls makes it a complete (VOD) HLS playlist as well, for ffmpeg and HLS readers (playlists/README.md)',
          params: uuidParams,
          documentedHeaders: {
            200: {
              'Content-Disposition': "attachment; filename=\"{id}.m3u8\"; filename*=UTF-8''{the playlist's name}.m3u8",
            },
          },
          querystring: z.object({
            format: z
              .enum(['list', 'hls'])
              .default('list')
              .describe(
                'list: a list of tracks for VLC, mpv, Winamp. hls: with #EXT-X-TARGETDURATION, #EXT-X-PLAYLIST-TYPE:VOD and #EXT-X-ENDLIST, for ffmpeg (-f hls) and HLS readers; VLC and mpv play that as one stream',
              ),
          }),
          response: {
            200: textAnswer(
              'Extended M3U, UTF-8 (audio/x-mpegurl); with format=hls, an HLS playlist (application/vnd.apple.mpegurl)',
              ['audio/x-mpegurl', 'application/vnd.apple.mpegurl'],
              '#EXTM3U\n#PLAYLIST:Buổi sáng\n#EXTINF:95,Thông báo lịch tiêm phòng\n#EXT-X-TT-MEDIA:0b6f3a52-8c1e-4d5a-9f2b-7c1d2e3f4a5b\nhttps://loa.xa.example.vn/public/media/1767225600/<signature>/0b6f3a52-8c1e-4d5a-9f2b-7c1d2e3f4a5b.mp3\n',
            ),
          },
        },
      },
      async (req, reply) => {
        const { format } = req.query;
        const { name, text } = playlists.exportM3u8(req.params.id, format);
        // The id is the plain-ASCII name; clients that read RFC 6266's filename* get the playlist's own.
        const disposition = `attachment; filename="${req.params.id}.m3u8"; filename*=UTF-8''${encodeURIComponent(name.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim() || req.params.id)}.m3u8`;
        // RFC 8216's type for HLS: ffmpeg and HLS readers recognise the playlist by it (the URL has no .m3u8).
        const type = format === 'hls' ? 'application/vnd.apple.mpegurl' : 'audio/x-mpegurl';
        return reply.type(`${type}; charset=utf-8`).header('content-disposition', disposition).send(text);
      },
    );
    app.post(
      '/api/playlists/:id/render',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary:
            'Join the playlist into one file now (otherwise done when it is first scheduled); the joined audio is shown as GET /api/media/{id} shows it, its loudness warning in words (warning)',
          params: uuidParams,
          response: {
            200: z.object({ media: mediaSchema.nullable().describe('The joined audio; null for an empty playlist') }),
          },
        },
      },
      async (req) => {
        const media = await playlists.renderNow(req.params.id, actorOf(req));
        return { media: media && mediaShown(media, req.headers['accept-language']) };
      },
    );
  };
