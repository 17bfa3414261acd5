import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-billing.js';
import type { MemberBillingElement } from './member-billing.js';
import { resetPage } from '../test/api.js';
import {
  billingApi,
  checkoutSessionId,
  completeCheckout,
  createBillingMember,
  createBillingTenant,
  createTier,
  fetchFromNode,
  memberToken,
  meterFeature,
  subscribe,
  type BillingTenant,
} from '../test/billing.js';
import { button, q, qa, text } from '../test/dom.js';

async function mountBilling(
  tenant: BillingTenant,
  member: { email: string; password: string } | null,
  locale = 'en',
): Promise<MemberBillingElement> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale} session-storage="memory"><member-billing></member-billing></member-provider>`,
  );
  await provider.configReady;
  const element = provider.querySelector('member-billing') as MemberBillingElement;
  if (member) {
    await (element as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
      member.email,
      member.password,
    );
    // Loaded: the portal, or the alert saying why it could not be.
    await waitUntil(() => element.shadowRoot?.querySelector('[part~="title"], p[role="alert"]'), 'billing not shown', {
      timeout: 10_000,
    });
  }
  return element;
}

/** Two paid tiers and a member subscribed monthly to the first. */
async function subscribedMember(tenant: BillingTenant) {
  const supporter = await createTier(tenant, {
    name: 'Supporter',
    interval: 'month',
    price: { amount: 1000, currency: 'eur' },
    prices: [
      { interval: 'month', amount: 1000 },
      { interval: 'year', amount: 10000 },
    ],
  });
  const patron = await createTier(tenant, {
    name: 'Patron',
    interval: 'month',
    price: { amount: 3000, currency: 'eur' },
  });
  const member = await createBillingMember(tenant);
  await subscribe(tenant, member, supporter.id, 'month');
  return { supporter, patron, member };
}

describe('<member-billing>', function () {
  this.timeout(60_000);
  beforeEach(resetPage);

  it('asks a signed-out visitor to sign in, and shows an empty portal to a member without a plan', async () => {
    const tenant = await createBillingTenant();
    const member = await createBillingMember(tenant);
    const signedOut = await mountBilling(tenant, null);
    await waitUntil(() => text(signedOut).includes('Sign in to manage your membership and billing.'), 'no hint');

    const element = await mountBilling(tenant, member);
    expect(text(element)).to.contain('You have no paid membership.');
    expect(text(element)).to.contain('No payment method is saved.');
    expect(text(element)).to.contain('No invoices yet.');
    await expect(element).to.be.accessible();
  });

  it('shows a member of a tenant without Stripe an empty portal, not an error', async () => {
    const tenant = await createBillingTenant({ connect: false });
    const member = await createBillingMember(tenant);
    const element = await mountBilling(tenant, member);
    await waitUntil(() => text(element).includes('You have no paid membership.'), 'no empty plan');
    expect(element.shadowRoot?.querySelector('p[role="alert"]')).to.equal(null);
  });

  it('shows the plan, status, renewal, card and invoices with their links, and passes axe', async () => {
    const tenant = await createBillingTenant();
    const { member } = await subscribedMember(tenant);
    const element = await mountBilling(tenant, member);
    const shown = text(element);
    expect(shown).to.contain('Supporter: €10.00 per month');
    expect(shown).to.contain('Status: active');
    expect(shown).to.match(/Renews on /);
    expect(shown).to.match(/Visa ending in 4242/);
    expect(shown).to.contain('Default');
    const invoice = q(element, '[part~="invoice"]');
    expect(invoice.textContent).to.contain('€10.00').and.contain('paid');
    const links = qa<HTMLAnchorElement>(element, '[part~="invoice"] a');
    expect(links.map((a) => a.textContent?.trim())).to.deep.equal(['View', 'PDF']);
    // The double's hosted invoice page and its PDF (fetched from Node: the double sends no CORS headers).
    const pdf = await fetchFromNode(links[1]!.href);
    expect([pdf.status, pdf.contentType]).to.deep.equal([200, 'application/pdf']);
    expect((await fetchFromNode(links[0]!.href)).status).to.equal(200);
    await expect(element).to.be.accessible();
  });

  it('speaks German', async () => {
    const tenant = await createBillingTenant({ tenant: { locale: { default: 'de', supported: ['de', 'en'] } } });
    const { member } = await subscribedMember(tenant);
    const element = await mountBilling(tenant, member, 'de');
    const shown = text(element);
    expect(shown).to.contain('Ihre Mitgliedschaft und Zahlungen');
    expect(shown).to.match(/Supporter – 10,00\s€ pro Monat/);
    expect(shown).to.contain('Status: aktiv');
    expect(shown).to.contain('Mitgliedschaft kündigen');
  });

  it('shows the proration preview before the change, and changes the plan on confirmation', async () => {
    const tenant = await createBillingTenant();
    const { patron, member } = await subscribedMember(tenant);
    const element = await mountBilling(tenant, member);
    const select = q<HTMLSelectElement>(element, '#change-plan');
    select.value = `${patron.id}|month`;
    select.dispatchEvent(new Event('change'));
    button(element, 'Show the price of this change').click();
    await waitUntil(() => element.shadowRoot?.querySelector('[part~="preview"]'), 'no preview');
    // Keyboard users land on the preview.
    expect(element.shadowRoot?.activeElement?.id).to.equal('preview-title');
    const due = q(element, '#due-now').textContent ?? '';
    expect(due).to.match(/^Due now: €\d+\.\d\d$/);
    expect(qa(element, '[part~="preview"] tr').length).to.be.greaterThan(0);
    await expect(element).to.be.accessible();

    const changed = oneEvent(element, 'member-plan-change');
    button(element, 'Confirm change').click();
    const event = await changed;
    expect(event.detail.billing.subscription?.tier_id).to.equal(patron.id);
    await waitUntil(() => text(element).includes('Your plan is changed.'), 'no confirmation');
    expect(text(element)).to.contain('Patron: €30.00 per month');
    const stored = await billingApi(tenant, 'GET', `/v1/members/${member.id}`);
    expect(stored.body.tier_id).to.equal(patron.id);
  });

  it('cancels at period end with a reason by keyboard, then resumes', async () => {
    const tenant = await createBillingTenant();
    const { member } = await subscribedMember(tenant);
    const element = await mountBilling(tenant, member);
    button(element, 'Cancel membership').focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => element.shadowRoot?.activeElement?.id === 'cancel-reason', 'reason not focused');
    q<HTMLSelectElement>(element, '#cancel-reason').value = 'too_expensive';
    q<HTMLTextAreaElement>(element, '#cancel-comment').value = 'Back next year';
    await expect(element).to.be.accessible();
    const canceled = oneEvent(element, 'member-subscription-cancel');
    button(element, 'Cancel at the end of the period').click();
    const event = await canceled;
    expect(event.detail.reason).to.equal('too_expensive');
    expect(event.detail.billing.subscription?.cancel_at_period_end).to.equal(true);
    await waitUntil(() => /Your membership will end on /.test(text(element)), 'no confirmation');
    expect(text(element)).to.match(/Ends on .*: your membership will not renew\./);

    const resumed = oneEvent(element, 'member-subscription-resume');
    button(element, 'Resume membership').click();
    expect((await resumed).detail.billing.subscription?.cancel_at_period_end).to.equal(false);
    await waitUntil(() => text(element).includes('Your membership will renew as usual.'), 'not resumed');
  });

  it('adds a card through the setup page, makes it the default and removes the old one', async () => {
    const tenant = await createBillingTenant();
    const { member } = await subscribedMember(tenant);
    const element = await mountBilling(tenant, member);
    const visited: string[] = [];
    element.navigate = (url) => visited.push(url);
    const setup = oneEvent(element, 'member-payment-method-change');
    button(element, 'Add a payment method').click();
    expect((await setup).detail.action).to.equal('setup');
    await waitUntil(() => visited.length === 1, 'not sent to the setup page');
    await completeCheckout(checkoutSessionId(visited[0]!));

    await element.reload();
    await waitUntil(() => qa(element, '[part~="card"]').length === 2, 'new card not listed');
    const token = await memberToken(tenant, member);
    const cards = async () =>
      (await billingApi(tenant, 'GET', '/v1/me/billing/payment-methods', undefined, token)).body.data;
    const before = await cards();
    const added = before.find((c: { default: boolean }) => !c.default);
    const makeDefault = qa<HTMLButtonElement>(element, '[part~="card"] button').find((b) =>
      b.getAttribute('aria-label')?.startsWith('Make '),
    );
    const defaulted = oneEvent(element, 'member-payment-method-change');
    makeDefault!.click();
    expect((await defaulted).detail).to.include({ action: 'default', paymentMethodId: added.id });
    await waitUntil(() => text(element).includes('The default payment method is changed.'), 'not defaulted');
    expect((await cards()).find((c: { default: boolean }) => c.default).id).to.equal(added.id);

    // Remove the old card (not the default one), by keyboard.
    const old = qa(element, '[part~="card"]').find((li) => !li.textContent?.includes('Default'));
    old!.querySelector<HTMLButtonElement>('button[aria-label^="Remove"]')!.focus();
    const removed = oneEvent(element, 'member-payment-method-change');
    await sendKeys({ press: 'Enter' });
    expect((await removed).detail.action).to.equal('remove');
    await waitUntil(() => qa(element, '[part~="card"]').length === 1, 'card not removed');
    expect(text(element)).to.contain('The payment method is removed.');
    expect((await cards()).map((c: { id: string }) => c.id)).to.deep.equal([added.id]);
    expect(element.shadowRoot?.activeElement?.id).to.equal('cards-title');
  });

  it('shows usage against what the plan includes, with the estimated charge', async () => {
    const tenant = await createBillingTenant();
    const tier = await createTier(tenant, {
      name: 'Desk',
      interval: 'month',
      price: { amount: 2000, currency: 'eur' },
    });
    await meterFeature(tenant, tier.id, { key: 'desk_hours', name: 'Desk hours', unit_label: 'hours' }, 10, 250);
    const member = await createBillingMember(tenant);
    await subscribe(tenant, member, tier.id);
    for (const [identifier, quantity] of [
      ['booking-1', 8],
      ['booking-2', 4],
    ] as const) {
      const recorded = await billingApi(tenant, 'POST', '/v1/usage', {
        member_id: member.id,
        feature: 'desk_hours',
        quantity,
        identifier,
      });
      expect(recorded.status).to.equal(201);
    }
    const element = await mountBilling(tenant, member);
    await waitUntil(() => element.shadowRoot?.querySelector('[part~="meter"]'), 'no usage shown');
    expect(q(element, '[part~="meter"]').textContent).to.contain('Desk hours').and.contain('12 of 10 hours included');
    const bar = q<HTMLProgressElement>(element, '[part~="meter-bar"]');
    expect([bar.value, bar.max]).to.deep.equal([10, 10]);
    expect(text(element)).to.contain('Estimated extra charge: €5.00');
    await expect(element).to.be.accessible();
  });
});
