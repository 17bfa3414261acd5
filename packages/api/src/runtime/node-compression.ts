import { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import {
  brotliCompress,
  constants,
  createBrotliCompress,
  createGzip,
  gzip,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib';
import type { Compressor, ContentCoding } from '../middleware/compression.js';

/**
 * Settings for bodies compressed per request. Brotli at quality 4 compresses JSON
 * better than gzip at 6, and about as fast; the top qualities (10–11) are for
 * files compressed once at build time (the element bundles), not per response.
 */
const BROTLI: BrotliOptions = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};
const GZIP: ZlibOptions = { level: 6 };

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The Node runtime's {@link Compressor}: brotli and gzip through `node:zlib`,
 * off the event loop (zlib's thread pool).
 */
export function createNodeCompressor(): Compressor {
  return {
    codings: ['br', 'gzip'] satisfies ContentCoding[],
    async compress(body, coding) {
      const out =
        coding === 'br'
          ? await brotliAsync(body, {
              params: { ...BROTLI.params, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
            })
          : await gzipAsync(body, GZIP);
      // zlib's output Buffer is backed by a plain ArrayBuffer, never a SharedArrayBuffer.
      return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength);
    },
    compressStream(body, coding) {
      const transform = Duplex.toWeb(coding === 'br' ? createBrotliCompress(BROTLI) : createGzip(GZIP));
      // Duplex.toWeb's halves carry `any` chunks; zlib writes and reads bytes.
      return body.pipeThrough(transform as unknown as TransformStream<Uint8Array, Uint8Array>);
    },
  };
}
