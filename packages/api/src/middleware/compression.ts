import { createMiddleware } from 'hono/factory';
import { parseAccept } from 'hono/utils/accept';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';
import type { AppEnv } from '../lib/context.js';

/** A content coding the API can answer in. */
export type ContentCoding = 'br' | 'gzip';

/**
 * Compresses response bodies. Injected (see `AppDeps.compressor`): brotli needs
 * Node's zlib, and edge platforms compress at their own edge, so the app itself
 * carries no encoder.
 */
export interface Compressor {
  /** The codings offered, most preferred first. */
  codings: readonly ContentCoding[];
  /** Compresses a body held in memory. (`ArrayBuffer`-backed: what the DOM's `BodyInit` accepts.) */
  compress(body: Uint8Array, coding: ContentCoding): Promise<Uint8Array<ArrayBuffer>>;
  /** Compresses a streamed body as it streams. */
  compressStream(body: ReadableStream<Uint8Array>, coding: ContentCoding): ReadableStream<Uint8Array>;
}

/** Smaller bodies are sent as they are: the coding's framing and the work outweigh the bytes saved. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/** Hono's list of compressible types, plus NDJSON exports. Excludes `text/event-stream`. */
const compressible = (type: string) =>
  COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || /^\s*application\/(?:x-ndjson|jsonl)\s*(?:;|$)/i.test(type);

/** Bodies written as they are produced (exports): compressed as a stream, never read whole. */
const streamed = (type: string) => /^\s*(?:text\/csv|application\/(?:x-ndjson|jsonl))\s*(?:;|$)/i.test(type);

/**
 * The coding `acceptEncoding` prefers among `offered` (RFC 9110 §12.5.3): the
 * highest q above 0, explicit or through `*`; on a tie, the server's order.
 * Undefined: send the body as it is.
 * @example
 * negotiateCoding('gzip, deflate, br;q=0.9', ['br', 'gzip']) // 'gzip'
 */
export function negotiateCoding(
  acceptEncoding: string | undefined,
  offered: readonly ContentCoding[],
): ContentCoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepts = parseAccept(acceptEncoding);
  const wildcard = accepts.find((a) => a.type === '*')?.q ?? 0;
  let best: { coding: ContentCoding; q: number } | undefined;
  for (const coding of offered) {
    const q = accepts.find((a) => a.type.toLowerCase() === coding)?.q ?? wildcard;
    if (q > 0 && (!best || q > best.q)) best = { coding, q };
  }
  return best?.coding;
}

/**
 * Compresses compressible responses (JSON, problem+json, CSV and NDJSON exports,
 * the reference page) with the coding the client prefers, when the app was given a
 * {@link Compressor}: not bodies under {@link COMPRESSION_THRESHOLD_BYTES}, not ones
 * already encoded or marked `no-transform`, not event streams. Every compressible
 * response says `Vary: Accept-Encoding` (caches must keep the codings apart), and a
 * compressed one's ETag becomes weak: the bytes differ from the identity body's,
 * the representation does not (`If-None-Match` compares weakly).
 */
export const compression = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const compressor = c.var.deps.compressor;
  const res = c.res;
  const type = res.headers.get('content-type') ?? '';
  if (!compressor || !res.body || !compressible(type) || res.status === 206 || res.headers.has('content-encoding'))
    return;
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('cache-control') ?? '')) return;
  const vary = res.headers.get('vary');
  if (vary !== '*' && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? ''))
    res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
  const coding = negotiateCoding(c.req.header('accept-encoding'), compressor.codings);
  // A HEAD answer has no body to compress; it may leave out what only making the body decides (RFC 9110 §9.3.2).
  if (!coding || c.req.method === 'HEAD') return;
  const length = res.headers.get('content-length');
  if (length !== null && Number(length) < COMPRESSION_THRESHOLD_BYTES) return;

  let body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>;
  if (streamed(type) && length === null) {
    body = compressor.compressStream(res.body, coding);
  } else {
    // JSON and pages are built in memory anyway: read them to skip the small ones.
    const whole = new Uint8Array(await res.arrayBuffer());
    if (whole.byteLength < COMPRESSION_THRESHOLD_BYTES) {
      c.res = new Response(whole, res);
      return;
    }
    body = await compressor.compress(whole, coding);
  }
  c.res = new Response(body, res);
  c.res.headers.delete('content-length');
  c.res.headers.set('Content-Encoding', coding);
  const etag = c.res.headers.get('etag');
  if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
});
