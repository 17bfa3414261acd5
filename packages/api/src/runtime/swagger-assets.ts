import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AssetLoader } from '../deps.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};
const SERVED = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png']);

/** Serves Swagger UI's files from the installed `swagger-ui-dist` package: the docs need no CDN. */
export function createSwaggerAssetLoader(): AssetLoader {
  const dir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  return async (name) => {
    if (!SERVED.has(name)) return null;
    let body = cache.get(name);
    if (!body) {
      body = new Uint8Array(await readFile(path.join(dir, name)));
      cache.set(name, body);
    }
    return { body, contentType: TYPES[path.extname(name)] ?? 'application/octet-stream' };
  };
}
