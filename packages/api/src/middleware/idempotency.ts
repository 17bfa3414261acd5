import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/context.js';
import { ApiError, CommonErrors } from '../lib/errors.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  type IdempotencyScope,
} from '../services/idempotency.js';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying; request-specific ones (request id, rate limits) are fresh on every reply. */
const REPLAYED_HEADERS = ['content-type', 'location'];

/**
 * `Idempotency-Key` for POSTs, as Stripe does: the first request's response is
 * stored and replayed to retries with the same key and body; the same key with
 * another body is refused (409), as is a retry while the first is still running.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  const credential = c.var.credential;
  if (c.req.method !== 'POST' || key === undefined || !credential) return next();
  if (!KEY_FORMAT.test(key)) {
    throw new ApiError(CommonErrors.INVALID_IDEMPOTENCY_KEY, 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
  }

  const { db, config } = c.var.deps;
  const scope: IdempotencyScope = credential.type === 'platform' ? { kind: 'platform' } : { kind: 'tenant', tenantId: credential.tenantId };
  const body = await c.req.text();
  // The credential is part of the fingerprint: one key of a tenant cannot replay another key's response.
  // Keyed, not a plain hash: the body may hold a password, which a stored SHA-256 would expose to guessing.
  const fingerprint = await c.var.deps.secretBox.digest(`${credential.id}\n${c.req.method}\n${c.req.path}\n${body}`, 'idempotency-fingerprint');
  const claim = await claimIdempotencyKey(db, scope, key, fingerprint, config.idempotencyTtlSeconds, c.var.deps.secretBox);

  switch (claim.outcome) {
    case 'mismatch':
      throw new ApiError(
        CommonErrors.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
      );
    case 'in_progress':
      throw new ApiError(
        CommonErrors.IDEMPOTENCY_REQUEST_IN_PROGRESS,
        'A request with this Idempotency-Key is still being processed; retry shortly.',
      );
    case 'replay': {
      const { status, body: stored, headers } = claim.response;
      return c.body(stored, status as 200, { ...headers, 'Idempotent-Replayed': 'true' });
    }
    case 'claimed':
      break;
  }

  try {
    await next();
  } catch (error) {
    await releaseIdempotencyKey(db, scope, key);
    throw error;
  }
  const status = c.res.status;
  if (status >= 500 || status === 429 || status === 401) {
    await releaseIdempotencyKey(db, scope, key);
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = c.res.headers.get(name);
    if (value) headers[name] = value;
  }
  await completeIdempotencyKey(db, scope, key, { status, body: await c.res.clone().text(), headers }, c.var.deps.secretBox);
});
