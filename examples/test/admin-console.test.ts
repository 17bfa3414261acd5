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

interface Page<T> {
  data: T[];
}

describe('the staff console npm start serves at /admin', () => {
  it("shows the demo tenant's members to its owner and searches them", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${server.url}/admin`);

    // The table loads its first page from the API with the owner's token minted into the page.
    const rowIds = () =>
      page.evaluate(() =>
        [
          ...(document
            .querySelector('member-admin-table')
            ?.shadowRoot?.querySelectorAll('table[part="table"] > tbody > tr[data-id]') ?? []),
        ].map((r) => r.getAttribute('data-id')),
      );
    await page.waitForFunction(
      () =>
        (document
          .querySelector('member-admin-table')
          ?.shadowRoot?.querySelectorAll('table[part="table"] > tbody > tr[data-id]').length ?? 0) > 0,
      { timeout: 30_000 },
    );
    const newest = await api<Page<{ id: string; email: string; last_name: string }>>(
      server,
      'GET',
      '/v1/members?limit=1',
      server.secretKey,
    );
    const first = newest.body.data[0]!;
    expect(await rowIds()).toContain(first.id);

    // Search by email narrows the rows to that member.
    const search = await page.evaluateHandle(
      () => document.querySelector('member-admin-table')!.shadowRoot!.querySelector('input[type="search"]')!,
    );
    await search.type(first.email);
    await page.waitForFunction(
      (id) => {
        const rows =
          document
            .querySelector('member-admin-table')
            ?.shadowRoot?.querySelectorAll('table[part="table"] > tbody > tr[data-id]') ?? [];
        return rows.length === 1 && rows[0]!.getAttribute('data-id') === id;
      },
      { timeout: 15_000 },
      first.id,
    );

    // The page's session renews itself (as it will before the 10 minutes are up): still signed in, no sign-in form.
    const minted = await page.evaluate(() =>
      document.querySelector('member-admin-provider')!.getAttribute('refresh-token'),
    );
    expect(minted).toMatch(/^rt_/);
    await page.evaluate(() =>
      (
        document.querySelector('member-admin-provider') as HTMLElement & { refreshSession(): Promise<void> }
      ).refreshSession(),
    );
    expect(
      await page.evaluate(() =>
        document.querySelector('member-admin-provider')!.shadowRoot!.querySelector('form[part="login"]'),
      ),
    ).toBeNull();
    expect(await page.evaluate(() => document.querySelector('member-admin-provider')!.getAttribute('admin-role'))).toBe(
      'owner',
    );
    expect(errors).toEqual([]);
    // It did renew: the minted refresh token is spent (presenting it again is refused).
    expect(
      (await api(server, 'POST', '/v1/auth/staff/refresh', server.publishableKey, { refresh_token: minted })).status,
    ).toBe(401);
  });

  it('lets an invited staff member set a password on the page the invitation mail links to', async () => {
    const email = `new-admin-${Date.now().toString(36)}@example.org`;
    const invited = await api<{ id: string }>(server, 'POST', '/v1/staff', server.secretKey, {
      email,
      name: 'New Admin',
      role: 'admin',
    });
    expect(invited.status).toBe(201);
    let link: string | undefined;
    for (let i = 0; i < 50 && !link; i++) {
      const mails = (await (await fetch(`${server.url}/dev/mail`)).json()) as {
        data: { to: string; links: string[] }[];
      };
      link = mails.data.find((m) => m.to.includes(email))?.links.find((l) => l.includes('/admin/accept-invite?'));
      if (!link) await new Promise((r) => setTimeout(r, 200));
    }
    expect(link).toBeDefined();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const response = await page.goto(link!);
    expect(response?.status()).toBe(200);

    // The element comes from the script-tag bundle; the person types a password and presses Enter.
    await page.waitForFunction(
      () => document.querySelector('member-admin-accept-invite')?.shadowRoot?.querySelector('input[name="password"]'),
      { timeout: 30_000 },
    );
    const password = await page.evaluateHandle(
      () => document.querySelector('member-admin-accept-invite')!.shadowRoot!.querySelector('input[name="password"]')!,
    );
    await password.type('a-good-staff-password-2026');
    await password.press('Enter');

    // Accepted: the account is active, and the invitation token is gone from the address bar.
    let status = '';
    for (let i = 0; i < 50 && status !== 'active'; i++) {
      const staff = await api<Page<{ id: string; status: string }>>(server, 'GET', '/v1/staff', server.secretKey);
      status = staff.body.data.find((s) => s.id === invited.body.id)?.status ?? '';
      if (status !== 'active') await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('active');
    await page.waitForFunction(() => !location.search.includes('token='), { timeout: 10_000 });
    const login = await api<{ access_token: string }>(server, 'POST', '/v1/auth/staff/login', server.publishableKey, {
      email,
      password: 'a-good-staff-password-2026',
    });
    expect(login.status).toBe(200);
    expect(errors).toEqual([]);
  });
});
