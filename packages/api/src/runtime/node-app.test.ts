import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { generateMasterKey } from '../lib/secret-box.js';
import { silentLogger } from '../lib/logger.js';
import { openTestDatabase } from '../testing/index.js';
import { readNodeConfig } from './config.js';
import { createNodeApp } from './node-app.js';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

/** Serves the Node app configured by `env` on a free port, as `npm start` does. */
async function serveWith(env: Record<string, string>): Promise<{ url: string; server: ServerType }> {
  const config = readNodeConfig({ ...env, MEMBERKIT_RATE_LIMIT: '50' });
  const { app } = await createNodeApp({
    db,
    logger: silentLogger,
    config,
    platformKey: null,
    masterKey: generateMasterKey(),
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, server }),
    );
  });
}

/** The "api" policy's remaining budget after an unauthenticated request (counted per client IP) claiming to come from `forwardedFor`. */
async function remainingAs(url: string, forwardedFor: string): Promise<number> {
  const res = await fetch(`${url}/v1/tenant`, { headers: { 'X-Forwarded-For': forwardedFor } });
  expect(res.status).toBe(401);
  return Number(/"api";r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1]);
}

describe('the Node server', () => {
  it('takes the client IP from the socket peer, whatever X-Forwarded-For claims, when no proxy is trusted', async () => {
    const { url, server } = await serveWith({});
    try {
      // Three claimed clients, one real one: a single budget.
      expect([
        await remainingAs(url, '198.51.100.1'),
        await remainingAs(url, '198.51.100.2'),
        await remainingAs(url, '198.51.100.3'),
      ]).toEqual([49, 48, 47]);
    } finally {
      server.close();
    }
  });

  it('takes the client IP the trusted proxy appended with MEMBERKIT_TRUSTED_PROXIES=1, or from a trusted range', async () => {
    for (const setting of ['1', '127.0.0.0/8, ::1']) {
      const { url, server } = await serveWith({ MEMBERKIT_TRUSTED_PROXIES: setting });
      try {
        // The client's own claims left of the proxy's entry do not matter.
        expect(await remainingAs(url, '203.0.113.5')).toBe(49);
        expect(await remainingAs(url, '6.6.6.6, 203.0.113.5')).toBe(48);
        expect(await remainingAs(url, '203.0.113.6'), setting).toBe(49);
      } finally {
        server.close();
      }
    }
  });

  it('compresses responses with brotli when the client accepts it', async () => {
    const { url, server } = await serveWith({});
    try {
      const res = await fetch(`${url}/openapi.json`, { headers: { 'Accept-Encoding': 'br, gzip' } });
      expect(res.headers.get('content-encoding')).toBe('br');
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(await res.json()).toHaveProperty('openapi'); // fetch decodes it
    } finally {
      server.close();
    }
  });

  it('refuses a malformed MEMBERKIT_TRUSTED_PROXIES at start-up, naming the bad part', () => {
    expect(() => readNodeConfig({ MEMBERKIT_TRUSTED_PROXIES: '10.0.0.0/8, 10.0.0.0/40' })).toThrow(
      /MEMBERKIT_TRUSTED_PROXIES .*"10\.0\.0\.0\/40" is neither/,
    );
    expect(readNodeConfig({ MEMBERKIT_TRUSTED_PROXIES: '2' }).trustedProxies).toEqual({ kind: 'hops', hops: 2 });
  });
});
