/**
 * The proof over HTTP. Public, at stable URLs, for the province to keep and check with alone:
 * the controller's signing keys with their history (PEM), the current key as a PEM file, and the
 * newest signed heads (a collector may pull them as anchors). Nothing private: public keys and
 * counts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { textAnswer } from '../http/schemas.js';
import { proofHeadSchema } from '../protocol/messages.js';
import type { KeyHistory } from './key-history.js';
import type { ProofHeads } from './proof-heads.js';

export const proofReportSchema = z.object({
  ok: z.boolean(),
  acks: z.object({
    rows: z.number(),
    receivers: z.number(),
    signatures_checked: z.number(),
    vouched_by_next: z.number(),
    heads: z.number(),
    covered_by_last_head: z.number(),
  }),
  audit: z.object({ rows: z.number(), heads: z.number(), covered_by_last_head: z.number() }),
  keys: z.object({ signing: z.number(), receiver: z.number(), keys_trusted_from_file: z.boolean() }),
  anchors: z.object({
    heads: z.number(),
    keys: z.number(),
    newer_than_file: z.number(),
    not_signed_by_commune: z.array(z.record(z.string(), z.unknown())),
  }),
  problems: z.array(z.record(z.string(), z.unknown())),
});

const tags = ['proof'];

export const proofRoutes =
  (
    keys: KeyHistory,
    heads: ProofHeads,
    currentPublicKeyPem: string,
    commune: { id: string; name: string },
  ): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/proof/keys',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary:
            "The controller's signing keys, with their history (public; the province keeps a copy and verifies bundles and reports with it)",
          response: {
            200: z.object({
              commune: z.object({ id: z.string(), name: z.string() }),
              keys: z.array(
                z.object({ key_id: z.string(), public_key: z.string(), valid_from: z.string(), current: z.boolean() }),
              ),
            }),
          },
        },
      },
      async () => ({
        commune,
        keys: keys.signingKeys().map((k) => ({ ...k, current: k.public_key.trim() === currentPublicKeyPem.trim() })),
      }),
    );

    app.get(
      '/api/proof/public-key.pem',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: "The controller's current signing key (PEM)",
          documentedHeaders: { 200: { 'Content-Disposition': 'inline; filename="truyen-thanh-public-key.pem"' } },
          response: { 200: textAnswer('An Ed25519 public key, PEM', ['application/x-pem-file']) },
        },
      },
      async (_req, reply) =>
        reply
          .type('application/x-pem-file')
          .header('content-disposition', 'inline; filename="truyen-thanh-public-key.pem"')
          .send(currentPublicKeyPem),
    );

    app.get(
      '/api/proof/heads',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: 'The newest signed head of each log (acks, audit): anchors a collector may keep',
          response: { 200: z.object({ acks: proofHeadSchema.nullable(), audit: proofHeadSchema.nullable() }) },
        },
      },
      async () => ({ acks: heads.latest('acks'), audit: heads.latest('audit') }),
    );
  };
