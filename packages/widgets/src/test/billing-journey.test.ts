/**
 * The member's billing journey through the widgets, against the real API and the Stripe
 * test double: pricing → checkout (paid on the double) → the portal shows the plan →
 * upgrade with the previewed proration shown and confirmed → usage recorded by the
 * tenant's backend and shown → cancel at period end.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import '../pricing/member-pricing.js';
import type { MemberPricing } from '../pricing/member-pricing.js';
import '../billing/member-billing.js';
import type { MemberBillingElement } from '../billing/member-billing.js';
import { resetPage } from './api.js';
import {
  billingApi,
  checkoutSessionId,
  completeCheckout,
  createBillingMember,
  createBillingTenant,
  createTier,
  meterFeature,
} from './billing.js';
import { button, q, qa, text } from './dom.js';

describe('billing journey', function () {
  this.timeout(120_000);
  beforeEach(resetPage);

  it('buys a tier, sees it in the portal, upgrades with the previewed proration, sees usage and cancels', async () => {
    const tenant = await createBillingTenant();
    const supporter = await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      price: { amount: 1000, currency: 'eur' },
    });
    const patron = await createTier(tenant, {
      name: 'Patron',
      interval: 'month',
      price: { amount: 3000, currency: 'eur' },
    });
    const hours = { key: 'desk_hours', name: 'Desk hours', unit_label: 'hours' };
    const feature = await meterFeature(tenant, supporter.id, hours, 5, 200);
    const priced = await billingApi(tenant, 'PUT', `/v1/tiers/${patron.id}/metered-prices/${feature.id}`, {
      interval: 'month',
      included_units: 10,
      steps: [{ up_to: null, unit_amount: 150 }],
    });
    expect(priced.status).to.equal(201);
    const member = await createBillingMember(tenant);

    const provider = await fixture<MemberProvider>(
      html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en" session-storage="memory">
        <member-pricing></member-pricing>
        <member-billing></member-billing>
      </member-provider>`,
    );
    await provider.configReady;
    const pricing = provider.querySelector('member-pricing') as MemberPricing;
    const portal = provider.querySelector('member-billing') as MemberBillingElement;
    const visited: string[] = [];
    pricing.navigate = (url) => visited.push(url);
    await (pricing as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
      member.email,
      member.password,
    );
    await waitUntil(() => text(portal).includes('You have no paid membership.'), 'portal not shown');

    // Pricing → checkout, paid on the double's hosted page (as its "Pay" button does).
    await waitUntil(() => qa(pricing, '[part~="checkout"]').length > 0, 'no checkout buttons');
    button(pricing, 'Choose Supporter').click();
    await waitUntil(() => visited.length === 1, 'not sent to checkout');
    expect(visited[0]!.startsWith('http://127.0.0.1:')).to.equal(true);
    await completeCheckout(checkoutSessionId(visited[0]!));

    // Back from checkout: the portal shows the plan.
    await portal.reload();
    await waitUntil(() => text(portal).includes('Supporter: €10.00 per month'), 'plan not shown');
    expect(text(portal)).to.contain('Status: active');
    await waitUntil(() => qa(portal, '[part~="invoice"]').length >= 1, 'first invoice not listed');

    // Upgrade: the preview is shown first, then confirmed.
    const select = q<HTMLSelectElement>(portal, '#change-plan');
    select.value = `${patron.id}|month`;
    select.dispatchEvent(new Event('change'));
    button(portal, 'Show the price of this change').click();
    await waitUntil(() => portal.shadowRoot?.querySelector('#due-now'), 'no preview shown');
    const shownDue = q(portal, '#due-now').textContent ?? '';
    const changed = oneEvent(portal, 'member-plan-change');
    button(portal, 'Confirm change').click();
    const change = await changed;
    expect(shownDue).to.equal(
      `Due now: ${new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(change.detail.amountDue / 100)}`,
    );
    expect(change.detail.amountDue).to.be.greaterThan(0);
    await waitUntil(() => text(portal).includes('Patron: €30.00 per month'), 'upgrade not shown');
    expect((await billingApi(tenant, 'GET', `/v1/members/${member.id}`)).body.tier_id).to.equal(patron.id);

    // Usage recorded by the tenant's backend (secret key) and shown.
    const recorded = await billingApi(tenant, 'POST', '/v1/usage', {
      member_id: member.id,
      feature: hours.key,
      quantity: 12,
      identifier: 'journey-booking-1',
    });
    expect(recorded.status).to.equal(201);
    await portal.reload();
    await waitUntil(() => portal.shadowRoot?.querySelector('[part~="meter"]'), 'usage not shown');
    expect(q(portal, '[part~="meter"]').textContent).to.contain('12 of 10 hours included');
    expect(text(portal)).to.contain('Estimated extra charge: €3.00');

    // Cancel at period end.
    button(portal, 'Cancel membership').click();
    await waitUntil(() => portal.shadowRoot?.querySelector('#cancel-reason'), 'no cancel form');
    q<HTMLSelectElement>(portal, '#cancel-reason').value = 'unused';
    const canceled = oneEvent(portal, 'member-subscription-cancel');
    button(portal, 'Cancel at the end of the period').click();
    expect((await canceled).detail.atPeriodEnd).to.equal(true);
    await waitUntil(() => /Ends on .*: your membership will not renew\./.test(text(portal)), 'end not shown');
    const stored = await billingApi(tenant, 'GET', `/v1/members/${member.id}`);
    // The member keeps the tier until the period ends.
    expect(stored.body.tier_id).to.equal(patron.id);
  });
});
