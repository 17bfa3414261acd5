import { describe, expectTypeOf, it } from 'vitest';
import {
  Memberkit,
  type ExportedMember,
  type ListPromise,
  type Me,
  type Member,
  type MemberList,
  type SessionTokens,
  type SignupResult,
  type Tier,
} from '../../src/index.js';
import { verifyMemberToken, type MemberTokenClaims } from '../../src/server.js';

const mk = new Memberkit({ secretKey: 'sk_test', baseUrl: 'http://127.0.0.1:8787' });

describe('resource types', () => {
  it('types parameters and results from openapi.yaml', () => {
    expectTypeOf(mk.members.retrieve('mem_1')).resolves.toEqualTypeOf<Member>();
    expectTypeOf(mk.members.list()).toEqualTypeOf<ListPromise<MemberList>>();
    expectTypeOf(mk.tiers.create({ name: 'Gold', interval: 'year' })).resolves.toEqualTypeOf<Tier>();
    expectTypeOf(mk.auth.login({ email: 'a@example.org', password: 'x' })).resolves.toEqualTypeOf<SessionTokens>();
    expectTypeOf(mk.auth.signup).returns.resolves.toEqualTypeOf<SignupResult>();
    expectTypeOf(mk.session.member).toEqualTypeOf<Me | null>();
    expectTypeOf(verifyMemberToken('t', { tenant: 'tnt_1', baseUrl: 'x' })).resolves.toEqualTypeOf<MemberTokenClaims>();
  });

  it('iterates lists as their items, and export as typed rows', async () => {
    for await (const member of mk.members.list({ status: 'active' })) expectTypeOf(member).toEqualTypeOf<Member>();
    for await (const row of mk.members.export()) expectTypeOf(row).toEqualTypeOf<ExportedMember>();
    for await (const row of mk.members.export({ format: 'csv' }))
      expectTypeOf(row).toEqualTypeOf<Record<string, string>>();
    expectTypeOf(mk.members.list().toArray({ limit: 10 })).resolves.toEqualTypeOf<Member[]>();
    const page = await mk.members.list();
    expectTypeOf(page.next_cursor).toEqualTypeOf<string | null>();
  });

  it('refuses wrong parameter types', () => {
    // @ts-expect-error: first_name is required
    void mk.members.create({ email: 'a@example.org', last_name: 'B' });
    // @ts-expect-error: email must be a string
    void mk.members.create({ email: 42, first_name: 'A', last_name: 'B' });
    // @ts-expect-error: unknown sort
    void mk.members.list({ sort: 'shoe_size' });
    // @ts-expect-error: limit is a number
    void mk.members.list({ limit: '50' });
    // @ts-expect-error: the cursor is the iterator's business
    void mk.members.list({ cursor: 'abc' });
    // @ts-expect-error: id is a string
    void mk.members.retrieve(123);
    // @ts-expect-error: unknown bulk action
    void mk.members.bulk({ action: 'explode', member_ids: ['mem_1'] });
    // @ts-expect-error: interval is required
    void mk.tiers.create({ name: 'Gold' });
    // @ts-expect-error: role must be one of the roles
    void mk.staff.create({ email: 'a@example.org', name: 'A', role: 'emperor' });
    // @ts-expect-error: password is required
    void mk.auth.login({ email: 'a@example.org' });
    // @ts-expect-error: timeout is a number of ms
    void mk.tenant.retrieve({ timeout: '5s' });
    // @ts-expect-error: the tenant is required
    void verifyMemberToken('t', { baseUrl: 'x' });
    // @ts-expect-error: baseUrl is required
    void new Memberkit({ secretKey: 'sk' });
    // @ts-expect-error: storage is 'memory', 'localStorage' or an object
    void new Memberkit({ publishableKey: 'pk', baseUrl: 'x', session: { storage: 'cookies' } });
  });
});
