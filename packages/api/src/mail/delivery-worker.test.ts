import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../db/schema/index.js';
import { createManualClock } from '../lib/clock.js';
import { createMemoryLogger } from '../lib/logger.js';
import { createTestContext, type TestContext } from '../testing/index.js';
import { insertTier } from '../../test/support/seed.js';
import { createMailDeliveryWorker, type MailDeliveryWorkerOptions } from './delivery-worker.js';
import { createDevMailTransport, headerValue } from './dev-transport.js';
import type { MailMessage, MailTransport } from './transport.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;
type OutboxRow = typeof mailOutbox.$inferSelect;

const MINUTE = 60_000;
const LINK_BASE = 'http://127.0.0.1:8787';
// Ids queued by the API are time-ordered ULIDs; ours need only be unique per tenant.
let mailCounter = 0;

let t: TestContext;
beforeAll(async () => {
  // Several connections, so concurrent workers really overlap on Postgres.
  t = await createTestContext({ maxConnections: 8 });
});
afterAll(() => t.close());

/** A tenant with German as its default language and distinctive branding. */
async function brandedTenant(name = 'Ruderclub Nord'): Promise<Tenant> {
  const tenant = await t.createTenant(name);
  const res = await t.request('PATCH', '/v1/tenant', {
    key: tenant.secret_key,
    body: {
      branding: {
        color_primary: '#0e7490',
        color_background: '#f0f9ff',
        color_text: '#0c4a6e',
        logo_url: 'https://cdn.example.org/rc-nord.png',
      },
      locale: { default: 'de', supported: ['de', 'en'] },
    },
  });
  if (res.status !== 200) throw new Error(`branding failed: ${res.status} ${res.text}`);
  return tenant;
}

/** Queues mails straight into the outbox, as the services that own those flows will. */
async function queue(
  tenant: Tenant,
  mails: { template: string; data: Record<string, unknown>; locale?: string; to?: string; at: Date }[],
): Promise<string[]> {
  const values = mails.map((mail) => ({
    tenantId: tenant.id,
    id: `mail_test${String(++mailCounter).padStart(6, '0')}`,
    template: mail.template,
    toAddress: mail.to ?? 'ada@example.org',
    locale: mail.locale ?? 'en',
    data: mail.data,
    nextAttemptAt: mail.at,
    createdAt: mail.at,
  }));
  await t.db.withTenant(tenant.id, (tx) => tx.insert(mailOutbox).values(values));
  return values.map((v) => v.id);
}

async function outbox(tenant: Tenant): Promise<OutboxRow[]> {
  return t.db.withTenant(tenant.id, (tx) =>
    tx.select().from(mailOutbox).where(eq(mailOutbox.tenantId, tenant.id)).orderBy(mailOutbox.id),
  );
}

async function outboxRow(tenant: Tenant, id: string): Promise<OutboxRow> {
  const [row] = await t.db.withTenant(tenant.id, (tx) =>
    tx
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.tenantId, tenant.id), eq(mailOutbox.id, id))),
  );
  return row!;
}

/** A worker confined to the test's tenants: on Postgres other test files share the database and its outbox. */
function workerFor(tenants: Tenant[], transport: MailTransport, extra: Partial<MailDeliveryWorkerOptions> = {}) {
  const clock = createManualClock(new Date(Date.now() + MINUTE));
  const logger = createMemoryLogger();
  const worker = createMailDeliveryWorker({
    db: t.db,
    transport,
    clock,
    logger,
    from: (tenant) => ({ name: tenant.name, address: 'no-reply@mail.example.org' }),
    linkBaseUrl: LINK_BASE,
    onlyTenants: tenants.map((tenant) => tenant.id),
    random: () => 0.5,
    ...extra,
  });
  return { worker, clock, logger };
}

/** A transport that fails while `failing` is set, and counts calls. */
function flakyTransport() {
  const inner = createDevMailTransport();
  const state = { failing: true, calls: 0 };
  const transport: MailTransport = {
    async send(message) {
      state.calls += 1;
      if (state.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      return inner.send(message);
    },
  };
  return { transport, state, inner };
}

describe('mail delivery worker', () => {
  it("sends an invitation queued by POST /v1/invites in the invitee's language with the tenant's branding, once, and scrubs its token", async () => {
    const tenant = await brandedTenant('Ruderclub <Nord> & "Söhne"');
    const tierId = await insertTier(t, tenant.id, { name: 'Gold & <Silber>' });
    const res = await t.request('POST', '/v1/invites', {
      key: tenant.secret_key,
      body: {
        email: 'grace@example.org',
        tier_id: tierId,
        message: 'Komm vorbei!\n<script>alert(1)</script>',
        locale: 'de',
      },
    });
    expect(res.status).toBe(201);
    const [queued] = await outbox(tenant);
    const token = queued!.data.token as string;
    expect(token).toMatch(/^[0-9A-Za-z]{40}$/);

    const dev = createDevMailTransport();
    const { worker, clock } = workerFor([tenant], dev);
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });

    const [mail] = dev.list();
    expect(mail!.to).toBe('grace@example.org');
    expect(mail!.from).toBe('Ruderclub <Nord> & "Söhne" <no-reply@mail.example.org>');
    expect(mail!.subject).toBe('Einladung zur Mitgliedschaft bei Ruderclub <Nord> & "Söhne"');
    const link = `${LINK_BASE}/accept-invite?token=${token}&tenant=${tenant.id}`;
    expect(mail!.text).toContain(link);
    expect(mail!.text).toContain('mit der Mitgliedschaft „Gold & <Silber>“');
    expect(mail!.html).toContain(`href="${link.replace('&', '&amp;')}"`);
    expect(mail!.html).toContain('<html lang="de">');
    expect(mail!.html).toContain(
      '<img src="https://cdn.example.org/rc-nord.png" alt="Ruderclub &lt;Nord&gt; &amp; &quot;Söhne&quot;"',
    );
    expect(mail!.html).toContain('background-color:#0e7490');
    expect(mail!.html).toContain('background-color:#f0f9ff');
    expect(mail!.html).toContain('Komm vorbei!<br>&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.html).toMatch(/Die Einladung ist gültig bis \d{1,2}\. \w+ \d{4} um \d\d:\d\d UTC\./);
    expect(headerValue(mail!.headers, 'x-memberkit-mail-id')).toBe(queued!.id);

    const sent = await outboxRow(tenant, queued!.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, sentAt: clock.now() });
    expect(sent.data).not.toHaveProperty('token');
    expect(sent.data).toMatchObject({
      invite_id: res.body.id,
      tier_name: 'Gold & <Silber>',
      expires_at: expect.any(String),
    });

    clock.advance(24 * 60 * MINUTE);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(dev.list()).toHaveLength(1);
  });

  it('renders every template from its outbox row, falling back to English for other locales', async () => {
    const tenant = await brandedTenant();
    const dev = createDevMailTransport();
    const { worker, clock } = workerFor([tenant], dev);
    const at = clock.now();
    const expires = new Date(at.getTime() + 30 * MINUTE).toISOString();
    await queue(tenant, [
      // The shape the identity service queues: token, member id, first name.
      {
        template: 'verify_email',
        data: { token: 'verifyTOKEN', member_id: 'mem_1', first_name: 'Ada', code: '123456', expires_at: expires },
        locale: 'en',
        at,
      },
      { template: 'magic_link', data: { token: 'magicTOKEN', expires_at: expires }, locale: 'fr', at },
      {
        template: 'password_reset',
        data: { token: 'resetTOKEN', member_id: 'mem_1', first_name: 'Ada', expires_at: expires },
        locale: 'de',
        at,
      },
      {
        template: 'new_device',
        data: { signed_in_at: at.toISOString(), device: 'Firefox on macOS', ip: '203.0.113.7' },
        locale: 'de-AT',
        at,
      },
    ]);
    expect(await worker.runOnce()).toEqual({ sent: 4, failed: 0, retried: 0 });

    const byTemplate = new Map(dev.list().map((mail) => [headerValue(mail.headers, 'x-memberkit-template'), mail]));
    expect(byTemplate.get('verify_email')!.subject).toBe('Confirm your email address for Ruderclub Nord');
    expect(byTemplate.get('verify_email')!.text).toContain(
      `${LINK_BASE}/auth/verify-email?token=verifyTOKEN&tenant=${tenant.id}`,
    );
    expect(byTemplate.get('verify_email')!.text).toContain('123456');
    expect(byTemplate.get('verify_email')!.text).toContain('Hi Ada,');
    expect(byTemplate.get('password_reset')!.text).toContain('Hallo Ada,');
    expect(byTemplate.get('magic_link')!.subject).toBe('Your sign-in link for Ruderclub Nord');
    expect(byTemplate.get('magic_link')!.text).toContain(
      `${LINK_BASE}/auth/magic-link?token=magicTOKEN&tenant=${tenant.id}`,
    );
    expect(byTemplate.get('password_reset')!.subject).toBe('Passwort für Ruderclub Nord zurücksetzen');
    expect(byTemplate.get('password_reset')!.text).toContain(
      `${LINK_BASE}/auth/reset-password?token=resetTOKEN&tenant=${tenant.id}`,
    );
    expect(byTemplate.get('new_device')!.subject).toBe('Neue Anmeldung bei Ihrem Konto bei Ruderclub Nord');
    expect(byTemplate.get('new_device')!.text).toContain('Gerät: Firefox on macOS');

    for (const row of await outbox(tenant)) {
      expect(row.status).toBe('sent');
      expect(JSON.stringify(row.data)).not.toMatch(/TOKEN/);
    }
  });

  it('puts a mail whose send failed back to pending with backoff, and sends it once due and the transport recovers', async () => {
    const tenant = await brandedTenant();
    const flaky = flakyTransport();
    const { worker, clock } = workerFor([tenant], flaky.transport);
    const [id] = await queue(tenant, [{ template: 'magic_link', data: { token: 'retryTOKEN' }, at: clock.now() }]);

    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 });
    const pending = await outboxRow(tenant, id!);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, sentAt: null, data: { token: 'retryTOKEN' } });
    // The first retry waits a minute (± 20 % jitter; the test's random() sits in the middle).
    expect(pending.nextAttemptAt.getTime()).toBe(clock.now().getTime() + MINUTE);

    flaky.state.failing = false;
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(flaky.state.calls).toBe(1);

    clock.advance(2 * MINUTE);
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await outboxRow(tenant, id!)).toMatchObject({ status: 'sent', attempts: 2, sentAt: clock.now(), data: {} });
    expect(flaky.inner.list()[0]!.text).toContain('token=retryTOKEN');
  });

  it('spreads retries with jitter and grows the delay with each attempt', async () => {
    const tenant = await brandedTenant();
    const flaky = flakyTransport();
    let draw = 0;
    const { worker, clock } = workerFor([tenant], flaky.transport, {
      random: () => [0, 0.999][draw++ % 2]!,
      maxAttempts: 10,
    });
    const [a, b] = await queue(tenant, [
      { template: 'magic_link', data: { token: 'a' }, at: clock.now() },
      { template: 'magic_link', data: { token: 'b' }, at: clock.now() },
    ]);
    await worker.runOnce();
    const delays = await Promise.all(
      [a!, b!].map(async (id) => (await outboxRow(tenant, id)).nextAttemptAt.getTime() - clock.now().getTime()),
    );
    expect(delays.sort((x, y) => x - y)).toEqual([0.8 * MINUTE, Math.round(1.1996 * MINUTE)]);

    clock.advance(2 * MINUTE);
    await worker.runOnce();
    for (const id of [a!, b!]) {
      const row = await outboxRow(tenant, id);
      expect(row.attempts).toBe(2);
      const delay = row.nextAttemptAt.getTime() - clock.now().getTime();
      expect(delay).toBeGreaterThanOrEqual(4 * MINUTE);
      expect(delay).toBeLessThanOrEqual(6 * MINUTE);
    }
  });

  it('gives up after maxAttempts: the mail is failed, its token scrubbed, and it is never tried again', async () => {
    const tenant = await brandedTenant();
    const flaky = flakyTransport();
    const { worker, clock, logger } = workerFor([tenant], flaky.transport, { maxAttempts: 3 });
    const [id] = await queue(tenant, [
      {
        template: 'password_reset',
        data: { token: 'deadTOKEN', expires_at: clock.now().toISOString() },
        at: clock.now(),
      },
    ]);

    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 });
    clock.advance(2 * MINUTE);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 });
    clock.advance(10 * MINUTE);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1, retried: 0 });

    const row = await outboxRow(tenant, id!);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, sentAt: null });
    expect(row.data).toEqual({ expires_at: expect.any(String) });
    clock.advance(24 * 60 * MINUTE);
    flaky.state.failing = false;
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(flaky.state.calls).toBe(3);
    const outcomes = logger.lines.map((line) => JSON.parse(line) as { outcome?: string }).map((line) => line.outcome);
    expect(outcomes).toEqual(['retry', 'retry', 'failed']);
  });

  it('fails a mail whose data no retry can fix, without sending it', async () => {
    const tenant = await brandedTenant();
    const dev = createDevMailTransport();
    const { worker, clock, logger } = workerFor([tenant], dev);
    const [unknown, noToken] = await queue(tenant, [
      { template: 'newsletter', data: { token: 'x' }, at: clock.now() },
      { template: 'invite', data: { invite_id: 'inv_1', expires_at: clock.now().toISOString() }, at: clock.now() },
    ]);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 2, retried: 0 });
    expect(dev.list()).toEqual([]);
    expect(await outboxRow(tenant, unknown!)).toMatchObject({ status: 'failed', attempts: 1, data: {} });
    expect(await outboxRow(tenant, noToken!)).toMatchObject({
      status: 'failed',
      attempts: 1,
      data: { invite_id: 'inv_1' },
    });
    const reasons = logger.lines.map((line) => JSON.parse(line) as { reason?: string }).map((line) => line.reason);
    expect(reasons).toEqual(expect.arrayContaining(['unknown template "newsletter"', 'invite: invalid data (token)']));
  });

  it('retries, rather than fails, a mail whose rendering hit an unexpected error', async () => {
    const tenant = await brandedTenant();
    const dev = createDevMailTransport();
    const { worker, clock, logger } = workerFor([tenant], dev, {
      linkBaseUrl: () => {
        throw new TypeError('settings store unavailable');
      },
    });
    const [id] = await queue(tenant, [{ template: 'magic_link', data: { token: 'bugTOKEN' }, at: clock.now() }]);
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(await outboxRow(tenant, id!)).toMatchObject({ status: 'pending', attempts: 1, data: { token: 'bugTOKEN' } });
    expect(JSON.parse(logger.lines[0]!)).toMatchObject({
      outcome: 'retry',
      reason: 'render failed: TypeError: settings store unavailable',
    });
  });

  it('leaves a mail in `sending` alone while its lease runs, sends it again after, and fences out the stale worker', async () => {
    const tenant = await brandedTenant();
    // Worker A's transport never answers until told: a worker stuck (or dead) mid-send.
    let release!: () => void;
    const stuck: MailTransport = {
      send: () => new Promise((resolve) => (release = () => resolve({ messageId: '<stuck@example.org>' }))),
    };
    const a = workerFor([tenant], stuck);
    const dev = createDevMailTransport();
    const b = workerFor([tenant], dev);
    b.clock.set(a.clock.now());
    const [id] = await queue(tenant, [{ template: 'magic_link', data: { token: 'leaseTOKEN' }, at: a.clock.now() }]);

    const runA = a.worker.runOnce();
    await expect.poll(async () => (await outboxRow(tenant, id!)).status).toBe('sending');
    expect(await b.worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    b.clock.advance(14 * MINUTE);
    expect(await b.worker.runOnce()).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(dev.list()).toHaveLength(0);

    b.clock.advance(2 * MINUTE);
    expect(await b.worker.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await outboxRow(tenant, id!)).toMatchObject({ status: 'sent', attempts: 2, sentAt: b.clock.now() });
    expect(b.logger.lines.some((line) => line.includes('mail lease expired'))).toBe(true);

    // A finally returns: its outcome must not overwrite B's.
    release();
    await runA;
    expect(await outboxRow(tenant, id!)).toMatchObject({ status: 'sent', attempts: 2, sentAt: b.clock.now() });
    expect(a.logger.lines.map((line) => JSON.parse(line) as { outcome: string }).map((line) => line.outcome)).toEqual([
      'sent_lease_lost',
    ]);
  });

  it('does not resend a mail whose lease ran out on its last attempt; it fails it', async () => {
    const tenant = await brandedTenant();
    const dev = createDevMailTransport();
    const { worker, clock } = workerFor([tenant], dev, { maxAttempts: 2 });
    const [id] = await queue(tenant, [{ template: 'magic_link', data: { token: 'lastTOKEN' }, at: clock.now() }]);
    await t.db.withTenant(tenant.id, (tx) =>
      tx
        .update(mailOutbox)
        .set({ status: 'sending', attempts: 2 })
        .where(and(eq(mailOutbox.tenantId, tenant.id), eq(mailOutbox.id, id!))),
    );
    expect(await worker.runOnce()).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(dev.list()).toEqual([]);
    expect(await outboxRow(tenant, id!)).toMatchObject({ status: 'failed', attempts: 3, data: {} });
  });

  it('never sends a row twice when several workers run at once', async () => {
    const tenant = await brandedTenant();
    const sends: string[] = [];
    const slow: MailTransport = {
      async send(message: MailMessage) {
        // Long enough for the workers' claims to interleave.
        await new Promise((resolve) => setTimeout(resolve, 5));
        sends.push(headerValue(message.headers, 'x-memberkit-mail-id')!);
        return { messageId: `<${sends.length}@example.org>` };
      },
    };
    const workers = Array.from({ length: 4 }, () => workerFor([tenant], slow, { batchSize: 5, concurrency: 2 }));
    const ids = await queue(
      tenant,
      Array.from({ length: 40 }, (_, i) => ({
        template: 'magic_link',
        data: { token: `T${i}` },
        to: `m${i}@example.org`,
        at: workers[0]!.clock.now(),
      })),
    );

    const drain = async (worker: (typeof workers)[number]['worker']) => {
      let sent = 0;
      for (;;) {
        const result = await worker.runOnce();
        if (result.sent + result.failed + result.retried === 0) return sent;
        sent += result.sent;
      }
    };
    const perWorker = await Promise.all(workers.map(({ worker }) => drain(worker)));

    expect(perWorker.reduce((sum, n) => sum + n, 0)).toBe(40);
    expect(sends).toHaveLength(40);
    expect(new Set(sends)).toEqual(new Set(ids));
    const rows = await outbox(tenant);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });

  it('logs one line per mail with its ids and outcome, never the address, the token or the body', async () => {
    const tenant = await brandedTenant();
    const dev = createDevMailTransport();
    const { worker, clock, logger } = workerFor([tenant], dev);
    const [id] = await queue(tenant, [
      {
        template: 'verify_email',
        data: { token: 'logTOKEN', code: '987654' },
        to: 'private@example.org',
        at: clock.now(),
      },
    ]);
    await worker.runOnce();

    expect(logger.lines).toHaveLength(1);
    const line = JSON.parse(logger.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      msg: 'mail delivery',
      mail_id: id,
      tenant_id: tenant.id,
      template: 'verify_email',
      outcome: 'sent',
      attempt: 1,
    });
    expect(line.message_id).toBe(dev.list()[0]!.messageId);
    for (const secret of ['logTOKEN', '987654', 'private@example.org', 'Confirm your email'])
      expect(logger.lines[0]).not.toContain(secret);
  });

  it('claims only the tenants it is confined to', async () => {
    const mine = await brandedTenant();
    const other = await brandedTenant();
    const dev = createDevMailTransport();
    const { worker, clock } = workerFor([mine], dev);
    await queue(mine, [{ template: 'magic_link', data: { token: 'a' }, at: clock.now() }]);
    const [theirs] = await queue(other, [{ template: 'magic_link', data: { token: 'b' }, at: clock.now() }]);
    expect(await worker.runOnce()).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await outboxRow(other, theirs!)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('delivers in the background between start() and stop()', async () => {
    const tenant = await brandedTenant();
    const dev = createDevMailTransport();
    const { worker, clock } = workerFor([tenant], dev);
    worker.start(20);
    try {
      await queue(tenant, [{ template: 'magic_link', data: { token: 'bgTOKEN' }, at: clock.now() }]);
      await expect.poll(() => dev.list().length, { timeout: 10_000 }).toBe(1);
    } finally {
      await worker.stop();
    }
    await queue(tenant, [{ template: 'magic_link', data: { token: 'afterStop' }, at: clock.now() }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dev.list()).toHaveLength(1);
  });

  it('refuses settings that cannot work', () => {
    const base = {
      db: t.db,
      transport: createDevMailTransport(),
      clock: createManualClock(),
      logger: createMemoryLogger(),
      from: 'x@example.org',
    };
    expect(() => createMailDeliveryWorker({ ...base, linkBaseUrl: 'members.example.org' })).toThrow(/linkBaseUrl/);
    expect(() => createMailDeliveryWorker({ ...base, linkBaseUrl: LINK_BASE, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => createMailDeliveryWorker({ ...base, linkBaseUrl: LINK_BASE, retryDelaysMs: [] })).toThrow(
      /retryDelaysMs/,
    );
  });
});
