import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { composeOutboxMail, type MailTenant } from '../../mail/outbox-mail.js';
import { createDevMailTransport, type DevMailTransport } from '../../mail/dev-transport.js';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';
import { createDevMailRouter, linksIn } from './dev-mail.index.js';

const tenant: MailTenant = { id: 'tnt_dev', slug: 'dev', name: 'Dev <Club>', branding: {}, defaultLocale: 'en' };
const options = { from: 'no-reply@mail.example.org', linkBaseUrl: 'http://127.0.0.1:8787' };

let t: TestContext;
let dev: DevMailTransport;
let app: ReturnType<typeof mountDevMail>;

/** The wiring `npm start` uses: the API app with the dev router mounted beside it. */
function mountDevMail(transport: DevMailTransport) {
  return createApp(t.deps).route('/', createDevMailRouter(transport));
}

beforeAll(async () => {
  t = await createTestContext();
  dev = createDevMailTransport();
  app = mountDevMail(dev);
  await dev.send(
    composeOutboxMail(
      {
        tenantId: tenant.id,
        id: 'mail_1',
        template: 'invite',
        toAddress: 'ada@example.org',
        locale: 'de',
        data: { token: 'inviteTOKEN', expires_at: '2026-12-04T09:30:00Z' },
      },
      tenant,
      options,
    ),
  );
  await dev.send(
    composeOutboxMail(
      {
        tenantId: tenant.id,
        id: 'mail_2',
        template: 'magic_link',
        toAddress: 'grace@example.org',
        locale: 'en',
        data: { token: 'magicTOKEN' },
      },
      tenant,
      options,
    ),
  );
  await dev.send({
    to: 'x@example.org',
    from: 'y@example.org',
    subject: 'Hand-made',
    text: 'No links here.',
    html: '<p>No links here.</p>',
  });
});
afterAll(() => t.close());

describe('GET /dev/mail', () => {
  it('lists caught mails newest first with their template and the links of their text', async () => {
    const res = await app.request('/dev/mail');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[] };
    expect(body.data.map((m) => m.subject)).toEqual([
      'Hand-made',
      'Your sign-in link for Dev <Club>',
      'Einladung zur Mitgliedschaft bei Dev <Club>',
    ]);
    expect(body.data[1]).toEqual({
      id: '2',
      to: 'grace@example.org',
      subject: 'Your sign-in link for Dev <Club>',
      sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      template: 'magic_link',
      links: ['http://127.0.0.1:8787/auth/magic-link?token=magicTOKEN&tenant=tnt_dev'],
      html_url: '/dev/mail/2',
      text_url: '/dev/mail/2/text',
    });
    expect(body.data[2]!.links).toEqual(['http://127.0.0.1:8787/accept-invite?token=inviteTOKEN&tenant=tnt_dev']);
    expect(body.data[0]).toMatchObject({ template: null, links: [] });
  });
});

describe('GET /dev/mail/:id', () => {
  it('serves the HTML body under a policy that allows no scripts', async () => {
    const res = await app.request('/dev/mail/1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toBe(dev.get('1')!.html);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Dev &lt;Club&gt;');
  });

  it('serves the text body', async () => {
    const res = await app.request('/dev/mail/2/text');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('http://127.0.0.1:8787/auth/magic-link?token=magicTOKEN&tenant=tnt_dev');
  });

  it('answers 404 as problem+json for a mail it does not hold', async () => {
    const res = await app.request('/dev/mail/999');
    const text = await res.text();
    expectProblem({ status: res.status, headers: res.headers, body: JSON.parse(text), text }, 404, 'NOT_FOUND');
  });
});

describe('linksIn', () => {
  it('finds http(s) links and drops the punctuation that ends a sentence', () => {
    expect(linksIn('Go to https://a.example/x?y=1&z=2. Or (http://b.example/p), not ftp://c.example.')).toEqual([
      'https://a.example/x?y=1&z=2',
      'http://b.example/p',
    ]);
  });
});
