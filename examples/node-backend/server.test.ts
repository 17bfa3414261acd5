import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Memberkit } from '@memberkit/sdk';
import { createTestContext, PLATFORM_KEY, type TestContext } from '@memberkit/api/testing';
import { createBackend } from './server.js';

// Three real servers over real sockets: the Memberkit API (on PGlite), this example backend,
// and the test acting as the browser with the publishable key.
let t: TestContext;
let apiServer: ReturnType<typeof serve>;
let backend: Server;
let apiUrl: string;
let backendUrl: string;
let publishableKey: string;
let otherPublishableKey: string;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  let app: TestContext['app'] | undefined;
  apiServer = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => apiServer.once('listening', resolve));
  apiUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
  t = await createTestContext({ config: { issuerBaseUrl: apiUrl } });
  app = t.app;

  const platform = new Memberkit({ secretKey: PLATFORM_KEY, baseUrl: apiUrl });
  const tenant = await platform.platform.tenants.create({
    name: 'Backend Example',
    slug: `backend-${Date.now().toString(36)}`,
  });
  await new Memberkit({ secretKey: tenant.secret_key, baseUrl: apiUrl }).tenant.update({
    auth: { require_email_verification: false },
  });
  publishableKey = tenant.publishable_key;
  const other = await platform.platform.tenants.create({ name: 'Other', slug: `other-${Date.now().toString(36)}` });
  await new Memberkit({ secretKey: other.secret_key, baseUrl: apiUrl }).tenant.update({
    auth: { require_email_verification: false },
  });
  otherPublishableKey = other.publishable_key;

  backend = createBackend({
    apiUrl,
    secretKey: tenant.secret_key,
    tenantId: tenant.id,
    allowedOrigin: 'https://www.example.org',
  });
  backendUrl = await listen(backend);
});

afterAll(async () => {
  await new Promise((resolve) => backend?.close(resolve));
  await new Promise((resolve) => apiServer?.close(resolve));
  await t?.close();
});

async function signedInBrowser(key: string) {
  const browser = new Memberkit({ publishableKey: key, baseUrl: apiUrl });
  await browser.auth.signup({
    email: `ada-${Math.random().toString(36).slice(2)}@example.org`,
    password: 'analytical-engine-1843',
    first_name: 'Ada',
    last_name: 'Lovelace',
  });
  return browser;
}

describe('examples/node-backend', () => {
  it('serves the profile of the member whose token it verified, read with the secret key', async () => {
    const browser = await signedInBrowser(publishableKey);
    const res = await fetch(`${backendUrl}/api/profile`, {
      headers: { Authorization: `Bearer ${browser.session.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://www.example.org');
    expect(await res.json()).toEqual({
      id: browser.session.member!.id,
      name: 'Ada Lovelace',
      status: 'active',
      tags: [],
    });
  });

  it('changes the member through the API with the secret key', async () => {
    const browser = await signedInBrowser(publishableKey);
    const auth = { Authorization: `Bearer ${browser.session.accessToken}`, 'Content-Type': 'application/json' };
    const res = await fetch(`${backendUrl}/api/newsletter`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ subscribe: true }),
    });
    expect(await res.json()).toEqual({ tags: ['newsletter'] });
    const profile = await fetch(`${backendUrl}/api/profile`, { headers: auth });
    expect(await profile.json()).toMatchObject({ tags: ['newsletter'] });
  });

  it('refuses missing, tampered and foreign-tenant tokens with 401', async () => {
    expect((await fetch(`${backendUrl}/api/profile`)).status).toBe(401);
    const browser = await signedInBrowser(publishableKey);
    const token = browser.session.accessToken!;
    const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const refused = await fetch(`${backendUrl}/api/profile`, { headers: { Authorization: `Bearer ${tampered}` } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'token_invalid' });

    const stranger = await signedInBrowser(otherPublishableKey);
    const foreign = await fetch(`${backendUrl}/api/profile`, {
      headers: { Authorization: `Bearer ${stranger.session.accessToken}` },
    });
    expect(foreign.status).toBe(401);
    expect(await foreign.json()).toEqual({ error: 'token_wrong_tenant' });
  });
});
