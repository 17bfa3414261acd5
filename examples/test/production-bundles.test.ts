import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from './support.js';

let server: StartedServer;
beforeAll(async () => {
  server = await startServer({ production: true });
});
afterAll(async () => {
  await server?.stop();
});

describe('the API process in production (NODE_ENV=production)', () => {
  it('serves the element bundles to any site, and neither the example site nor the staff console', async () => {
    for (const bundle of ['/widgets/v1/memberkit-widgets.js', '/admin-elements/v1/memberkit-admin.js']) {
      const res = await fetch(`${server.url}${bundle}`, {
        headers: { Origin: 'https://club.example', 'Accept-Encoding': 'br, gzip' },
      });
      expect(res.status, bundle).toBe(200);
      expect(res.headers.get('content-type'), bundle).toBe('text/javascript; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin'), bundle).toBe('*');
      expect(res.headers.get('cache-control'), bundle).toContain('max-age=');
      // The build's brotli copy (fetch decodes it for the text check below).
      expect(res.headers.get('content-encoding'), bundle).toBe('br');
      expect(res.headers.get('vary'), bundle).toBe('Accept-Encoding');
      expect(await res.text(), bundle).toMatch(/customElements|from"\.\/chunks\//);
    }
    for (const page of ['/members', '/profile', '/admin', '/admin/accept-invite']) {
      expect((await fetch(`${server.url}${page}`)).status, page).toBe(404);
    }
    // The root is the API's: it points at the reference instead of the example site.
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/docs']);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
