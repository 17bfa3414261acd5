import type { MiddlewareHandler } from 'hono';
import { ApiError, CommonErrors } from '../lib/errors.js';

/*
 * Middleware for the routes that stream their request body (the members import):
 * nothing before the route may read that body whole.
 */

/**
 * Caps a request body without buffering it, for routes that stream large
 * uploads (the members import). A declared `Content-Length` over the cap is
 * refused before reading; otherwise the body is handed on as a stream that
 * counts bytes and fails with `tooLarge()` once past the cap, so the route reads
 * it chunk by chunk with backpressure. (Hono's `bodyLimit` reads a body without
 * `Content-Length`, i.e. any chunked upload, whole into memory before the route
 * runs: up to the cap, hundreds of megabytes for an import.)
 * @example
 * app.use('/v1/members/import', streamBodyLimit(512 * 1024 * 1024, () => new ApiError(CommonErrors.PAYLOAD_TOO_LARGE, '…')));
 */
export function streamBodyLimit(maxSize: number, tooLarge: () => Error): MiddlewareHandler {
  return async function streamBodyLimit(c, next) {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.raw.headers.get('content-length');
    if (declared !== null && !c.req.raw.headers.has('transfer-encoding') && Number(declared) > maxSize)
      throw tooLarge();
    let size = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > maxSize) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    // `duplex` is required for a stream body by the fetch spec, and missing from TypeScript's RequestInit.
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    return next();
  };
}

/**
 * Refuses an `Idempotency-Key` on a streamed upload (400) instead of reading the
 * whole body to fingerprint it, as the idempotency middleware does for JSON
 * bodies. Retrying an import is safe without one: it is all or nothing, and the
 * same file sent again skips the members it created (`on_duplicate=skip`).
 */
export const refuseIdempotencyKey: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'POST' && c.req.header('idempotency-key') !== undefined) {
    throw new ApiError(
      CommonErrors.INVALID_IDEMPOTENCY_KEY,
      'This endpoint streams its body and takes no Idempotency-Key. An import is all or nothing, and sending the same file again skips the members it already created.',
    );
  }
  await next();
};
