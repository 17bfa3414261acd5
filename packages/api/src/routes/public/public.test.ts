import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';
import { defineFields, insertMembers, insertTier } from '../../../test/support/seed.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('GET /v1/public/config', () => {
  it('gives a browser what the tenant shows the public, and nothing staff-only', async () => {
    const tenant = await t.createTenant('Rowing Club');
    await defineFields(t, tenant.id, [
      { key: 'club', label: { en: 'Club', de: 'Verein' }, visibility: 'public', memberEditable: true, required: true },
      { key: 'phone', visibility: 'members', memberEditable: true },
      { key: 'notes', visibility: 'staff' },
    ]);
    const free = await insertTier(t, tenant.id, { name: 'Free' });
    const full = await insertTier(t, tenant.id, { name: 'Small', capacity: 1 });
    await insertTier(t, tenant.id, { name: 'Old', archived: true });
    await insertMembers(t, tenant.id, 1, () => ({ tierId: full }));
    const patched = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: {
        branding: { color_primary: '#0f766e', logo_url: 'https://rowing.example/logo.svg' },
        locale: { default: 'de', supported: ['de', 'en'] },
        auth: { magic_link_enabled: false },
        directory: { enabled: true },
        consent: { required: true, terms_url: 'https://rowing.example/terms' },
        strings: { de: { 'signup.title': 'Mitglied werden' } },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      directory: { enabled: true },
      consent: { required: true, privacy_url: null },
      auth: { magic_link_enabled: false },
    });

    const res = await t.request('GET', '/v1/public/config', { key: tenant.publishable_key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'public_config',
      tenant: { id: tenant.id, name: 'Rowing Club', logo_url: 'https://rowing.example/logo.svg' },
      branding: { color_primary: '#0f766e', radius: 8 },
      locale: { default: 'de', supported: ['de', 'en'] },
      auth: {
        signup_enabled: true,
        require_email_verification: true,
        password: true,
        magic_link: false,
        oidc_providers: [],
      },
      directory: { enabled: true },
      consent: { required: true, terms_url: 'https://rowing.example/terms', privacy_url: null },
      strings: { de: { 'signup.title': 'Mitglied werden' } },
    });
    expect(res.body.fields.map((f: { key: string }) => f.key)).toEqual(['club', 'phone']);
    expect(res.body.fields[0]).toEqual({
      key: 'club',
      label: { en: 'Club', de: 'Verein' },
      type: 'text',
      options: [],
      required: true,
      visibility: 'public',
      member_editable: true,
    });
    expect(res.body.tiers).toEqual([
      expect.objectContaining({ id: free, name: 'Free', free: true, available: true }),
      expect.objectContaining({ id: full, name: 'Small', free: true, available: false }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('allowed_origins');
  });

  it('answers 304 to a matching If-None-Match, and a new ETag once the tenant changes', async () => {
    const tenant = await t.createTenant();
    const first = await t.request('GET', '/v1/public/config', { key: tenant.publishable_key });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await t.request('GET', '/v1/public/config', {
      key: tenant.publishable_key,
      headers: { 'If-None-Match': etag },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { name: 'Renamed' } });
    const changed = await t.request('GET', '/v1/public/config', {
      key: tenant.publishable_key,
      headers: { 'If-None-Match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.tenant.name).toBe('Renamed');
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('takes only a publishable key', async () => {
    const tenant = await t.createTenant();
    expectProblem(await t.request('GET', '/v1/public/config'), 401);
    expectProblem(await t.request('GET', '/v1/public/config', { key: tenant.secret_key }), 403);
  });

  it('refuses bad settings with the field named, and changes nothing', async () => {
    const tenant = await t.createTenant();
    const bad = await t.request('PATCH', '/v1/tenant', {
      key: tenant.secret_key,
      body: { consent: { terms_url: 'javascript:alert(1)' }, strings: { en: { 'Bad Key!': 'x' } } },
    });
    expectProblem(bad, 422);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([expect.stringContaining('consent.terms_url'), expect.stringContaining('strings')]),
    );
    const res = await t.request('GET', '/v1/tenant', { key: tenant.secret_key });
    expect(res.body.consent).toEqual({ required: false, terms_url: null, privacy_url: null });
    expect(res.body.strings).toEqual({});
  });

  it('replaces string overrides per locale and clears a locale given as {}', async () => {
    const tenant = await t.createTenant();
    const patch = (strings: unknown) => t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { strings } });
    await patch({ en: { 'a.b': 'A' }, de: { 'a.b': 'Ä' } });
    expect((await patch({ en: { 'c.d': 'C' } })).body.strings).toEqual({ en: { 'c.d': 'C' }, de: { 'a.b': 'Ä' } });
    expect((await patch({ de: {} })).body.strings).toEqual({ en: { 'c.d': 'C' } });
  });
});
