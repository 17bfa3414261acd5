import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type StartedServer } from './support.js';

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

/** A tab that records every CSP violation (shadow roots included: the event is composed) and every page error. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`violation: ${text}`));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportViolation(t: string): void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sample}`,
      );
    });
  });
  return { page, problems };
}

const shadowText = (page: Page, tag: string) =>
  page.evaluate((t) => document.querySelector(t)?.shadowRoot?.textContent ?? '', tag);

describe('the pages npm start serves, under their Content-Security-Policy', () => {
  it('the member site renders its widgets with no violation, and the bundles arrive compressed', async () => {
    const { page, problems } = await watchedPage();
    const bundleCodings: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/widgets/v1/')) bundleCodings.push(res.headers()['content-encoding'] ?? 'identity');
    });
    for (const path of ['/', '/members', '/directory', '/profile', '/auth/magic-link?token=x']) {
      const res = await page.goto(`${server.url}${path}`);
      const csp = res!.headers()['content-security-policy'] ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      await page.waitForFunction(
        () => (document.querySelector('member-provider')?.shadowRoot?.childNodes.length ?? 0) > 0,
        { timeout: 30_000 },
      );
    }
    await page.goto(`${server.url}/`);
    await page.waitForFunction(
      () => document.querySelector('member-signup')?.shadowRoot?.querySelector('[name="email"]'),
      { timeout: 30_000 },
    );
    expect(await shadowText(page, 'member-signup')).not.toBe('');
    expect(problems).toEqual([]);
    expect(bundleCodings.length).toBeGreaterThan(0);
    expect(new Set(bundleCodings)).toEqual(new Set(['br']));
  });

  it('the staff console shows its table and switches tabs (its inline script runs by hash) with no violation', async () => {
    const { page, problems } = await watchedPage();
    const res = await page.goto(`${server.url}/admin`);
    expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self' \S+ 'sha256-[\w+/=]+'/);
    await page.waitForFunction(
      () =>
        (document
          .querySelector('member-admin-table')
          ?.shadowRoot?.querySelectorAll('table[part="table"] > tbody > tr[data-id]').length ?? 0) > 0,
      { timeout: 30_000 },
    );
    // The inline style applied: the page's own background.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(249, 250, 251)');
    // The members' initials keep their colours without style attributes (which the policy refuses).
    const avatar = await page.evaluate(() => {
      const el = document.querySelector('member-admin-table')!.shadowRoot!.querySelector('tbody .avatar')!;
      return { background: getComputedStyle(el).backgroundColor, style: el.getAttribute('style') };
    });
    expect(avatar.background).not.toBe('rgba(0, 0, 0, 0)');
    expect(avatar.style).toBeNull();
    await page.click('nav button[data-view="audit"]');
    await page.waitForFunction(() => !(document.getElementById('audit') as HTMLElement).hidden, { timeout: 5_000 });
    expect(problems).toEqual([]);
  });

  it('the invitation page renders its form with no violation', async () => {
    const { page, problems } = await watchedPage();
    const res = await page.goto(`${server.url}/admin/accept-invite?token=not-a-real-one`);
    expect(res!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.waitForFunction(
      () => document.querySelector('member-admin-accept-invite')?.shadowRoot?.querySelector('input[name="password"]'),
      { timeout: 30_000 },
    );
    expect(problems).toEqual([]);
  });

  it('the API reference renders with no violation', async () => {
    const { page, problems } = await watchedPage();
    const res = await page.goto(`${server.url}/docs`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForFunction(() => document.querySelectorAll('.opblock').length > 10, { timeout: 30_000 });
    // Open an operation (its "Try it out" form is on: tryItOutEnabled) and a schema: the parts that render examples and models.
    await page.click('.opblock .opblock-summary');
    await page.waitForSelector('.opblock.is-open .execute', { timeout: 10_000 });
    await page.click('.opblock.is-open .tablinks[data-name="model"]').catch(() => {});
    expect(problems).toEqual([]);
  });
});
