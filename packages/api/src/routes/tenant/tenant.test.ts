import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/index.js';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('GET /v1/tenant', () => {
  it("returns the settings of the key's own tenant with default branding", async () => {
    const tenant = await t.createTenant('Chess Club');
    const res = await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: tenant.id,
      object: 'tenant',
      name: 'Chess Club',
      slug: tenant.slug,
      branding: { color_primary: '#4f46e5', radius: 8, dark_mode: 'auto', logo_url: null },
      locale: { default: 'en', supported: ['en'] },
      allowed_origins: [],
      time_zone: 'UTC',
    });
  });

  it('lets a viewer key read', async () => {
    const tenant = await t.createTenant();
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expect((await t.request('GET', '/v1/tenant', { key: viewer.key })).status).toBe(200);
  });

  it('refuses publishable keys with 403 and no key with 401', async () => {
    const tenant = await t.createTenant();
    expectProblem(await t.request('GET', '/v1/tenant', { key: tenant.publishable_key }), 403, 'PERMISSION_DENIED');
    const none = expectProblem(await t.request('GET', '/v1/tenant'), 401, 'UNAUTHENTICATED');
    expect(none.detail).toMatch(/Bearer/);
  });
});

describe('PATCH /v1/tenant', () => {
  it('updates name, branding key by key, locales and allowed origins', async () => {
    const tenant = await t.createTenant();
    const res = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: {
        name: 'Renamed',
        branding: {
          color_primary: '#112233',
          font_family: 'Inter, sans-serif',
          radius: 12,
          logo_url: 'https://cdn.example.org/logo.svg',
          dark_mode: 'dark',
        },
        locale: { default: 'de', supported: ['de', 'en'] },
        allowed_origins: ['https://www.example.org', 'http://localhost:3000'],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Renamed',
      branding: {
        color_primary: '#112233',
        color_text: '#111827',
        font_family: 'Inter, sans-serif',
        radius: 12,
        dark_mode: 'dark',
      },
      locale: { default: 'de', supported: ['de', 'en'] },
      allowed_origins: ['https://www.example.org', 'http://localhost:3000'],
    });

    const partial = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { branding: { color_text: '#000000', radius: null } },
    });
    expect(partial.body.branding).toMatchObject({ color_primary: '#112233', color_text: '#000000', radius: 8 });
    expect(partial.body.name).toBe('Renamed');
    const read = await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
    expect(read.body).toEqual(partial.body);
  });

  it.each([
    [{ branding: { color_primary: 'red' } }, 'branding.color_primary'],
    [{ branding: { font_family: 'x;} body{display:none' } }, 'branding.font_family'],
    [{ branding: { radius: 100 } }, 'branding.radius'],
    [{ branding: { logo_url: 'javascript:alert(1)' } }, 'branding.logo_url'],
    [{ branding: { logo_url: 'http://example.org/logo.png' } }, 'branding.logo_url'],
    [{ branding: { dark_mode: 'sometimes' } }, 'branding.dark_mode'],
    [{ allowed_origins: ['https://example.org/path'] }, 'allowed_origins.0'],
    [{ allowed_origins: ['example.org'] }, 'allowed_origins.0'],
    [{ locale: { default: 'english' } }, 'locale.default'],
    [{ locale: { default: 'fr' } }, 'locale.default'],
    [{ name: '   ' }, 'name'],
    [{ time_zone: 'Mars/Olympus_Mons' }, 'time_zone'],
    [{ time_zone: 'CEST' }, 'time_zone'],
    [{ time_zone: '' }, 'time_zone'],
    [{ time_zone: 'Europe/Berlin', name: '' }, 'name'],
    [{ slug: 'cannot-change' }, 'slug'],
    [{ id: 'tnt_other' }, 'id'],
  ])('rejects %j with 422 naming %s and changes nothing', async (body, field) => {
    const tenant = await t.createTenant();
    const before = await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
    const res = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body).toEqual(before.body);
  });

  it('stores SQL-looking text verbatim', async () => {
    const tenant = await t.createTenant();
    const name = "Robert'); DROP TABLE tenants; --";
    const res = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { name } });
    expect(res.status).toBe(200);
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.name).toBe(name);
  });

  it('refuses manager and viewer keys with 403 naming tenant:update', async () => {
    const tenant = await t.createTenant();
    for (const role of ['manager', 'viewer']) {
      const key = await t.createKey(tenant.secret_key, { kind: 'secret', role });
      const problem = expectProblem(
        await t.request('PATCH', '/v1/tenant', { key: key.key, body: { name: 'Nope' } }),
        403,
        'PERMISSION_DENIED',
      );
      expect(problem.detail).toContain('tenant:update');
    }
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.name).toBe('Test Tenant');
  });
});

describe('time zone', () => {
  it('is set by PATCH, read back by GET, and stored in the canonical spelling', async () => {
    const tenant = await t.createTenant();
    const set = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { time_zone: 'Pacific/Auckland' },
    });
    expect(set.status).toBe(200);
    expect(set.body.time_zone).toBe('Pacific/Auckland');
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.time_zone).toBe('Pacific/Auckland');

    const lower = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { time_zone: 'europe/berlin' },
    });
    expect(lower.body.time_zone).toBe('Europe/Berlin');
    const utc = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: 'UTC' } });
    expect(utc.body.time_zone).toBe('UTC');
    // Other settings are left as they were.
    expect(utc.body.name).toBe('Test Tenant');
  });

  it('names the unknown zone in the 422 and keeps the old one', async () => {
    const tenant = await t.createTenant();
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: 'America/Los_Angeles' } });
    const problem = expectProblem(
      await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: 'Europe/Atlantis' } }),
      422,
      'VALIDATION_FAILED',
    );
    expect(problem.errors).toEqual([{ field: 'time_zone', message: expect.stringContaining('Europe/Atlantis') }]);
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.time_zone).toBe(
      'America/Los_Angeles',
    );
  });

  it('is audited like the other settings', async () => {
    const tenant = await t.createTenant();
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: 'Europe/Berlin' } });
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: 'Europe/Berlin' } });
    const rows = await t.db.withTenant(tenant.id, (tx) => tx.select().from(auditLog));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.diff).toEqual({ time_zone: { from: 'UTC', to: 'Europe/Berlin' } });
  });
});

describe('audit of settings changes', () => {
  it('records what changed, and nothing for a no-op', async () => {
    const tenant = await t.createTenant();
    await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { name: 'Audited', branding: { color_primary: '#000000' } },
    });
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { name: 'Audited' } });
    const rows = await t.db.withTenant(tenant.id, (tx) => tx.select().from(auditLog));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'tenant.updated', actorType: 'api_key', targetId: tenant.id });
    expect(rows[0]!.diff).toMatchObject({ name: { from: 'Test Tenant', to: 'Audited' } });
  });
});

describe('sign-up settings', () => {
  it('lets the tenant turn sign-up and email verification on and off', async () => {
    const tenant = await t.createTenant();
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.auth).toEqual({
      require_email_verification: true,
      signup_enabled: true,
      magic_link_enabled: true,
    });
    const res = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { auth: { signup_enabled: false } },
    });
    expect(res.body.auth).toEqual({
      require_email_verification: true,
      signup_enabled: false,
      magic_link_enabled: true,
    });
    const signup = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: { email: 'no@example.org', password: 'a-long-password-1', first_name: 'N', last_name: 'O' },
    });
    expectProblem(signup, 403, 'SIGNUP_DISABLED');
  });
});

describe('analytics settings', () => {
  it('start at 13 months of retention and thresholds 20/5, and change field by field', async () => {
    const tenant = await t.createTenant();
    const read = await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
    expect(read.body.analytics).toEqual({
      activity_retention_months: 13,
      engagement_thresholds: { highly_active: 20, moderately_active: 5 },
    });
    const retention = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { analytics: { activity_retention_months: 24 } },
    });
    expect(retention.status).toBe(200);
    expect(retention.body.analytics).toEqual({
      activity_retention_months: 24,
      engagement_thresholds: { highly_active: 20, moderately_active: 5 },
    });
    const high = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { analytics: { engagement_thresholds: { highly_active: 12 } } },
    });
    expect(high.body.analytics.engagement_thresholds).toEqual({ highly_active: 12, moderately_active: 5 });
    const both = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { analytics: { engagement_thresholds: { highly_active: 3, moderately_active: 2 } } },
    });
    expect(both.body.analytics).toEqual({
      activity_retention_months: 24,
      engagement_thresholds: { highly_active: 3, moderately_active: 2 },
    });
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.analytics).toEqual(
      both.body.analytics,
    );
  });

  it.each([
    [{ activity_retention_months: 0 }, 'analytics.activity_retention_months'],
    [{ activity_retention_months: 121 }, 'analytics.activity_retention_months'],
    [{ activity_retention_months: 6.5 }, 'analytics.activity_retention_months'],
    [{ engagement_thresholds: { moderately_active: 0 } }, 'analytics.engagement_thresholds.moderately_active'],
    [{ engagement_thresholds: { highly_active: 5 } }, 'analytics.engagement_thresholds.highly_active'],
    [{ engagement_thresholds: { moderately_active: 20 } }, 'analytics.engagement_thresholds.highly_active'],
    [
      { engagement_thresholds: { highly_active: 4, moderately_active: 4 } },
      'analytics.engagement_thresholds.highly_active',
    ],
    [{ retention: 3 }, 'analytics.retention'],
  ])('refuses %j with 422 naming %s, changing nothing', async (analytics, field) => {
    const tenant = await t.createTenant();
    const res = await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { analytics } });
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect((await t.request('GET', '/v1/tenant', { key: tenant.secret_key })).body.analytics).toEqual({
      activity_retention_months: 13,
      engagement_thresholds: { highly_active: 20, moderately_active: 5 },
    });
  });

  it('is audited like the other settings, and refused to a viewer', async () => {
    const tenant = await t.createTenant();
    await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { analytics: { activity_retention_months: 6, engagement_thresholds: { highly_active: 30 } } },
    });
    const rows = await t.db.withTenant(tenant.id, (tx) => tx.select().from(auditLog));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.diff).toEqual({
      analytics: {
        from: { activity_retention_months: 13, engagement_thresholds: { highly_active: 20, moderately_active: 5 } },
        to: { activity_retention_months: 6, engagement_thresholds: { highly_active: 30, moderately_active: 5 } },
      },
    });
    const viewer = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
    expectProblem(
      await t.request('PATCH', '/v1/tenant', {
        key: viewer.key,
        body: { analytics: { activity_retention_months: 2 } },
      }),
      403,
      'PERMISSION_DENIED',
    );
  });
});
