import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, expectProblem, type TestContext } from '../../testing/index.js';
import { defineFields, insertMembers, insertTier } from '../../../test/support/seed.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function directoryTenant() {
  const tenant = await t.createTenant();
  await t.request('PATCH', '/v1/tenant', {
    key: tenant.secret_key,
    body: { directory: { enabled: true }, auth: { require_email_verification: false } },
  });
  await defineFields(t, tenant.id, [
    { key: 'city', visibility: 'public' },
    { key: 'phone', visibility: 'members' },
    { key: 'salary', visibility: 'staff' },
  ]);
  return tenant;
}

const list = (key: string, query = '') => t.request('GET', `/v1/directory${query}`, { key });

describe('GET /v1/directory', () => {
  it('lists active members by last name with public fields to visitors and members-only fields to members', async () => {
    const tenant = await directoryTenant();
    const tier = await insertTier(t, tenant.id, { name: 'Gold' });
    await insertMembers(t, tenant.id, 3, (i) => ({
      lastName: ['Young', 'Abbot', 'Miller'][i]!,
      tierId: i === 0 ? tier : null,
      customFields: { city: 'Bern', phone: `+41 ${i}`, salary: 1000 },
    }));
    await insertMembers(t, tenant.id, 2, (i) => ({
      email: `hidden${i}@example.org`,
      lastName: 'Hidden',
      status: i === 0 ? 'pending' : 'suspended',
    }));

    const visitor = await list(tenant.publishable_key);
    expect(visitor.status).toBe(200);
    expect(visitor.body.data.map((m: { last_name: string }) => m.last_name)).toEqual(['Abbot', 'Miller', 'Young']);
    expect(visitor.body.data[0]).toEqual({
      id: expect.stringMatching(/^mem_/),
      object: 'directory_member',
      first_name: 'First1',
      last_name: 'Abbot',
      tier: null,
      custom_fields: { city: 'Bern' },
      joined_at: expect.any(String),
    });
    expect(visitor.body.data[2].tier).toEqual({ id: tier, name: 'Gold' });
    expect(JSON.stringify(visitor.body)).not.toContain('@example.org');

    const signup = await t.request('POST', '/v1/auth/signup', {
      key: tenant.publishable_key,
      body: { email: 'reader@example.org', password: 'a-long-enough-password', first_name: 'Rea', last_name: 'Der' },
    });
    const member = await list(signup.body.access_token);
    expect(member.status).toBe(200);
    const miller = member.body.data.find((m: { last_name: string }) => m.last_name === 'Miller');
    expect(miller.custom_fields).toEqual({ city: 'Bern', phone: '+41 2' });
  });

  it('searches names only, never email, and pages with a cursor bound to the search', async () => {
    const tenant = await directoryTenant();
    await insertMembers(t, tenant.id, 25, (i) => ({
      firstName: i < 21 ? 'Grace' : 'Alan',
      email: `grace.hopper${i}@navy.example`,
    }));
    const byEmail = await list(tenant.publishable_key, '?search=navy');
    expect(byEmail.body.data).toEqual([]);
    const first = await list(tenant.publishable_key, '?search=grace&limit=10');
    expect(first.body.data).toHaveLength(10);
    expect(first.body.has_more).toBe(true);
    const seen = new Set<string>(first.body.data.map((m: { id: string }) => m.id));
    let cursor = first.body.next_cursor as string | null;
    while (cursor) {
      const page = await list(tenant.publishable_key, `?search=grace&limit=10&cursor=${cursor}`);
      for (const m of page.body.data) seen.add(m.id);
      cursor = page.body.next_cursor;
    }
    expect(seen.size).toBe(21);
    expectProblem(
      await list(tenant.publishable_key, `?search=alan&cursor=${first.body.next_cursor}`),
      400,
      'INVALID_CURSOR',
    );
  });

  it('matches one or two characters at the start of a name part, not inside names or in email', async () => {
    const tenant = await directoryTenant();
    await insertMembers(t, tenant.id, 3, (i) => ({
      firstName: ['Ng', 'Lin', 'Ulla'][i]!,
      lastName: ['Wu', 'Ngo-Li', 'Ring'][i]!,
      email: `${['ng', 'lin', 'ulla'][i]}@ng.example`,
    }));
    const names = async (q: string) =>
      (await list(tenant.publishable_key, `?search=${q}`)).body.data
        .map((m: { first_name: string }) => m.first_name)
        .sort();
    expect(await names('ng')).toEqual(['Lin', 'Ng']); // Ng, Ngo-Li; not Ring, and not the email domain
    expect(await names('li')).toEqual(['Lin']); // Lin and …-Li are one member; not Ulla
    expect(await names('u')).toEqual(['Ulla']); // not the u of Wu
  });

  it('is closed until the tenant enables it, and shows each tenant only its own members', async () => {
    const closed = await t.createTenant();
    expectProblem(await list(closed.publishable_key), 403, 'DIRECTORY_DISABLED');
    const a = await directoryTenant();
    const b = await directoryTenant();
    await insertMembers(t, a.id, 2, (i) => ({ email: `a${i}@a.example`, lastName: 'FromA' }));
    await insertMembers(t, b.id, 1, () => ({ email: 'b@b.example', lastName: 'FromB' }));
    expect((await list(b.publishable_key)).body.data.map((m: { last_name: string }) => m.last_name)).toEqual(['FromB']);
    expectProblem(await list(a.secret_key), 403);
    expectProblem(await t.request('GET', '/v1/directory'), 401);
  });
});
