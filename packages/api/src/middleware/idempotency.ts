import { createMiddleware } from 'hono/factory';
import { isDatabaseUnavailable } from '../db/errors.js';
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
 * "Still running" is the first request's liveness marker being live (see
 * `Database.liveness`), not a timer: a key whose request died with its
 * connection or its process is usable again at once.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  const credential = c.var.credential;
  if (c.req.method !== 'POST' || key === undefined || !credential) return next();
  if (!KEY_FORMAT.test(key)) {
    throw new ApiError(
      CommonErrors.INVALID_IDEMPOTENCY_KEY,
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    );
  }

  const { db, config } = c.var.deps;
  const scope: IdempotencyScope =
    credential.type === 'platform' ? { kind: 'platform' } : { kind: 'tenant', tenantId: credential.tenantId };
  const body = await c.req.text();
  // The credential is part of the fingerprint: one key of a tenant cannot replay another key's response.
  // Keyed, not a plain hash: the body may hold a password, which a stored SHA-256 would expose to guessing.
  const fingerprint = await c.var.deps.secretBox.digest(
    `${credential.id}\n${c.req.method}\n${c.req.path}\n${body}`,
    'idempotency-fingerprint',
  );
  // Live while this request runs: a retry is refused meanwhile, and may claim the key the moment this request
  // ends without storing a response (it failed, its connection dropped, its process died).
  const inFlight = await db.liveness.begin();
  try {
    const claim = await claimIdempotencyKey(
      db,
      scope,
      key,
      fingerprint,
      config.idempotencyTtlSeconds,
      c.var.deps.secretBox,
      inFlight.marker,
    );
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

    // Best effort: if the database is gone, the key is free anyway once this request ends (its marker dies).
    const release = () => releaseIdempotencyKey(db, scope, key, inFlight.marker).catch(() => {});
    try {
      await next();
    } catch (error) {
      await release();
      throw error;
    }
    const status = c.res.status;
    if (status >= 500 || status === 429 || status === 401) {
      await release();
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = c.res.headers.get(name);
      if (value) headers[name] = value;
    }
    try {
      await completeIdempotencyKey(
        db,
        scope,
        key,
        inFlight.marker,
        { status, body: await c.res.clone().text(), headers },
        c.var.deps.secretBox,
      );
    } catch (error) {
      // The request's effect is committed: answer what happened rather than a 503 that invites a retry
      // (which, with no stored response to replay, would run the request a second time).
      if (!isDatabaseUnavailable(error)) throw error;
      c.var.deps.logger.warn('idempotency response not stored: database unavailable', {
        request_id: c.var.requestId,
        status,
      });
    }
  } finally {
    inFlight.end();
  }
});
