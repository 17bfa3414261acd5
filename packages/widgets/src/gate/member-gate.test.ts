import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-gate.js';
import type { MemberGate } from './member-gate.js';
import { api, createActiveMember, createTenant, resetPage, type TestTenant } from '../test/api.js';

async function mountGate(tenant: TestTenant, tiers = '', locale = 'en'): Promise<MemberGate> {
  const provider =
    await fixture<MemberProvider>(html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale}>
    <member-gate tiers=${tiers}><p id="secret">Members' news</p><p slot="fallback" id="teaser">Join us</p></member-gate>
  </member-provider>`);
  await provider.configReady;
  const gate = provider.querySelector('member-gate') as MemberGate;
  await waitUntil(() => gate.shadowRoot?.querySelector('slot'), 'gate never decided');
  return gate;
}

/** Whether a light-DOM child of the gate is rendered (assigned to a slot that is in the shadow tree). */
function shown(gate: MemberGate, id: string): boolean {
  const child = gate.querySelector(`#${id}`) as HTMLElement;
  return child.assignedSlot !== null && child.getClientRects().length > 0;
}

async function signIn(gate: MemberGate, member: { email: string; password: string }): Promise<void> {
  const session = (gate as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session;
  await session.login(member.email, member.password);
}

describe('<member-gate>', function () {
  this.timeout(20_000);
  beforeEach(resetPage);

  it('shows the fallback to visitors and the content once a member signs in, and back on sign-out', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const gate = await mountGate(tenant);
    expect(shown(gate, 'teaser')).to.equal(true);
    expect(shown(gate, 'secret')).to.equal(false);
    expect(gate.open).to.equal(false);
    await expect(gate).to.be.accessible();

    await signIn(gate, member);
    await waitUntil(() => gate.open, 'gate did not open');
    await gate.updateComplete;
    expect(shown(gate, 'secret')).to.equal(true);
    expect(shown(gate, 'teaser')).to.equal(false);

    await (gate as unknown as { session: { logout(): Promise<void> } }).session.logout();
    await waitUntil(() => !gate.open, 'gate stayed open');
    await gate.updateComplete;
    expect(shown(gate, 'teaser')).to.equal(true);
  });

  it('shows content only to members of the listed tiers', async () => {
    const tenant = await createTenant();
    const gold = await api(tenant, 'POST', '/v1/tiers', { name: 'Gold', interval: 'year', price: { amount: 5000 } });
    const basic = await api(tenant, 'POST', '/v1/tiers', { name: 'Basic', interval: 'free' });
    expect(gold.status).to.equal(201);
    const member = await createActiveMember(tenant, { tier_id: basic.body.id });
    const gate = await mountGate(tenant, gold.body.id);
    await signIn(gate, member);
    await waitUntil(
      () => gate.shadowRoot?.textContent?.includes('does not include') || gate.querySelector('#teaser')?.assignedSlot,
      'no decision',
    );
    expect(gate.open).to.equal(false);
    expect(shown(gate, 'secret')).to.equal(false);

    await api(tenant, 'PATCH', `/v1/members/${member.id}`, { tier_id: gold.body.id });
    // The session sees the new tier once it reloads the member.
    await (gate as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
      member.email,
      member.password,
    );
    await waitUntil(() => gate.open, 'gold member not let in');
    expect(shown(gate, 'secret')).to.equal(true);
  });
});
