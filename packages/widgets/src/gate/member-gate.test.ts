import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-gate.js';
import type { MemberGate } from './member-gate.js';
import { api, createActiveMember, createTenant, resetPage, type TestTenant } from '../test/api.js';

async function mountGate(tenant: TestTenant, tiers = '', locale = 'en', changeTierHref = ''): Promise<MemberGate> {
  const provider =
    await fixture<MemberProvider>(html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale}>
    <member-gate tiers=${tiers} change-tier-href=${changeTierHref}><p id="secret">Members' news</p><p slot="fallback" id="teaser">Join us</p></member-gate>
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
    await waitUntil(() => gate.shadowRoot?.querySelector('slot[name="member-fallback"]'), 'no decision');
    expect(gate.open).to.equal(false);
    expect(shown(gate, 'secret')).to.equal(false);
    // Signed in already: not the visitors' fallback (a sign-in prompt), but which tier the page is for and theirs.
    expect(shown(gate, 'teaser')).to.equal(false);
    expect(gate.shadowRoot!.querySelector('[part="fallback"]')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'This page is for members of Gold. Your tier: Basic.',
    );
    expect(gate.shadowRoot!.querySelector('[part="change-tier"]')).to.equal(null);
    await expect(gate).to.be.accessible();

    await api(tenant, 'PATCH', `/v1/members/${member.id}`, { tier_id: gold.body.id });
    // The session sees the new tier once it reloads the member.
    await (gate as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
      member.email,
      member.password,
    );
    await waitUntil(() => gate.open, 'gold member not let in');
    expect(shown(gate, 'secret')).to.equal(true);
  });

  it('tells a member of another tier, in German, which tiers the page is for, with a link to change tier', async () => {
    const tenant = await createTenant();
    const gold = await api(tenant, 'POST', '/v1/tiers', { name: 'Gold', interval: 'year', price: { amount: 5000 } });
    const silver = await api(tenant, 'POST', '/v1/tiers', {
      name: 'Silver',
      interval: 'year',
      price: { amount: 2000 },
    });
    const member = await createActiveMember(tenant);
    const gate = await mountGate(tenant, `Gold ${silver.body.id}`, 'de', '/mitgliedschaft');
    await signIn(gate, member);
    await waitUntil(() => gate.shadowRoot?.querySelector('slot[name="member-fallback"]'), 'no decision');
    expect(gold.status).to.equal(201);
    expect(gate.shadowRoot!.querySelector('[part="fallback"]')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Diese Seite ist für Mitglieder mit der Mitgliedschaft Gold oder Silver. Sie haben noch keine Mitgliedschaft gewählt.',
    );
    const link = gate.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="change-tier"]')!;
    expect(link.textContent).to.equal('Mitgliedschaft ändern');
    expect(link.getAttribute('href')).to.equal('/mitgliedschaft');
    expect(shown(gate, 'teaser')).to.equal(false);
    await expect(gate).to.be.accessible();
  });

  it('tells a signed-in member whose membership is not active why, instead of asking them to sign in', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    expect((await api(tenant, 'PATCH', `/v1/members/${member.id}`, { status: 'inactive' })).status).to.equal(200);
    const gate = await mountGate(tenant);
    await signIn(gate, member);
    await waitUntil(() => gate.shadowRoot?.querySelector('slot[name="member-fallback"]'), 'no decision');
    expect(gate.open).to.equal(false);
    expect(shown(gate, 'teaser')).to.equal(false);
    expect(gate.shadowRoot!.querySelector('[part="fallback"]')!.textContent).to.equal(
      'This content is for active members, and your membership is not active.',
    );
  });
});
