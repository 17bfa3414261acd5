import { createMiddleware } from 'hono/factory';
import type { Credential } from '../auth/credential.js';
import { verifyAccessToken } from '../identity/access-tokens.js';
import { isSessionActive } from '../identity/sessions.js';
import { eq } from 'drizzle-orm';
import { tenants } from '../db/schema/index.js';
import type { AppEnv } from '../lib/context.js';
import { sha256Hex, timingSafeEqual } from '../lib/crypto.js';
import { ApiError, CommonErrors } from '../lib/errors.js';

/** Reads a bearer token; null when no Authorization header was sent. */
function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

/**
 * Verifies the request's credential, if any, and stores it as `credential`.
 * A credential that was sent but is malformed, unknown or revoked is refused at
 * once with 401; deciding whether a route needs one is the route's job
 * (`requirePermission`, `requirePlatform`).
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  // Browsers may send the publishable key in its own header and keep Authorization for a member token.
  const token = bearerToken(c.req.header('authorization') ?? (c.req.header('x-memberkit-publishable-key') ? `Bearer ${c.req.header('x-memberkit-publishable-key')}` : undefined));
  if (token === null) {
    c.set('credential', null);
    return next();
  }
  const unauthenticated = (detail: string) =>
    new ApiError(CommonErrors.UNAUTHENTICATED, detail, { headers: { 'WWW-Authenticate': 'Bearer realm="memberkit"' } });
  if (token === undefined) throw unauthenticated('The Authorization header must be "Bearer <key>".');

  const { keys, config, db, clock } = c.var.deps;
  let credential: Credential | null = null;
  if (token.startsWith('sk_') || token.startsWith('pk_')) {
    credential = await keys.resolve(token);
  } else if (token.startsWith('eyJ')) {
    const verified = await verifyAccessToken(db, config.issuerBaseUrl, token, clock.now(), ['member']);
    // Our own API also refuses tokens of ended sessions; customers' backends verify offline.
    const origins = verified
      ? await db.withTenant(verified.tenantId, async (tx) =>
          (await isSessionActive(tx, verified.tenantId, verified.sessionId, clock.now()))
            ? ((await tx.select({ origins: tenants.allowedOrigins }).from(tenants).where(eq(tenants.id, verified.tenantId)))[0]?.origins ?? [])
            : null,
        )
      : null;
    if (verified && origins) {
      credential = {
        type: 'member',
        id: verified.sessionId,
        tenantId: verified.tenantId,
        memberId: verified.subjectId,
        sessionId: verified.sessionId,
        allowedOrigins: origins,
      };
    }
  } else if (config.platformKeyHash && timingSafeEqual(await sha256Hex(token), config.platformKeyHash)) {
    credential = { type: 'platform', id: 'platform' };
  }
  if (!credential) throw unauthenticated('The credential is invalid, expired or revoked.');
  c.set('credential', credential);
  return next();
});
