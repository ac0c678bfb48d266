/**
 * Request limits counted per caller (@fastify/rate-limit route config): an anonymous caller by
 * its address, a signed-in person or an API token by who it is, with a higher limit, so that an
 * integration behind the commune's one NAT address does not share the public's budget, and one
 * anonymous caller cannot use up a token's. The route must recognise credentials
 * (permission 'optional' or stricter): the auth hook runs before the limit is counted.
 */
import type { FastifyRequest } from 'fastify';

export interface PerCallerLimits {
  anonymous_per_minute: number;
  authenticated_per_minute: number;
}

/** Who a request is counted as: `person:<id>`, `token:<id>`, or `address:<ip>`. */
export function callerRateKey(req: FastifyRequest): string {
  const p = req.principal;
  if (p?.kind === 'user') return `person:${p.id}`;
  if (p?.kind === 'token') return `token:${p.id}`;
  return `address:${req.ip}`;
}

export function perCallerRateLimit(limits: PerCallerLimits) {
  return {
    timeWindow: '1 minute',
    keyGenerator: callerRateKey,
    max: (_req: FastifyRequest, key: string) =>
      key.startsWith('address:') ? limits.anonymous_per_minute : limits.authenticated_per_minute,
  };
}
