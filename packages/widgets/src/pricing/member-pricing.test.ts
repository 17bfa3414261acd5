import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-pricing.js';
import type { MemberPricing } from './member-pricing.js';
import { resetPage } from '../test/api.js';
import {
  billingApi,
  checkoutSessionId,
  completeCheckout,
  createBillingMember,
  createBillingTenant,
  createTier,
  subscribe,
  type BillingTenant,
} from '../test/billing.js';
import { button, q, qa, text } from '../test/dom.js';

async function mountPricing(tenant: BillingTenant, locale = 'en'): Promise<MemberPricing> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale} session-storage="memory"><member-pricing></member-pricing></member-provider>`,
  );
  await provider.configReady;
  const pricing = provider.querySelector('member-pricing') as MemberPricing;
  await waitUntil(() => qa(pricing, '[part~="tier"]').length > 0, 'no tiers shown');
  return pricing;
}

async function signIn(pricing: MemberPricing, member: { email: string; password: string }): Promise<void> {
  await (pricing as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
    member.email,
    member.password,
  );
}

/** The visible text of each tier card. */
function tierTexts(pricing: MemberPricing): string[] {
  return qa(pricing, '[part~="tier"]').map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim());
}

describe('<member-pricing>', function () {
  this.timeout(60_000);
  beforeEach(resetPage);

  it('shows free and paid tiers with prices, trial and checkout buttons, and passes axe', async () => {
    const tenant = await createBillingTenant();
    await createTier(tenant, { name: 'Friend', interval: 'free' });
    await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      price: { amount: 1500, currency: 'eur' },
      trial_days: 14,
      features: ['Newsletter', 'Events'],
    });
    const pricing = await mountPricing(tenant);
    const [friend, supporter] = tierTexts(pricing);
    expect(friend).to.contain('Friend').and.contain('Free');
    expect(supporter).to.contain('€15.00 per month').and.contain('Newsletter');
    expect(button(pricing, 'Choose Supporter')).to.exist;
    expect(button(pricing, 'Join Friend for free')).to.exist;
    await expect(pricing).to.be.accessible();
  });

  it('switches between monthly and yearly prices by keyboard', async () => {
    const tenant = await createBillingTenant();
    await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      price: { amount: 600, currency: 'eur' },
      prices: [
        { interval: 'month', amount: 600 },
        { interval: 'year', amount: 6000 },
      ],
    });
    const pricing = await mountPricing(tenant);
    expect(tierTexts(pricing)[0]).to.contain('€6.00 per month');
    q<HTMLInputElement>(pricing, 'input[value="month"]').focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => tierTexts(pricing)[0]?.includes('€60.00 per year'), 'yearly price not shown');
    expect(pricing.interval).to.equal('year');
  });

  it('speaks German and formats yen without decimals', async () => {
    const tenant = await createBillingTenant({
      currency: 'jpy',
      tenant: { locale: { default: 'de', supported: ['de', 'en'] } },
    });
    await createTier(tenant, {
      name: 'Mitglied',
      interval: 'year',
      price: { amount: 12000, currency: 'jpy' },
      trial_days: 1,
    });
    const pricing = await mountPricing(tenant, 'de');
    const [tier] = tierTexts(pricing);
    expect(tier).to.match(/12\.000\s¥ pro Jahr/);
    expect(tier).to.contain('1 Tag kostenlos testen');
    expect(text(pricing)).to.contain('Wählen Sie Ihre Mitgliedschaft');
    expect(button(pricing, 'Mitglied wählen')).to.exist;
  });

  it('asks a signed-out visitor to sign in', async () => {
    const tenant = await createBillingTenant();
    const tier = await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      price: { amount: 1500, currency: 'eur' },
    });
    const pricing = await mountPricing(tenant);
    const asked = oneEvent(pricing, 'member-sign-in-required');
    button(pricing, 'Choose Supporter').click();
    const event = await asked;
    expect(event.detail).to.deep.equal({ action: 'checkout', tierId: tier.id, interval: 'month' });
    expect(event.bubbles && event.composed).to.equal(true);
    await waitUntil(() => text(pricing).includes('Please sign in to choose a plan.'), 'no hint');
  });

  it('starts a checkout to this page, sends the browser there, and marks the plan once paid', async () => {
    const tenant = await createBillingTenant();
    const tier = await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      price: { amount: 1500, currency: 'eur' },
    });
    const member = await createBillingMember(tenant);
    const pricing = await mountPricing(tenant);
    const visited: string[] = [];
    pricing.navigate = (url) => visited.push(url);
    await signIn(pricing, member);

    const started = oneEvent(pricing, 'member-checkout');
    const failed = oneEvent(pricing, 'member-error').then((e) => {
      throw new Error(`checkout failed: ${JSON.stringify(e.detail)}`);
    });
    button(pricing, 'Choose Supporter').click();
    const event = await Promise.race([started, failed]);
    expect(event.detail.tierId).to.equal(tier.id);
    expect(event.detail.interval).to.equal('month');
    await waitUntil(() => visited.length === 1, 'not sent to checkout');
    expect(visited[0]).to.equal(event.detail.url);
    const sessionId = checkoutSessionId(visited[0]!);

    const paid = await completeCheckout(sessionId);
    expect(paid.success_url).to.equal(location.href.split('#')[0]);
    const billing = await billingApi(tenant, 'GET', `/v1/members/${member.id}`);
    expect(billing.body.tier_id).to.equal(tier.id);

    // Back on the page: the plan is marked.
    const again = await mountPricing(tenant);
    await waitUntil(() => text(again).includes('Your current plan'), 'current plan not marked');
    expect(qa(again, 'button').map((b) => b.textContent?.trim())).not.to.include('Choose Supporter');
  });

  it('sends a paying member who chooses another tier to the billing portal, not to a second checkout', async () => {
    const tenant = await createBillingTenant();
    const supporter = await createTier(tenant, {
      name: 'Supporter',
      interval: 'month',
      price: { amount: 1500, currency: 'eur' },
    });
    const patron = await createTier(tenant, {
      name: 'Patron',
      interval: 'month',
      price: { amount: 3000, currency: 'eur' },
    });
    const member = await createBillingMember(tenant);
    await subscribe(tenant, member, supporter.id);
    const pricing = await mountPricing(tenant);
    pricing.billingUrl = '/account/billing';
    const visited: string[] = [];
    pricing.navigate = (url) => visited.push(url);
    await signIn(pricing, member);
    await waitUntil(() => text(pricing).includes('Your current plan'), 'current plan not marked');

    const selected = oneEvent(pricing, 'member-plan-select');
    button(pricing, 'Switch to Patron').click();
    expect((await selected).detail).to.deep.equal({ tierId: patron.id, interval: 'month' });
    const target = new URL(visited[0]!);
    expect(target.pathname).to.equal('/account/billing');
    expect(target.searchParams.get('plan')).to.equal(`${patron.id}|month`);
  });
});
