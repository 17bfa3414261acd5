import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, PermissionError, type Memberkit } from '../../src/index.js';
import { BASE_URL, email, PASSWORD, startApi, type Api, type Tenant } from '../support/api.js';

let api: Api;
let tenant: Tenant;
let mk: Memberkit;
beforeAll(async () => {
  api = await startApi();
  tenant = await api.tenant({ require_email_verification: false });
  mk = api.client({ secretKey: tenant.secret_key });
});
afterAll(() => api.close());

describe('platform and tenant', () => {
  it('lists tenants as the platform operator and reads and updates the tenant', async () => {
    const listed = await api.platform.platform.tenants.list({ limit: 100 }).toArray({ limit: Infinity });
    expect(listed.map((t) => t.id)).toContain(tenant.id);

    expect(await mk.tenant.retrieve()).toMatchObject({ id: tenant.id, object: 'tenant' });
    const updated = await mk.tenant.update({ name: 'Renamed by the SDK', branding: { color_primary: '#0f766e' } });
    expect(updated).toMatchObject({ name: 'Renamed by the SDK', branding: { color_primary: '#0f766e' } });
  });

  it('creates, lists and revokes API keys', async () => {
    const created = await mk.apiKeys.create({ kind: 'secret', role: 'viewer', name: 'Reporting' });
    expect(created.key).toMatch(/^sk_/);
    const all = await mk.apiKeys.list().toArray({ limit: 100 });
    expect(all.map((k) => k.id)).toContain(created.id);
    expect((await mk.apiKeys.del(created.id)).revoked_at).not.toBeNull();
    await expect(api.client({ secretKey: created.key }).tenant.retrieve()).rejects.toMatchObject({ status: 401 });
  });

  it('replaces and lists custom fields', async () => {
    const replaced = await mk.fields.replace({
      fields: [
        { key: 'company', label: { en: 'Company' }, type: 'text', visibility: 'public' },
        { key: 'employees', label: { en: 'Employees' }, type: 'number' },
      ],
    });
    expect(replaced.data.map((f) => f.key)).toEqual(['company', 'employees']);
    const listed = await mk.fields.list();
    expect(listed.data.map((f) => f.key)).toEqual(['company', 'employees']);
    const iterated = [];
    for await (const field of mk.fields.list()) iterated.push(field.key);
    expect(iterated).toEqual(['company', 'employees']);
  });

  it('rotates signing keys and serves the JWKS and issuer metadata', async () => {
    const before = await mk.jwks.retrieveForTenant(tenant.id);
    const rotated = await mk.signingKeys.rotate();
    const after = await mk.jwks.retrieveForTenant(tenant.id);
    expect(after.keys.map((k) => k.kid)).toContain(rotated.kid);
    expect(after.keys.length).toBeGreaterThan(before.keys.length);
    const viaPublishable = await api.client({ publishableKey: tenant.publishable_key }).jwks.retrieve();
    expect(viaPublishable.keys.map((k) => k.kid)).toEqual(after.keys.map((k) => k.kid));
    expect(await mk.jwks.issuerMetadata(tenant.id)).toMatchObject({ issuer: `${BASE_URL}/v1/tenants/${tenant.id}` });
  });

  it('exchanges client credentials for an OAuth token that works as a credential', async () => {
    const key = await mk.apiKeys.create({ kind: 'secret', role: 'viewer', name: 'Integrator' });
    const token = await api.client({}).oauth.createToken({ client_id: key.id, client_secret: key.key });
    expect(token).toMatchObject({ token_type: 'Bearer' });
    await expect(api.client({ accessToken: token.access_token }).tenant.retrieve()).resolves.toMatchObject({
      id: tenant.id,
    });
  });

  it('reports health', async () => {
    await expect(api.client({}).health.retrieve()).resolves.toMatchObject({ status: expect.any(String) });
  });

  it('manages OIDC providers', async () => {
    const provider = await mk.oidcProviders.create({
      name: 'Example IdP',
      issuer: 'https://idp.example.org',
      client_id: 'client-1',
      client_secret: 'secret-1',
    });
    expect(await mk.oidcProviders.retrieve(provider.id)).toMatchObject({ id: provider.id, name: 'Example IdP' });
    expect((await mk.oidcProviders.update(provider.id, { name: 'Renamed IdP' })).name).toBe('Renamed IdP');
    expect((await mk.oidcProviders.list()).data.map((p) => p.id)).toContain(provider.id);
    await mk.oidcProviders.del(provider.id);
    await expect(mk.oidcProviders.retrieve(provider.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('tiers', () => {
  it('creates, retrieves, updates, lists and deletes tiers', async () => {
    const tier = await mk.tiers.create({ name: 'Gold', interval: 'year', price: { amount: 9900, currency: 'eur' } });
    expect(tier).toMatchObject({ object: 'tier', name: 'Gold' });
    expect(await mk.tiers.retrieve(tier.id)).toMatchObject({ id: tier.id });
    expect((await mk.tiers.update(tier.id, { name: 'Platinum' })).name).toBe('Platinum');
    expect((await mk.tiers.list({ include_archived: true })).data.map((t) => t.id)).toContain(tier.id);
    expect(await mk.tiers.del(tier.id)).toMatchObject({ id: tier.id });
  });
});

describe('members', () => {
  it('creates, retrieves, updates, lists, deletes, restores and erases a member', async () => {
    const address = email('crud');
    const member = await mk.members.create({
      email: address,
      first_name: 'Ada',
      last_name: 'Lovelace',
      tags: ['board'],
    });
    expect(member).toMatchObject({ object: 'member', email: address });
    expect(await mk.members.retrieve(member.id)).toMatchObject({ id: member.id });
    expect((await mk.members.update(member.id, { first_name: 'Augusta' })).first_name).toBe('Augusta');
    expect((await mk.members.list({ search: address })).data.map((m) => m.id)).toEqual([member.id]);
    expect((await mk.members.del(member.id)).deleted_at).not.toBeNull();
    expect((await mk.members.retrieve(member.id)).deleted_at).not.toBeNull();
    expect((await mk.members.list({ search: address })).data).toEqual([]);
    expect((await mk.members.restore(member.id)).deleted_at).toBeNull();
    await expect(mk.members.restore(member.id)).rejects.toBeInstanceOf(ConflictError);
    await mk.members.erase(member.id);
    // Erasure anonymises for good: the personal data is gone.
    const erased = await mk.members.retrieve(member.id).catch((e: unknown) => e);
    if (erased instanceof NotFoundError) return;
    expect(JSON.stringify(erased)).not.toContain(address);
    expect(JSON.stringify(erased)).not.toContain('Augusta');
  });

  it('changes many members at once with bulk', async () => {
    const a = await mk.members.create({ email: email('bulk'), first_name: 'A', last_name: 'Bulk' });
    const b = await mk.members.create({ email: email('bulk'), first_name: 'B', last_name: 'Bulk' });
    const result = await mk.members.bulk({
      action: 'add_tags',
      member_ids: [a.id, b.id],
      params: { tags: ['volunteer'] },
    });
    expect(result).toMatchObject({ object: 'bulk_result', action: 'add_tags' });
    expect((await mk.members.retrieve(a.id)).tags).toContain('volunteer');
    const tagged = await mk.members.list({ tag: 'volunteer' }).toArray({ limit: 10 });
    expect(tagged.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('imports from CSV text, a stream and objects, and exports rows as NDJSON and CSV', async () => {
    const own = await api.tenant();
    const admin = api.client({ secretKey: own.secret_key });
    const csv = 'E-Mail,Vorname,Nachname,tags\nada@example.org,Ada,"Lovelace, Countess",board;mentor\n';
    const dry = await admin.members.import(csv, {
      dryRun: true,
      mapping: { 'E-Mail': 'email', Vorname: 'first_name', Nachname: 'last_name' },
    });
    expect(dry).toMatchObject({ dry_run: true, applied: false, totals: { rows: 1, created: 1 } });
    const applied = await admin.members.import(csv, {
      mapping: { 'E-Mail': 'email', Vorname: 'first_name', Nachname: 'last_name' },
    });
    expect(applied).toMatchObject({ applied: true, totals: { created: 1 } });

    const bytes = new TextEncoder().encode('{"email":"grace@example.org","first_name":"Grace","last_name":"Hopper"}\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 20));
        controller.enqueue(bytes.slice(20));
        controller.close();
      },
    });
    expect((await admin.members.import(stream, { format: 'ndjson' })).totals.created).toBe(1);

    async function* generated() {
      for (let i = 0; i < 3; i++) yield { email: `gen-${i}@example.org`, first_name: 'Gen', last_name: `${i}` };
    }
    expect((await admin.members.import(generated())).totals.created).toBe(3);
    const failed = await admin.members.import([{ email: 'broken', first_name: 'X', last_name: 'Y' }]);
    expect(failed).toMatchObject({ applied: false, totals: { failed: 1 } });
    expect(failed.errors[0]).toMatchObject({ line: 1 });
    const skipped = await admin.members.import([{ email: 'ada@example.org', first_name: 'Ada', last_name: 'Again' }], {
      onDuplicate: 'skip',
    });
    expect(skipped.totals.skipped).toBe(1);

    const rows = [];
    for await (const row of admin.members.export()) rows.push(row);
    expect(rows.map((r) => r.email).sort()).toEqual([
      'ada@example.org',
      'gen-0@example.org',
      'gen-1@example.org',
      'gen-2@example.org',
      'grace@example.org',
    ]);
    expect(rows.find((r) => r.email === 'ada@example.org')).toMatchObject({
      last_name: 'Lovelace, Countess',
      tags: ['board', 'mentor'],
    });

    const csvRows = [];
    for await (const row of admin.members.export({ format: 'csv', tag: 'board' })) csvRows.push(row);
    expect(csvRows).toHaveLength(1);
    expect(csvRows[0]).toMatchObject({
      email: 'ada@example.org',
      last_name: 'Lovelace, Countess',
      tags: 'board;mentor',
    });

    // The CSV export imports back unchanged (into another tenant).
    const copy = await api.tenant();
    const raw = await new Response(await admin.members.exportStream()).text();
    const reimported = await api.client({ secretKey: copy.secret_key }).members.import(raw);
    expect(reimported.totals).toMatchObject({ rows: 5, created: 5, failed: 0 });
  });
});

describe('invites, staff, audit log', () => {
  it('creates, retrieves, lists, resends, bulk-creates and revokes invites', async () => {
    const invite = await mk.invites.create({ email: email('invite'), message: 'Join us' });
    expect(await mk.invites.retrieve(invite.id)).toMatchObject({ id: invite.id });
    expect((await mk.invites.list({ email: invite.email })).data.map((i) => i.id)).toContain(invite.id);
    expect(await mk.invites.resend(invite.id)).toMatchObject({ id: invite.id });
    const bulk = await mk.invites.bulk({ emails: [email('bulk-invite'), email('bulk-invite')] });
    expect(JSON.stringify(bulk)).toContain('bulk-invite');
    expect((await mk.invites.del(invite.id)).status).toBe('revoked');
  });

  it('lists and verifies the audit log', async () => {
    const entries = await mk.auditLog.list({ limit: 5 });
    expect(entries.data.length).toBeGreaterThan(0);
    expect(entries.data[0]).toHaveProperty('action');
    expect(await mk.auditLog.verify()).toMatchObject({ valid: true });
  });
});

describe('public config and directory', () => {
  it('retrieves the public config with the publishable key, revalidating with its ETag', async () => {
    const seen: number[] = [];
    const browser = api.client({
      publishableKey: tenant.publishable_key,
      fetch: async (url, init) => {
        const response = await api.fetch(url, init);
        seen.push(response.status);
        return response;
      },
    });
    const config = await browser.publicConfig.retrieve();
    expect(config).toMatchObject({ object: 'public_config' });
    const again = await browser.publicConfig.retrieve();
    expect(again).toEqual(config);
    expect(seen).toEqual([200, 304]);
  });

  it('lists the directory when enabled, signed in or with the publishable key', async () => {
    const own = await api.tenant({ require_email_verification: false });
    const admin = api.client({ secretKey: own.secret_key });
    const browser = api.client({ publishableKey: own.publishable_key });
    await browser.auth.signup({ email: email('dir'), password: PASSWORD, first_name: 'Dora', last_name: 'Directory' });
    await expect(browser.directory.list()).rejects.toBeInstanceOf(PermissionError);
    await admin.tenant.update({ directory: { enabled: true } });
    const people = await browser.directory.list().toArray({ limit: 10 });
    expect(people.map((p) => p.first_name)).toContain('Dora');
    await browser.auth.logout();
    const anonymous = await browser.directory.list({ search: 'Directory' });
    expect(anonymous.data.map((p) => p.first_name)).toContain('Dora');
  });
});
