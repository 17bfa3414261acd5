import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sitePageCsp } from './dev-site.js';
import { createSiteHandler } from './site.js';

const ADMIN_PAGE = `<!doctype html><style>body { margin: 0 }</style>
<script type="module" src="{{MEMBERKIT_API_URL}}/admin-elements/v1/memberkit-admin.js"></script>
<script type="module">document.title = 'console';</script>`;
const BUNDLE = `export const widgets = ${JSON.stringify('x'.repeat(4000))};`;

let root: string;
let site: ReturnType<typeof createSiteHandler>;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'memberkit-site-'));
  await mkdir(path.join(root, 'pages/auth'), { recursive: true });
  await mkdir(path.join(root, 'cdn'), { recursive: true });
  await writeFile(
    path.join(root, 'pages/index.html'),
    '<member-provider publishable-key="{{MEMBERKIT_PUBLISHABLE_KEY}}" api-url="{{MEMBERKIT_API_URL}}">{{UNKNOWN}}',
  );
  await writeFile(path.join(root, 'pages/auth/verify-email.html'), '<p>verify at {{MEMBERKIT_API_URL}}</p>');
  await writeFile(path.join(root, 'pages/style.css'), 'body{}');
  await writeFile(path.join(root, 'pages/admin.html'), ADMIN_PAGE);
  await writeFile(path.join(root, 'cdn/big.js'), BUNDLE);
  await writeFile(path.join(root, 'cdn/big.js.br'), brotliCompressSync(BUNDLE));
  await writeFile(path.join(root, 'cdn/big.js.gz'), gzipSync(BUNDLE));
  await writeFile(path.join(root, 'cdn/memberkit-widgets.js'), 'export {}');
  await writeFile(path.join(root, 'cdn/chunk-ABCD1234.js'), 'export const x = 1');
  await writeFile(path.join(root, 'secret.txt'), 'outside');
  site = createSiteHandler({
    pagesDir: path.join(root, 'pages'),
    mounts: [
      { prefix: '/widgets/v1/', dir: path.join(root, 'cdn'), cache: { hashed: 'immutable-1y', other: 'one-day' } },
    ],
    placeholders: (request) => ({
      MEMBERKIT_API_URL: new URL(request.url).origin,
      MEMBERKIT_PUBLISHABLE_KEY: 'pk_test_"<x>',
    }),
    contentSecurityPolicy: (request, inline) => sitePageCsp(new URL(request.url).origin, inline),
  });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}) =>
  site(new Request(`http://127.0.0.1:8787${url}`, { headers }));

describe('the npm start site', () => {
  it('serves pages with placeholders filled in and escaped, with and without .html', async () => {
    const res = (await get('/'))!;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe(
      '<member-provider publishable-key="pk_test_&#34;&#60;x&#62;" api-url="http://127.0.0.1:8787">{{UNKNOWN}}',
    );
    expect(await (await get('/auth/verify-email?token=abc'))!.text()).toBe('<p>verify at http://127.0.0.1:8787</p>');
    expect((await get('/auth/verify-email.html'))!.status).toBe(200);
    expect((await get('/style.css'))!.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves bundles with long caching for hashed chunks, and 304 for a matching ETag', async () => {
    const entry = (await get('/widgets/v1/memberkit-widgets.js'))!;
    expect(entry.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(entry.headers.get('cache-control')).toBe('one-day');
    expect((await get('/widgets/v1/chunk-ABCD1234.js'))!.headers.get('cache-control')).toBe('immutable-1y');
    const again = (await get('/widgets/v1/memberkit-widgets.js', { 'If-None-Match': entry.headers.get('etag')! }))!;
    expect(again.status).toBe(304);
  });

  it('serves a bundle file anew once it changed on disk (a rebuild while the server runs)', async () => {
    const before = (await get('/widgets/v1/memberkit-widgets.js'))!;
    expect(await before.text()).toBe('export {}');
    await writeFile(path.join(root, 'cdn/memberkit-widgets.js'), 'export const rebuilt = true;');
    const after = (await get('/widgets/v1/memberkit-widgets.js'))!;
    expect(await after.text()).toBe('export const rebuilt = true;');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    await writeFile(path.join(root, 'cdn/memberkit-widgets.js'), 'export {}');
  });

  it('lets any site load the bundles (module scripts are CORS requests), but not read its pages', async () => {
    for (const url of ['/widgets/v1/memberkit-widgets.js', '/widgets/v1/chunk-ABCD1234.js']) {
      const res = (await get(url, { Origin: 'https://customer.example' }))!;
      expect(res.headers.get('access-control-allow-origin'), url).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy'), url).toBe('cross-origin');
    }
    for (const url of ['/', '/style.css'])
      expect(
        (await get(url, { Origin: 'https://customer.example' }))!.headers.get('access-control-allow-origin'),
        url,
      ).toBeNull();
  });

  it('leaves API paths, unknown files and escapes from its folders to the API (null)', async () => {
    for (const url of [
      '/v1/tenant',
      '/docs',
      '/health',
      '/openapi.json',
      '/dev/mail',
      '/nope',
      '/widgets/v1/missing.js',
      '/../secret.txt',
      '/widgets/v1/..%2F..%2Fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%00',
    ]) {
      expect(await get(url), url).toBeNull();
    }
    expect(await site(new Request('http://127.0.0.1:8787/', { method: 'POST' }))).toBeNull();
  });
});

describe('pre-compressed bundles', () => {
  it('serves the brotli or gzip copy the browser accepts, each with its own ETag, and Vary: Accept-Encoding', async () => {
    const plain = (await get('/widgets/v1/big.js'))!;
    const br = (await get('/widgets/v1/big.js', { 'Accept-Encoding': 'gzip, deflate, br' }))!;
    const gz = (await get('/widgets/v1/big.js', { 'Accept-Encoding': 'gzip' }))!;
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(BUNDLE);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(BUNDLE);
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(BUNDLE);
    for (const res of [plain, br, gz]) {
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect(new Set([plain, br, gz].map((r) => r.headers.get('etag'))).size).toBe(3);
    // A revalidation is answered for the coding it asks in: another coding's ETag is not a match.
    expect(
      (await get('/widgets/v1/big.js', { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.get('etag')! }))!.status,
    ).toBe(304);
    expect(
      (await get('/widgets/v1/big.js', { 'Accept-Encoding': 'br', 'If-None-Match': plain.headers.get('etag')! }))!
        .status,
    ).toBe(200);
  });

  it('never serves a copy older than its file, nor a copy by its own name', async () => {
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(root, 'cdn/big.js.br'), old, old);
    const res = (await get('/widgets/v1/big.js', { 'Accept-Encoding': 'br, gzip' }))!;
    expect(res.headers.get('content-encoding')).toBe('gzip');
    await utimes(path.join(root, 'cdn/big.js.br'), new Date(), new Date());
    expect(await get('/widgets/v1/big.js.br')).toBeNull();
    expect(await get('/widgets/v1/big.js.gz')).toBeNull();
  });

  it('serves files without copies as they are', async () => {
    const res = (await get('/widgets/v1/memberkit-widgets.js', { 'Accept-Encoding': 'br' }))!;
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe('export {}');
  });
});

describe('Content-Security-Policy of the pages', () => {
  const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

  it("allows the page's own inline script and style by hash, scripts from the API, and nothing else inline", async () => {
    const res = (await get('/admin'))!;
    const csp = res.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual([
      "'self'",
      'http://127.0.0.1:8787',
      sha256("document.title = 'console';"),
    ]);
    expect(directives['style-src']).toEqual(["'self'", sha256('body { margin: 0 }')]);
    expect(directives['connect-src']).toEqual(["'self'", 'http://127.0.0.1:8787']);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('gives pages without inline code no hash sources', async () => {
    const csp = (await get('/'))!.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self' http://127.0.0.1:8787;");
    expect(csp).toContain("style-src 'self';");
  });
});
