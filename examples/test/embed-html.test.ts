import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, startServer, type StartedServer } from './support.js';

/** After submitting: 'ok' once the "check your inbox" status shows, or the form's error text, so a failure says what the page said. */
async function signupOutcome(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    () => {
      const root = document.querySelector('member-signup')?.shadowRoot;
      if (root?.querySelector('[role=status]')?.textContent?.includes('@')) return 'ok';
      const alert = root?.querySelector('[role=alert]')?.textContent?.trim();
      return alert ? `alert: ${alert}` : false;
    },
    { timeout: 15_000 },
  );
  return (await handle.jsonValue()) as string;
}

let server: StartedServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the member site npm start serves at / (examples/embed-html)', () => {
  it('signs a visitor up through <member-signup>, verifies from the mailed link, and opens the members-only page', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.url}/`);
    const email = `example-${Date.now().toString(36)}@example.org`;

    // The inputs live in <member-signup>'s shadow root; the visitor types and presses Enter.
    for (const [name, value] of [
      ['first_name', 'Example'],
      ['last_name', 'Visitor'],
      ['email', email],
      ['password', 'an example password'],
    ] as const) {
      const input = await page.waitForFunction(
        (n) => document.querySelector('member-signup')?.shadowRoot?.querySelector(`[name="${n}"]`),
        { timeout: 30_000 },
        name,
      );
      await input.asElement()!.type(value);
    }
    await page.keyboard.press('Enter');
    expect(await signupOutcome(page)).toBe('ok');

    const members = await api<{ data: { id: string; email: string; status: string }[] }>(
      server,
      'GET',
      `/v1/members?search=${encodeURIComponent(email)}`,
      server.secretKey,
    );
    const member = members.body.data.find((m) => m.email === email);
    expect(member?.status).toBe('pending');

    // The mail's link lands on the example's verify page, which confirms the address and signs in.
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      const mails = (await (await fetch(`${server.url}/dev/mail`)).json()) as {
        data: { to: string; links: string[] }[];
      };
      link = mails.data
        .filter((m) => m.to.includes(email))
        .flatMap((m) => m.links)
        .find((l) => l.includes('/auth/verify-email'));
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    expect(link?.startsWith(`${server.url}/auth/verify-email?`)).toBe(true);
    await page.goto(link!);
    await page.waitForFunction(
      () => document.querySelector('member-email-action')?.shadowRoot?.textContent?.includes('confirmed'),
      { timeout: 15_000 },
    );
    // The spent token has left the address bar.
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.goto(`${server.url}/members`);
    await page.waitForFunction(() => document.querySelector('member-gate')?.hasAttribute('open'), { timeout: 15_000 });

    const after = await api<{ status: string }>(server, 'GET', `/v1/members/${member!.id}`, server.secretKey);
    expect(after.body.status).toBe('active');

    // The pages have track-page-views: the signed-in member's visit of /members is recorded, once
    // (not the verify page, where they were not signed in yet when it loaded).
    type Timeline = { data: { type: string; source: string; properties: Record<string, unknown> }[] };
    let views: Timeline['data'] = [];
    for (let i = 0; i < 100 && views.length === 0; i++) {
      const timeline = await api<Timeline>(
        server,
        'GET',
        `/v1/members/${member!.id}/activity?type=page.viewed`,
        server.secretKey,
      );
      views = timeline.body.data;
      if (views.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(views).toEqual([
      expect.objectContaining({
        type: 'page.viewed',
        source: 'member',
        properties: { path: '/members', title: expect.any(String) },
      }),
    ]);
    expect(errors).toEqual([]);
  });

  it("works on a customer's own site, another origin: the script tag, its chunks and the API calls all cross origins", async () => {
    // The customer's site: one static page on its own origin, loading the bundle from the API's.
    let page = '';
    const site: Server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page),
    );
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const origin = `http://localhost:${(site.address() as AddressInfo).port}`;
    try {
      // A publishable key for that origin, as the tenant would create it.
      const key = await api<{ key: string }>(server, 'POST', '/v1/api-keys', server.secretKey, {
        kind: 'publishable',
        allowed_origins: [origin],
      });
      expect(key.status).toBe(201);
      page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Club</title>
        <script type="module" src="${server.url}/widgets/v1/memberkit-widgets.js"></script></head>
        <body><member-provider publishable-key="${key.body.key}" api-url="${server.url}"><member-signup></member-signup></member-provider></body></html>`;
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(String(error)));
      tab.on('requestfailed', (request) => errors.push(`${request.url()}: ${request.failure()?.errorText}`));
      await tab.goto(`${origin}/`);
      const email = `cross-origin-${Date.now().toString(36)}@example.org`;
      for (const [name, value] of [
        ['first_name', 'Cross'],
        ['last_name', 'Origin'],
        ['email', email],
        ['password', 'a cross-origin password'],
      ] as const) {
        const input = await tab.waitForFunction(
          (n) => document.querySelector('member-signup')?.shadowRoot?.querySelector(`[name="${n}"]`),
          { timeout: 30_000 },
          name,
        );
        await input.asElement()!.type(value);
      }
      await tab.keyboard.press('Enter');
      expect(await signupOutcome(tab)).toBe('ok');
      const members = await api<{ data: { email: string }[] }>(
        server,
        'GET',
        `/v1/members?search=${encodeURIComponent(email)}`,
        server.secretKey,
      );
      expect(members.body.data.map((m) => m.email)).toEqual([email]);
      expect(errors).toEqual([]);
    } finally {
      // The browser keeps its connection open; close it, or close() waits for it to time out.
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });
});
