import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOidcProvider, type TestOidcProvider } from '@memberkit/api/testing';
import { api, launchBrowser, startServer, type StartedServer } from './support.js';

let server: StartedServer;
let browser: Browser;
let op: TestOidcProvider;
let providerId: string;
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // A real OpenID provider (oidc-provider) whose only client is the demo tenant's, sending people back to the API.
  op = await startTestOidcProvider({ redirectUri: `${server.url}/v1/auth/oidc/callback` });
  const created = await api<{ id: string }>(server, 'POST', '/v1/tenant/oidc-providers', server.secretKey, {
    name: 'Example IdP',
    issuer: op.issuer,
    client_id: op.clientId,
    client_secret: op.clientSecret,
    auto_create_members: true,
  });
  expect(created.status).toBe(201);
  providerId = created.body.id;
});
afterAll(async () => {
  await browser?.close();
  await op?.close();
  await server?.stop();
});

/** A person known to the provider; returns their login name and email. */
function person(givenName: string): { login: string; email: string } {
  const login = `${givenName.toLowerCase()}-${Date.now().toString(36)}`;
  const email = `${login}@idp.example`;
  op.accounts.set(login, { email, email_verified: true, given_name: givenName, family_name: 'Example' });
  return { login, email };
}

const signedIn = (page: Page) =>
  page.evaluate(() => document.querySelector('member-gate')?.hasAttribute('open') ?? false);

describe('OpenID Connect sign-in through <member-login> on the member site', () => {
  it('signs a visitor in with the provider button: provider login and consent, back to the page, signed in', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const { login, email } = person('Olivia');
    await page.goto(`${server.url}/`);

    // The tenant's provider appears as a button in <member-login> (from the public config).
    const button = await page.waitForFunction(
      () =>
        [
          ...(document.querySelector('member-login')?.shadowRoot?.querySelectorAll('button[part="provider-button"]') ??
            []),
        ].find((b) => b.textContent?.includes('Example IdP')),
      { timeout: 30_000 },
    );
    await Promise.all([page.waitForNavigation(), (button.asElement() as ElementHandle<Element>).click()]);

    // At the provider: its login page, then its consent page.
    expect(page.url().startsWith(op.issuer)).toBe(true);
    await page.waitForSelector('input[name="login"]');
    await page.type('input[name="login"]', login);
    await page.type('input[name="password"]', 'anything');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    await page.waitForSelector('input[name="prompt"][value="consent"]');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);

    // Back on the site through the API's callback: signed in, tokens gone from the address bar.
    expect(new URL(page.url()).origin).toBe(server.url);
    await page.waitForFunction(() => document.querySelector('member-gate')?.hasAttribute('open'), { timeout: 15_000 });
    expect(new URL(page.url()).hash).toBe('');
    const members = await api<{ data: { email: string; first_name: string; status: string }[] }>(
      server,
      'GET',
      `/v1/members?search=${encodeURIComponent(email)}`,
      server.secretKey,
    );
    expect(members.body.data).toEqual([expect.objectContaining({ email, first_name: 'Olivia', status: 'active' })]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('does not take tokens from a link it did not start (login CSRF): the visitor stays signed out', async () => {
    // Someone signs in with their own account and stops at the API's redirect: the tokens are theirs.
    const { login } = person('Mallory');
    const start = await fetch(
      `${server.url}/v1/auth/oidc/${providerId}/start?${new URLSearchParams({ publishable_key: server.publishableKey, redirect_uri: `${server.url}/`, state: 'chosen-by-the-sender' })}`,
      { redirect: 'manual' },
    );
    expect(start.status).toBe(302);
    const callback = await op.signIn(start.headers.get('location')!, login);
    const finish = await fetch(callback, { redirect: 'manual' });
    const link = finish.headers.get('location')!;
    expect(new URLSearchParams(new URL(link).hash.slice(1)).get('access_token')).toBeTruthy();

    // They send the link to a visitor, whose tab never started a sign-in.
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(link);
    await page.waitForFunction(
      () => document.querySelector('member-login')?.shadowRoot?.querySelector('input[name="email"]'),
      { timeout: 30_000 },
    );
    // The fragment is dropped without being used.
    await page.waitForFunction(() => location.hash === '', { timeout: 15_000 });
    expect(await signedIn(page)).toBe(false);
    // Nothing kept either: no refresh token stored for the next page.
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('memberkit.refresh_token'))),
    ).toEqual([]);
    await context.close();
  });
});
