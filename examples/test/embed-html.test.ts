import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, launchBrowser, startServer, type StartedServer } from './support.js';

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
      const input = await page.waitForFunction((n) => document.querySelector('member-signup')?.shadowRoot?.querySelector(`[name="${n}"]`), { timeout: 30_000 }, name);
      await input.asElement()!.type(value);
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('member-signup')?.shadowRoot?.querySelector('[role=status]')?.textContent?.includes('@'), { timeout: 15_000 });

    const members = await api<{ data: { id: string; email: string; status: string }[] }>(server, 'GET', `/v1/members?search=${encodeURIComponent(email)}`, server.secretKey);
    const member = members.body.data.find((m) => m.email === email);
    expect(member?.status).toBe('pending');

    // The mail's link lands on the example's verify page, which confirms the address and signs in.
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      const mails = (await (await fetch(`${server.url}/dev/mail`)).json()) as { data: { to: string; links: string[] }[] };
      link = mails.data.filter((m) => m.to.includes(email)).flatMap((m) => m.links).find((l) => l.includes('/auth/verify-email'));
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    expect(link?.startsWith(`${server.url}/auth/verify-email?`)).toBe(true);
    await page.goto(link!);
    await page.waitForFunction(() => document.querySelector('member-email-action')?.shadowRoot?.textContent?.includes('confirmed'), { timeout: 15_000 });
    // The spent token has left the address bar.
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.goto(`${server.url}/members`);
    await page.waitForFunction(() => document.querySelector('member-gate')?.hasAttribute('open'), { timeout: 15_000 });

    const after = await api<{ status: string }>(server, 'GET', `/v1/members/${member!.id}`, server.secretKey);
    expect(after.body.status).toBe('active');
    expect(errors).toEqual([]);
  });
});
