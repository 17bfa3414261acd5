import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../src/deps.js';
import type { AppEnv } from '../src/lib/context.js';
import { compression, negotiateCoding } from '../src/middleware/compression.js';
import { createNodeCompressor } from '../src/runtime/node-compression.js';
import { createTestContext, type TestContext } from '../src/testing/index.js';

let t: TestContext;
let tenant: Awaited<ReturnType<TestContext['createTenant']>>;
beforeAll(async () => {
  t = await createTestContext();
  t.deps.compressor = createNodeCompressor(); // as the Node runtime wires it
  tenant = await t.createTenant();
  for (let i = 0; i < 30; i++) {
    const res = await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: `member${i}@example.org`, first_name: `Member ${i}`, last_name: 'Compressible' },
    });
    expect(res.status).toBe(201);
  }
});
afterAll(() => t.close());

/** A raw response: the harness's request() reads bodies as text, which would garble compressed bytes. */
async function get(path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers: { Authorization: `Bearer ${tenant.secret_key}`, ...headers } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

const varies = (res: Response) => (res.headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase());

describe('response compression', () => {
  it('serves JSON as brotli or gzip per Accept-Encoding, decompressing to the very same body', async () => {
    const plain = await get('/v1/members?limit=30');
    expect(plain.res.headers.get('content-encoding')).toBeNull();
    expect(plain.bytes.byteLength).toBeGreaterThan(1024);

    const br = await get('/v1/members?limit=30', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(br.res.headers.get('content-encoding')).toBe('br');
    expect(br.res.headers.get('content-length')).toBeNull();
    expect(varies(br.res)).toContain('accept-encoding');
    expect(br.bytes.byteLength).toBeLessThan(plain.bytes.byteLength / 3);
    expect(brotliDecompressSync(br.bytes).toString()).toBe(plain.bytes.toString());

    const gz = await get('/v1/members?limit=30', { 'Accept-Encoding': 'br;q=0.5, gzip' });
    expect(gz.res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString()).toBe(plain.bytes.toString());
    // Compression sits outside the other layers: their headers survive it.
    expect(gz.res.headers.get('ratelimit')).toMatch(/^"api";r=\d+/);
    expect(gz.res.headers.get('x-request-id')).toBeTruthy();
  });

  it('says Vary: Accept-Encoding but sends identity without Accept-Encoding, or when it refuses every coding', async () => {
    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'zstd']) {
      const { res } = await get('/v1/members?limit=30', accept ? { 'Accept-Encoding': accept } : {});
      expect(res.headers.get('content-encoding'), accept).toBeNull();
      expect(varies(res), accept).toContain('accept-encoding');
    }
  });

  it('does not compress for HEAD, which has no body', async () => {
    const res = await t.app.request('/v1/members?limit=30', {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${tenant.secret_key}`, 'Accept-Encoding': 'br' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(varies(res)).toContain('accept-encoding');
  });

  it('leaves small bodies alone', async () => {
    const { res, bytes } = await get('/health', { 'Accept-Encoding': 'br, gzip' });
    expect(bytes.byteLength).toBeLessThan(1024);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(bytes.toString())).toMatchObject({ status: 'ok' });
  });

  it('compresses large problem+json bodies too', async () => {
    const long = `/v1/${'x'.repeat(2000)}`;
    const { res, bytes } = await get(long, { 'Accept-Encoding': 'gzip' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(bytes).toString())).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('streams a compressed CSV export', async () => {
    const plain = await get('/v1/members/export?format=csv');
    expect(plain.res.status).toBe(200);
    const br = await get('/v1/members/export?format=csv', { 'Accept-Encoding': 'br' });
    expect(br.res.headers.get('content-encoding')).toBe('br');
    expect(br.res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(brotliDecompressSync(br.bytes).toString()).toBe(plain.bytes.toString());
  });

  it('weakens the ETag of a compressed body, and If-None-Match with it still gets 304', async () => {
    // Enough wording overrides to put the public config over the threshold.
    const strings = {
      en: Object.fromEntries(
        Array.from({ length: 20 }, (_, i) => [`signup.title${i}`, `Join the club, part ${i} of a long story`]),
      ),
    };
    const patched = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { strings } });
    expect(patched.status, patched.text).toBe(200);
    const headers = { 'X-Memberkit-Publishable-Key': tenant.publishable_key, 'Accept-Encoding': 'gzip' };
    const config = await t.app.request('/v1/public/config', { headers });
    expect(config.headers.get('content-encoding')).toBe('gzip');
    const etag = config.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const again = await t.app.request('/v1/public/config', { headers: { ...headers, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('compresses the OpenAPI document', async () => {
    const res = await t.app.request('/openapi.json', { headers: { 'Accept-Encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(JSON.parse(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString())).toHaveProperty('openapi');
  });
});

describe('what is never compressed', () => {
  const big = 'x'.repeat(5000);
  const app = new Hono<AppEnv>()
    .use('*', async (c, next) => {
      c.set('deps', { compressor: createNodeCompressor() } as AppDeps); // the middleware needs only this
      await next();
    })
    .use('*', compression)
    .get('/events', (c) => c.body(`data: ${big}\n\n`, 200, { 'Content-Type': 'text/event-stream' }))
    .get('/encoded', (c) => c.body(big, 200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }))
    .get('/no-transform', (c) =>
      c.body(big, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-transform' }),
    )
    .get('/image', (c) => c.body(big, 200, { 'Content-Type': 'image/png' }))
    .get('/json', (c) => c.body(big, 200, { 'Content-Type': 'application/json' }));

  it('leaves event streams, encoded bodies, no-transform and binary types as they are', async () => {
    for (const path of ['/events', '/encoded', '/no-transform', '/image']) {
      const res = await app.request(path, { headers: { 'Accept-Encoding': 'br, gzip' } });
      expect(res.headers.get('content-encoding'), path).toBe(path === '/encoded' ? 'gzip' : null);
      expect((await res.text()).length, path).toBeGreaterThan(5000 - 1);
    }
    expect(
      (await app.request('/json', { headers: { 'Accept-Encoding': 'br, gzip' } })).headers.get('content-encoding'),
    ).toBe('br');
  });
});

describe('negotiateCoding', () => {
  it('follows q-values, then the server order, and * for codings not named', () => {
    const offered = ['br', 'gzip'] as const;
    expect(negotiateCoding('gzip, br', offered)).toBe('br');
    expect(negotiateCoding('gzip;q=1, br;q=0.8', offered)).toBe('gzip');
    expect(negotiateCoding('*', offered)).toBe('br');
    expect(negotiateCoding('*;q=0.5, br;q=0', offered)).toBe('gzip');
    expect(negotiateCoding('deflate', offered)).toBeUndefined();
    expect(negotiateCoding('', offered)).toBeUndefined();
    expect(negotiateCoding(undefined, offered)).toBeUndefined();
  });
});
