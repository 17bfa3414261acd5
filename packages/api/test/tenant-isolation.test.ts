import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { executeRows } from '../src/db/database.js';
import { mailOutbox, tenants } from '../src/db/schema/index.js';
import { seedMemberInvoices } from '../src/testing/billing/portal-fixtures.js';
import { createNotifications } from '../src/services/notifications.js';
import {
  connectTestBilling,
  createTestContext,
  expectProblem,
  PLATFORM_KEY,
  startStripeDouble,
  type StripeDouble,
  type TestContext,
} from '../src/testing/index.js';

type Tenant = Awaited<ReturnType<TestContext['createTenant']>>;

let t: TestContext;
let stripe: StripeDouble;
let a: Tenant;
let b: Tenant;
/** Access token of a member of tenant A. */
let aMember: string;
/** Tenant B's connected Stripe account. */
let bAccount: string;
beforeAll(async () => {
  // Billing routes reach Stripe: both tenants are connected to the Stripe test double.
  stripe = await startStripeDouble();
  t = await createTestContext({ maxConnections: 4, billing: stripe.billingDeps() });
  a = await t.createTenant('Tenant A');
  b = await t.createTenant('Tenant B');
  await connectTestBilling(t, a, stripe);
  bAccount = await connectTestBilling(t, b, stripe);
  aMember = (await signUp(a)).access_token;
  // Every community feature on, so a cross-tenant attempt reaches the lookup instead of a disabled feature's 403.
  const community = { member_posts: true, member_messaging: true, presence_visibility: 'members' };
  for (const tenant of [a, b])
    await t.request('PATCH', '/v1/community/settings', { key: tenant.secret_key, body: community });
});

/** Signs a member up in a tenant that does not require verification; returns the session. */
async function signUp(tenant: Tenant): Promise<{ access_token: string; session_id: string }> {
  await t.db.withPlatform((tx) =>
    tx
      .update(tenants)
      .set({ authSettings: { require_email_verification: false } })
      .where(eq(tenants.id, tenant.id)),
  );
  const email = `iso-${Math.random().toString(36).slice(2)}@example.org`;
  const res = await t.request('POST', '/v1/auth/signup', {
    key: tenant.publishable_key,
    body: { email, password: 'isolation-password-1', first_name: 'Iso', last_name: 'Member' },
  });
  return res.body;
}
afterAll(async () => {
  await t.close();
  await stripe.close();
});

/**
 * For every route with an `{id}`: makes a resource in `owner` and returns its id.
 * A new route with an id fails the suite below until it is added here.
 */
const fixtures: Record<string, (owner: Tenant) => Promise<string>> = {
  '/v1/api-keys/{id}': async (owner) => (await t.createKey(owner.secret_key, { kind: 'secret', role: 'viewer' })).id,
  '/v1/members/{id}': async (owner) => (await createMember(owner)).id,
  '/v1/invites/{id}': async (owner) =>
    (
      await t.request('POST', '/v1/invites', {
        key: owner.secret_key,
        body: { email: `isolation-${crypto.randomUUID()}@example.org` },
      })
    ).body.id,
  '/v1/invites/{id}/resend': async (owner) =>
    (
      await t.request('POST', '/v1/invites', {
        key: owner.secret_key,
        body: { email: `isolation-${crypto.randomUUID()}@example.org` },
      })
    ).body.id,
  '/v1/me/sessions/{id}': async (owner) => (await signUp(owner)).session_id,
  '/v1/staff/{id}': async (owner) =>
    (
      await t.request('POST', '/v1/staff', {
        key: owner.secret_key,
        body: { email: `iso-${crypto.randomUUID()}@example.org`, name: 'Iso', role: 'viewer' },
      })
    ).body.id,
  '/v1/staff/{id}/sessions': async (owner) =>
    (
      await t.request('POST', '/v1/staff', {
        key: owner.secret_key,
        body: { email: `iso-${crypto.randomUUID()}@example.org`, name: 'Iso', role: 'viewer' },
      })
    ).body.id,
  '/v1/staff/{id}/transfer-ownership': async (owner) =>
    (
      await t.request('POST', '/v1/staff', {
        key: owner.secret_key,
        body: { email: `iso-${crypto.randomUUID()}@example.org`, name: 'Iso', role: 'viewer' },
      })
    ).body.id,
  '/v1/tenant/oidc-providers/{id}': async (owner) =>
    (
      await t.request('POST', '/v1/tenant/oidc-providers', {
        key: owner.secret_key,
        body: { name: 'Isolation', issuer: 'https://idp.example.org', client_id: 'iso' },
      })
    ).body.id,
  '/v1/tiers/{id}': async (owner) =>
    (await t.request('POST', '/v1/tiers', { key: owner.secret_key, body: { name: 'Tenant B tier', interval: 'free' } }))
      .body.id,
  '/v1/members/{id}/erase': async (owner) => (await createMember(owner)).id,
  '/v1/reports/{id}': (owner) => createReport(owner),
  '/v1/reports/{id}/result': (owner) => createReport(owner),
  '/v1/reports/{id}/result.csv': (owner) => createReport(owner),
  '/v1/members/{id}/activity': async (owner) => (await createMember(owner)).id,
  '/v1/analytics/members/{id}/engagement': async (owner) => (await createMember(owner)).id,
  '/v1/tiers/{id}/migrate-subscribers': (owner) => createPaidTier(owner),
  '/v1/tiers/{id}/metered-prices': (owner) => createPaidTier(owner),
  '/v1/tiers/{id}/metered-prices/{feature_id}': (owner) => createPaidTier(owner),
  '/v1/billing/features/{id}': (owner) => createFeature(owner),
  '/v1/members/{id}/billing': async (owner) => (await createMember(owner)).id,
  '/v1/members/{id}/billing/comp': async (owner) => (await createMember(owner)).id,
  '/v1/billing/subscriptions/{id}/cancel': async (owner) => (await createComp(owner)).id,
  '/v1/billing/invoices/{id}/refund': async (owner) => {
    const [invoice] = await seedMemberInvoices(t.deps, owner.id, (await createMember(owner)).id, 1);
    return invoice!;
  },
  // A card of a tenant B customer, attached in B's Stripe account.
  '/v1/me/billing/payment-methods/{id}': () => createForeignCard(),
  '/v1/me/billing/payment-methods/{id}/default': () => createForeignCard(),
  '/v1/me/notifications/{id}': (owner) => createNotification(owner),
  '/v1/me/notifications/{id}/read': (owner) => createNotification(owner),
  '/v1/notifications/batches/{id}': (owner) => createNotificationBatch(owner),
  '/v1/notifications/batches/{id}/cancel': (owner) => createNotificationBatch(owner),
  '/v1/feed/posts/{id}': (owner) => createPost(owner),
  '/v1/feed/posts/{id}/comments': (owner) => createPost(owner),
  '/v1/feed/posts/{id}/reactions/{reaction}': (owner) => createPost(owner),
  '/v1/feed/comments/{id}': async (owner) => {
    const post = await createPost(owner);
    return (await t.request('POST', `/v1/feed/posts/${post}/comments`, { key: owner.secret_key, body: { body: 'B' } }))
      .body.id;
  },
  '/v1/content-reports/{id}/resolve': async (owner) => {
    const post = await createPost(owner);
    const reporter = await signUp(owner);
    const body = { target_type: 'post', target_id: post, reason: 'Tenant B report' };
    return (await t.request('POST', '/v1/content-reports', { key: reporter.access_token, body })).body.id;
  },
  '/v1/conversations/{id}': async (owner) => (await createConversation(owner)).id,
  '/v1/conversations/{id}/participants': async (owner) => (await createConversation(owner)).id,
  '/v1/conversations/{id}/participants/{member_id}': async (owner) => (await createConversation(owner)).id,
  '/v1/conversations/{id}/messages': async (owner) => (await createConversation(owner)).id,
  '/v1/conversations/{id}/messages/{message_id}': async (owner) => (await createConversation(owner)).id,
  '/v1/conversations/{id}/read': async (owner) => (await createConversation(owner)).id,
  '/v1/conversations/{id}/typing': async (owner) => (await createConversation(owner)).id,
  '/v1/members/{id}/restore': async (owner) => {
    const member = await createMember(owner);
    await t.request('DELETE', `/v1/members/${member.id}`, { key: owner.secret_key });
    return member.id;
  },
};

async function createPaidTier(owner: Tenant): Promise<string> {
  const body = { name: 'Tenant B paid tier', interval: 'month', price: { amount: 900, currency: 'eur' } };
  return (await t.request('POST', '/v1/tiers', { key: owner.secret_key, body })).body.id;
}

async function createFeature(owner: Tenant): Promise<string> {
  const body = { key: `iso_${crypto.randomUUID().slice(0, 8)}`, name: 'Tenant B hours' };
  return (await t.request('POST', '/v1/billing/features', { key: owner.secret_key, body })).body.id;
}

async function createComp(owner: Tenant): Promise<{ id: string }> {
  const member = await createMember(owner);
  const tier = await t.request('POST', '/v1/tiers', {
    key: owner.secret_key,
    body: { name: 'Tenant B comp tier', interval: 'free' },
  });
  const body = { tier_id: tier.body.id, ends_at: new Date(Date.now() + 30 * 86_400_000).toISOString() };
  return (await t.request('POST', `/v1/members/${member.id}/billing/comp`, { key: owner.secret_key, body })).body;
}

async function createForeignCard(): Promise<string> {
  const client = stripe.client();
  const customer = await client.customers.create({ email: 'b@example.org' }, { stripeAccount: bAccount });
  const card = await client.paymentMethods.attach(
    'pm_card_visa',
    { customer: customer.id },
    { stripeAccount: bAccount },
  );
  return card.id;
}

async function createReport(owner: Tenant): Promise<string> {
  const body = { name: 'Tenant B report', spec: { metric: 'members', dimensions: ['status'], range: 'last_7_days' } };
  return (await t.request('POST', '/v1/reports', { key: owner.secret_key, body })).body.id;
}

/** A notification to a member of `owner`, as the platform makes them. */
async function createNotification(owner: Tenant): Promise<string> {
  const member = await createMember(owner);
  const [row] = await t.db.withTenant(owner.id, (tx) =>
    createNotifications(t.deps, tx, owner.id, [{ memberId: member.id, type: 'custom', title: 'Tenant B notice' }]),
  );
  return row!.id;
}

async function createNotificationBatch(owner: Tenant): Promise<string> {
  const body = { audience: { everyone: true }, title: 'Tenant B news' };
  return (await t.request('POST', '/v1/notifications', { key: owner.secret_key, body })).body.id;
}

async function createPost(owner: Tenant): Promise<string> {
  const body = { title: 'Tenant B news', body: 'Only for tenant B.' };
  return (await t.request('POST', '/v1/feed/posts', { key: owner.secret_key, body })).body.id;
}

/** A support conversation a member of `owner` opened, with its first message. */
async function createConversation(owner: Tenant): Promise<{ id: string; messageId: string; memberId: string }> {
  const member = await signUp(owner);
  const opened = await t.request('POST', '/v1/conversations', {
    key: member.access_token,
    body: { kind: 'support', title: 'Tenant B question', body: 'Hello from tenant B' },
  });
  const messages = await t.request('GET', `/v1/conversations/${opened.body.id}/messages`, {
    key: member.access_token,
  });
  return { id: opened.body.id, messageId: messages.body.data[0].id, memberId: messages.body.data[0].sender.id };
}

async function createMember(owner: Tenant): Promise<{ id: string }> {
  const email = `iso-${Math.random().toString(36).slice(2)}@example.org`;
  return (
    await t.request('POST', '/v1/members', {
      key: owner.secret_key,
      body: { email, first_name: 'Iso', last_name: 'Lated' },
    })
  ).body;
}

interface Operation {
  method: string;
  path: string;
  security: string;
  /** Every scheme the operation accepts (an operation may take several kinds, e.g. a secret key or a member token). */
  schemes: string[];
}

async function operations(): Promise<Operation[]> {
  const doc = (await t.request('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      security: Object.keys(op.security?.[0] ?? {})[0] ?? 'none',
      schemes: (op.security ?? []).flatMap((s) => Object.keys(s)),
    })),
  );
}

const sample: Record<string, unknown> = {
  POST: { kind: 'secret', role: 'viewer', name: 'x', slug: 'x' },
  PATCH: { name: 'x' },
};
/** Valid PATCH bodies per route, so a cross-tenant attempt reaches the lookup (404) instead of validation (422). */
const patchBodies: Record<string, unknown> = {
  '/v1/members/{id}': { first_name: 'Hijacked' },
  '/v1/tiers/{id}': { name: 'Hijacked' },
  '/v1/staff/{id}': { role: 'admin' },
  '/v1/feed/posts/{id}': { body: 'Hijacked' },
  '/v1/feed/comments/{id}': { body: 'Hijacked' },
  '/v1/conversations/{id}': { title: 'Hijacked' },
  '/v1/conversations/{id}/messages/{message_id}': { body: 'Hijacked' },
};
/** Valid bodies of other methods per route, for the same reason. */
const bodies: Record<string, unknown> = {
  'POST /v1/tiers/{id}/migrate-subscribers': { proration_behavior: 'none' },
  'POST /v1/feed/posts/{id}/comments': { body: 'Hijacked' },
  'POST /v1/content-reports/{id}/resolve': { action: 'dismiss' },
  'POST /v1/conversations/{id}/messages': { body: 'Hijacked' },
  'POST /v1/conversations/{id}/participants': { member_id: 'mem_00000000000000000000000000' },
  'POST /v1/conversations/{id}/read': { message_id: 'msg_00000000000000000000000000' },
  'POST /v1/members/{id}/billing/comp': {
    tier_id: 'tier_00000000000000000000000000',
    ends_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  },
  'PUT /v1/tiers/{id}/metered-prices/{feature_id}': {
    interval: 'month',
    included_units: 0,
    steps: [{ up_to: null, unit_amount: 100 }],
  },
};

describe('the shared security suite over every route in the OpenAPI document', () => {
  it('answers 401 without a credential, 401 with a revoked one and 403 with the wrong kind', async () => {
    const revoked = await t.createKey(a.secret_key, { kind: 'secret', role: 'admin' });
    await t.request('DELETE', `/v1/api-keys/${revoked.id}`, { key: a.secret_key });
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(6);
    for (const op of ops.filter((o) => o.security !== 'none')) {
      const path = op.path.replace('{id}', 'key_00000000000000000000000000');
      const body = sample[op.method];
      const label = `${op.method} ${op.path}`;
      expect((await t.request(op.method, path, { body })).status, label).toBe(401);
      expect((await t.request(op.method, path, { key: revoked.key, body })).status, label).toBe(401);
      const wrongKinds = {
        platformKey: [a.secret_key, a.publishable_key],
        secretKey: [PLATFORM_KEY, a.publishable_key, aMember],
        publishableKey: [PLATFORM_KEY, a.secret_key],
        memberToken: [PLATFORM_KEY, a.secret_key, a.publishable_key],
        staffToken: [PLATFORM_KEY, a.secret_key, a.publishable_key, aMember],
      }[op.security];
      expect(wrongKinds, `no wrong-kind list for ${op.security}`).toBeDefined();
      // A kind the operation also accepts (POST /v1/activity takes member tokens too) is not a wrong one.
      const kindOf: Record<string, string> = {
        [PLATFORM_KEY]: 'platformKey',
        [a.secret_key]: 'secretKey',
        [a.publishable_key]: 'publishableKey',
        [aMember]: 'memberToken',
      };
      const accepted = (key: string) => op.schemes.includes(kindOf[key] ?? '');
      for (const key of wrongKinds!.filter((k) => !accepted(k)))
        expectProblem(await t.request(op.method, path, { key, body }), 403, 'PERMISSION_DENIED');
    }
  });

  it("answers 404 for another tenant's id on every route that takes one, and changes nothing", async () => {
    // Platform routes take a tenant's id on purpose: the operator acts on every tenant.
    const ops = (await operations()).filter((o) => o.path.includes('{id}') && o.security !== 'platformKey');
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      const make = fixtures[op.path];
      expect(make, `no cross-tenant fixture for ${op.path}`).toBeDefined();
      const foreignId = await make!(b);
      // A fixture that failed to create would make the 404 below meaningless.
      expect(foreignId, `fixture of ${op.path}`).toMatch(/^[a-z]+_[A-Za-z0-9]+$/);
      const body =
        bodies[`${op.method} ${op.path}`] ??
        (op.method === 'PATCH' ? (patchBodies[op.path] ?? sample.PATCH) : sample[op.method]);
      const key = op.security === 'memberToken' ? aMember : a.secret_key;
      // A second id in the path (a tier's metered price of a feature, a message, a participant) is tenant B's too.
      let path = op.path.includes('{feature_id}') ? op.path.replace('{feature_id}', await createFeature(b)) : op.path;
      if (path.includes('{message_id}') || path.includes('{member_id}')) {
        const other = await createConversation(b);
        path = path.replace('{message_id}', other.messageId).replace('{member_id}', other.memberId);
      }
      path = path.replace('{reaction}', 'like');
      const res = await t.request(op.method, path.replace('{id}', foreignId), { key, body });
      expectProblem(res, 404);
      expect(res.text).not.toContain('Tenant B');
    }
    const bKeys = await t.request('GET', '/v1/api-keys?limit=100', { key: b.secret_key });
    expect(bKeys.body.data.every((k: { revoked_at: string | null }) => k.revoked_at === null)).toBe(true);
  });

  it("never lists another tenant's keys", async () => {
    const aKeys = await t.request('GET', '/v1/api-keys?limit=100', { key: a.secret_key });
    const bKeys = await t.request('GET', '/v1/api-keys?limit=100', { key: b.secret_key });
    const aIds = new Set(aKeys.body.data.map((k: { id: string }) => k.id));
    expect(bKeys.body.data.some((k: { id: string }) => aIds.has(k.id))).toBe(false);
  });
});

describe('roles on every staff endpoint', () => {
  it('refuses every write to a viewer, whether secret key or staff user, naming the permission', async () => {
    const viewerKey = (await t.createKey(a.secret_key, { kind: 'secret', role: 'viewer' })).key;
    const email = `viewer-${crypto.randomUUID()}@example.org`;
    await t.request('POST', '/v1/staff', { key: a.secret_key, body: { email, name: 'Viewer', role: 'viewer' } });
    const [mail] = await t.db.withTenant(a.id, (tx) =>
      tx.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)),
    );
    const accepted = await t.request('POST', '/v1/auth/staff/accept-invite', {
      key: a.publishable_key,
      body: { token: mail!.data.token, password: 'viewer-password-1' },
    });
    const viewerStaff = accepted.body.access_token as string;
    // POSTs that only read (a report query carries its spec in the body) are open to viewers.
    const readingPosts = new Set(['POST /v1/reports/query']);
    const writes = (await operations()).filter(
      (o) => o.security === 'secretKey' && o.method !== 'GET' && !readingPosts.has(`${o.method} ${o.path}`),
    );
    expect(writes.length).toBeGreaterThan(15);
    for (const op of writes) {
      const path = op.path.replace('{id}', 'x_00000000000000000000000000');
      for (const key of [viewerKey, viewerStaff]) {
        const problem = expectProblem(
          await t.request(op.method, path, { key, body: sample[op.method] }),
          403,
          'PERMISSION_DENIED',
        );
        expect(problem.detail, `${op.method} ${op.path}`).toMatch(/lacks the permission [a-z_]+:[a-z]+/);
      }
    }
  });
});

describe('isolation under concurrency', () => {
  it('answers 200 requests in flight, alternating tenants over a 4-connection pool, each from its own tenant', async () => {
    const jobs = Array.from({ length: 200 }, (_, i) => {
      const tenant = i % 2 === 0 ? a : b;
      if (i % 10 === 5) {
        return t
          .request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { branding: { radius: i % 40 } } })
          .then((res) => ({ tenant, res }));
      }
      return (
        i % 3 === 0
          ? t.request('GET', '/v1/api-keys', { key: tenant.secret_key })
          : t.request('GET', '/v1/tenant', { key: tenant.secret_key })
      ).then((res) => ({ tenant, res }));
    });
    const results = await Promise.all(jobs);
    let wrong = 0;
    for (const { tenant, res } of results) {
      expect(res.status).toBe(200);
      if (res.body.object === 'tenant' && res.body.id !== tenant.id) wrong++;
      if (res.body.object === 'list') {
        const own = await t.request('GET', '/v1/api-keys?limit=100', { key: tenant.secret_key });
        const ownIds = new Set(own.body.data.map((k: { id: string }) => k.id));
        if (!res.body.data.every((k: { id: string }) => ownIds.has(k.id))) wrong++;
      }
    }
    expect(wrong).toBe(0);
    expect((await t.request('GET', '/v1/tenant', { key: a.secret_key })).body.name).toBe('Tenant A');
    expect((await t.request('GET', '/v1/tenant', { key: b.secret_key })).body.name).toBe('Tenant B');
  });
});

describe('row-level security as the second wall', () => {
  it('shows a tenant transaction only its own rows even without a WHERE clause', async () => {
    const rows = await t.db.withTenant(a.id, (tx) =>
      executeRows<{ tenant_id: string }>(tx.execute(sql`select tenant_id from api_keys`)),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tenant_id === a.id)).toBe(true);
    const tenants = await t.db.withTenant(a.id, (tx) =>
      executeRows<{ id: string }>(tx.execute(sql`select id from tenants`)),
    );
    expect(tenants.map((r) => r.id)).toEqual([a.id]);
  });

  it('refuses to write a row for another tenant', async () => {
    await expect(
      t.db.withTenant(a.id, (tx) =>
        tx.execute(
          sql`insert into tiers (tenant_id, id, name, interval) values (${b.id}, 'tier_x', 'Smuggled', 'free')`,
        ),
      ),
    ).rejects.toSatisfy((error: Error) =>
      /row-level security/.test(String((error.cause as Error | undefined)?.message ?? error.message)),
    );
    const bTiers = await t.db.withTenant(b.id, (tx) =>
      executeRows(tx.execute(sql`select id from tiers where id = 'tier_x'`)),
    );
    expect(bTiers).toHaveLength(0);
  });

  it('gives the platform role no access to tenant-owned tables', async () => {
    const rows = await t.db.withPlatform((tx) => executeRows(tx.execute(sql`select id from api_keys`)));
    expect(rows).toHaveLength(0);
  });

  it.runIf(inject('databaseUrl') !== null)(
    'fails closed on a pooled connection once the tenant transaction is over',
    async () => {
      const client = new pg.Client({ connectionString: inject('databaseUrl')! });
      await client.connect();
      try {
        await client.query('begin');
        await client.query("select set_config('role', 'memberkit_app', true), set_config('app.tenant_id', $1, true)", [
          a.id,
        ]);
        expect((await client.query('select count(*)::int as n from api_keys')).rows[0].n).toBeGreaterThan(0);
        await client.query('commit');
        await client.query('begin');
        await client.query("select set_config('role', 'memberkit_app', true)");
        const { rows } = await client.query('select count(*)::int as n from api_keys');
        expect(rows[0].n).toBe(0);
        await client.query('commit');
      } finally {
        await client.end();
      }
    },
  );
});
