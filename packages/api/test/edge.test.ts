import { afterAll, describe, expect, inject, it } from 'vitest';
import { generateMasterKey } from '../src/lib/secret-box.js';
import { createTestContext, PLATFORM_KEY } from '../src/testing/index.js';

const url = inject('databaseUrl');

describe("the edge entry (fetch handler on Neon's serverless driver)", () => {
  const original = globalThis.WebSocket;
  afterAll(() => {
    globalThis.WebSocket = original;
  });

  it.runIf(url !== null)('serves the API from a module-worker style fetch handler', async () => {
    // Edge runtimes have a global WebSocket; Node 20 does not, so lend it ws's.
    const { default: WebSocket } = await import('ws');
    globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
    const { default: worker } = await import('../src/runtime/edge.js');
    const env = {
      DATABASE_URL: url!,
      MEMBERKIT_PLATFORM_KEY: PLATFORM_KEY,
      MEMBERKIT_MASTER_KEY: generateMasterKey(),
      MEMBERKIT_NEON_WS_PROXY: `127.0.0.1:${inject('neonProxyPort')}`,
    };

    const health = await worker.fetch(new Request('https://api.example.org/health'), env);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'neon' });

    const created = await worker.fetch(
      new Request('https://api.example.org/v1/platform/tenants', {
        method: 'POST',
        headers: { Authorization: `Bearer ${PLATFORM_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Edge Club', slug: `edge-${Date.now().toString(36)}` }),
      }),
      env,
    );
    expect(created.status).toBe(201);
    const tenant = (await created.json()) as { id: string; secret_key: string };
    const own = await worker.fetch(
      new Request('https://api.example.org/v1/tenant', { headers: { Authorization: `Bearer ${tenant.secret_key}` } }),
      env,
    );
    expect(((await own.json()) as { id: string }).id).toBe(tenant.id);
  });

  it('serves / as a redirect to the API reference', async () => {
    const t = await createTestContext();
    try {
      const res = await t.app.request('/');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/docs');
    } finally {
      await t.close();
    }
  });
});
