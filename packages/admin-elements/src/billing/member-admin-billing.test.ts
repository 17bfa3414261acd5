import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../provider/member-admin-provider.js';
import './member-admin-billing.js';
import type { MemberAdminBilling } from './member-admin-billing.js';
import { FakeBillingApi, fakeInvoice, fakeMemberBilling, fakeSubscription, problem } from '../test/fake-billing-api.js';
import { InvalidRequestError } from '@memberkit/sdk';
import {
  createStaff,
  createTenant,
  seedTier,
  shadow,
  typeInto,
  waitFor,
  type TestStaff,
  type TestTenant,
} from '../test/support.js';

// The staff sessions and permissions are the real API's (admin: billing:write; manager:
// billing:read only); billing itself comes from FakeBillingApi (see there why).
let tenant: TestTenant;
let admin: TestStaff;
let manager: TestStaff;

before(async () => {
  tenant = await createTenant();
  admin = await createStaff(tenant, 'admin');
  manager = await createStaff(tenant, 'manager');
});

const MEMBER = 'mem_billing_test';

function seeded(): FakeBillingApi {
  const api = new FakeBillingApi();
  api.members.set(
    MEMBER,
    fakeMemberBilling(
      MEMBER,
      fakeSubscription({ id: 'msub_1', member_id: MEMBER, trial_end: '2026-06-15T00:00:00.000Z' }),
      [
        fakeInvoice({ id: 'in_0002', number: 'INV-0002', created_at: '2026-12-01T00:00:00.000Z' }),
        fakeInvoice({
          id: 'in_0001',
          number: 'INV-0001',
          created_at: '2026-11-01T00:00:00.000Z',
          amount_refunded: 1999,
        }),
      ],
    ),
  );
  return api;
}

async function mount(staff: TestStaff, api: FakeBillingApi, locale = 'en'): Promise<MemberAdminBilling> {
  const provider =
    await fixture(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale=${locale}>
    <member-admin-billing member-id=${MEMBER} .billingApi=${api}></member-admin-billing>
  </member-admin-provider>`);
  const el = provider.querySelector('member-admin-billing') as MemberAdminBilling;
  await waitFor(() => el.shadowRoot?.querySelector('[part="subscription"], .empty'), 'billing loaded');
  return el;
}

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T => {
  const found = shadow(el).querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};
const details = (el: Element): Record<string, string> =>
  Object.fromEntries(
    [...shadow(el).querySelectorAll('[part="subscription"] > div')].map((d) => [
      d.querySelector('dt')!.textContent!.trim(),
      d.querySelector('dd')!.textContent!.trim(),
    ]),
  );
const invoiceRow = (el: Element, id: string): string[] =>
  [...$(el, `tr[data-invoice="${id}"]`).querySelectorAll('td')].map((td) =>
    td.textContent!.replace(/\s+/g, ' ').trim(),
  );
const click = (el: Element, selector: string): void => $(el, selector).click();

describe('<member-admin-billing>', () => {
  it("shows the member's subscription and invoices", async () => {
    const el = await mount(admin, seeded());
    expect(details(el)).to.deep.equal({
      Status: 'Active',
      Tier: 'Gold',
      Interval: 'Monthly',
      Amount: '€19.99',
      'Current period ends': 'Jan 1, 2027',
      'Trial ends': 'Jun 15, 2026',
      'Cancels at period end': 'No',
    });
    const row = invoiceRow(el, 'in_0002');
    expect(row.slice(0, 6)).to.deep.equal(['INV-0002', 'Dec 1, 2026', '€19.99', '€19.99', '—', 'Paid']);
    const links = [...$(el, 'tr[data-invoice="in_0002"]').querySelectorAll('a')];
    expect(links.map((a) => [a.textContent!.replace(/\s+/g, ' ').trim(), a.getAttribute('href')])).to.deep.equal([
      ['View invoice INV-0002', 'https://stripe.test/invoices/in_0002'],
      ['PDF invoice INV-0002', 'https://stripe.test/invoices/in_0002/pdf'],
    ]);
    // Refunded in full: nothing left to refund.
    expect(invoiceRow(el, 'in_0001')[4]).to.equal('€19.99');
    expect($(el, 'tr[data-invoice="in_0001"]').querySelector('[data-action="refund"]')).to.equal(null);
    expect($(el, 'tr[data-invoice="in_0002"]').querySelector('[data-action="refund"]')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('refunds part of an invoice after confirmation', async () => {
    const api = seeded();
    const el = await mount(admin, api);
    click(el, 'tr[data-invoice="in_0002"] [data-action="refund"]');
    await waitFor(() => shadow(el).querySelector('form[part="panel"]'), 'refund form');
    expect($(el, '[part="panel"] h5').textContent).to.equal('Refund invoice INV-0002');
    expect(shadow(el).activeElement).to.equal($(el, 'input[value="full"]'));

    // Partial: more than was paid is refused before asking.
    $<HTMLInputElement>(el, 'input[value="partial"]').click();
    await el.updateComplete;
    typeInto($<HTMLInputElement>(el, 'input[name="amount"]'), '25');
    click(el, '[part="panel"] button[type="submit"]');
    await waitFor(() => shadow(el).querySelector('#amount-error'), 'amount error');
    expect($(el, '#amount-error').textContent).to.equal('Enter an amount above zero, at most €19.99.');
    expect($(el, 'input[name="amount"]').getAttribute('aria-invalid')).to.equal('true');
    expect(api.calls.filter((c) => c.method === 'refundInvoice')).to.have.length(0);

    typeInto($<HTMLInputElement>(el, 'input[name="amount"]'), '5,50');
    typeInto($<HTMLSelectElement>(el, 'select[name="reason"]'), 'requested_by_customer');
    click(el, '[part="panel"] button[type="submit"]');
    await waitFor(() => shadow(el).querySelector('[part="panel"] [data-confirm]'), 'confirm step');
    expect($(el, '#panel-question').textContent).to.contain('Refund €5.50 of invoice INV-0002?');
    expect(shadow(el).activeElement).to.equal($(el, '[data-confirm]'));
    // Nothing is sent before the confirmation.
    expect(api.calls.filter((c) => c.method === 'refundInvoice')).to.have.length(0);

    const done = oneEvent(el, 'member-admin-billing');
    click(el, '[data-confirm]');
    expect((await done).detail).to.deep.equal({ memberId: MEMBER, action: 'refund' });
    expect(api.calls.find((c) => c.method === 'refundInvoice')!.args).to.deep.equal([
      'in_0002',
      { amount: 550, reason: 'requested_by_customer' },
    ]);
    await waitFor(() => shadow(el).querySelector('.notice'), 'notice');
    expect($(el, '.notice').textContent).to.equal('Refunded €5.50.');
    await waitFor(() => invoiceRow(el, 'in_0002')[4] === '€5.50', 'refunded column updated');
    expect(shadow(el).querySelector('[part="panel"]')).to.equal(null);
  });

  it("shows the API's problem when a refund is refused, and keeps the confirmation open", async () => {
    const api = seeded();
    const el = await mount(admin, api);
    click(el, 'tr[data-invoice="in_0002"] [data-action="refund"]');
    await waitFor(() => shadow(el).querySelector('form[part="panel"]'), 'refund form');
    click(el, '[part="panel"] button[type="submit"]');
    await waitFor(() => shadow(el).querySelector('[data-confirm]'), 'confirm step');
    expect($(el, '#panel-question').textContent).to.contain('Refund €19.99 of invoice INV-0002?');
    api.failNext = problem(
      InvalidRequestError,
      422,
      'CHARGE_ALREADY_REFUNDED',
      'Stripe refused the refund: the charge has already been refunded.',
    );
    click(el, '[data-confirm]');
    await waitFor(() => shadow(el).querySelector('[part="panel"] .error[role="alert"]'), 'problem shown');
    expect($(el, '[part="panel"] .error').textContent).to.equal(
      'Stripe refused the refund: the charge has already been refunded.',
    );
    // A full refund is sent without an amount: the API refunds what is left.
    expect(api.calls.find((c) => c.method === 'refundInvoice')!.args).to.deep.equal(['in_0002', {}]);
    expect(shadow(el).querySelector('[data-confirm]')).not.to.equal(null);
    expect(shadow(el).querySelector('.notice')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('is read-only for staff without billing:write', async () => {
    const el = await mount(manager, seeded());
    expect(details(el).Status).to.equal('Active');
    expect(shadow(el).querySelectorAll('tr[data-invoice]')).to.have.length(2);
    expect($(el, '.read-only').textContent).to.equal('Your role may view billing but not change it.');
    expect(shadow(el).querySelector('[data-action]')).to.equal(null);
    expect(shadow(el).querySelectorAll('thead th')).to.have.length(7);
  });

  it('cancels at period end, and grants and ends a complimentary membership', async () => {
    const api = seeded();
    const el = await mount(admin, api);
    click(el, '[data-action="cancel"]');
    await waitFor(() => shadow(el).querySelector('form[part="panel"]'), 'cancel form');
    expect($<HTMLInputElement>(el, 'input[value="period_end"]').checked).to.equal(true);
    click(el, '[part="panel"] button[type="submit"]');
    await waitFor(() => shadow(el).querySelector('[data-confirm]'), 'confirm step');
    expect($(el, '#panel-question').textContent).to.contain('End the subscription on Jan 1, 2027?');
    // Back keeps the choice; choosing "Immediately" asks the other question.
    click(el, '[part="panel"] button:not([data-confirm])');
    await waitFor(() => shadow(el).querySelector('form[part="panel"]'), 'back to the form');
    $<HTMLInputElement>(el, 'input[value="now"]').click();
    click(el, '[part="panel"] button[type="submit"]');
    await waitFor(() => shadow(el).querySelector('[data-confirm]'), 'confirm step');
    expect($(el, '#panel-question').textContent).to.contain('End the subscription now?');
    click(el, '[data-confirm]');
    await waitFor(() => details(el).Status === 'Canceled', 'canceled');
    expect(api.calls.find((c) => c.method === 'cancelSubscription')!.args).to.deep.equal([
      'msub_1',
      { at_period_end: false },
    ]);
    expect($(el, '.notice').textContent).to.equal('The subscription was canceled.');

    // Ended: a complimentary membership can be granted (tiers from the real API).
    await seedTier(tenant, 'Honorary');
    click(el, '[data-action="grant-comp"]');
    await waitFor(() => shadow(el).querySelectorAll('select[name="tier_id"] option').length > 1, 'tiers');
    click(el, '[part="panel"] button[type="submit"]');
    await waitFor(() => shadow(el).querySelector('#comp-error'), 'tier required');
    expect($(el, '#comp-error').textContent).to.equal('Choose a tier.');
    const tierOption = [...shadow(el).querySelectorAll<HTMLOptionElement>('select[name="tier_id"] option')].find(
      (o) => o.textContent === 'Honorary',
    )!;
    typeInto($<HTMLSelectElement>(el, 'select[name="tier_id"]'), tierOption.value);
    const year = new Date().getFullYear() + 2;
    typeInto($<HTMLInputElement>(el, 'input[name="ends_at"]'), `${year}-06-30`);
    click(el, '[part="panel"] button[type="submit"]');
    await waitFor(() => details(el).Status === 'Complimentary', 'comp granted');
    const [memberId, body] = api.calls.find((c) => c.method === 'grantComp')!.args as [
      string,
      { tier_id: string; ends_at: string },
    ];
    expect(memberId).to.equal(MEMBER);
    expect(body.tier_id).to.equal(tierOption.value);
    expect(new Date(body.ends_at).getFullYear()).to.equal(year);
    expect(details(el)['Complimentary until']).to.equal(`Jun 30, ${year}`);

    click(el, '[data-action="revoke-comp"]');
    await waitFor(() => shadow(el).querySelector('[data-confirm]'), 'revoke confirm');
    click(el, '[data-confirm]');
    await waitFor(
      () => shadow(el).querySelector('.notice')?.textContent === 'Complimentary membership ended.',
      'comp ended',
    );
    expect(details(el).Status).to.equal('Canceled');
    expect(api.calls.at(-2)!.method).to.equal('revokeComp');
  });

  it('works from the keyboard: Tab to Refund, Enter, Escape closes and returns focus', async () => {
    const el = await mount(admin, seeded());
    const refund = $(el, 'tr[data-invoice="in_0002"] [data-action="refund"]');
    // From the last link before it, Tab reaches the refund button.
    const pdf = [...$(el, 'tr[data-invoice="in_0002"]').querySelectorAll('a')].at(-1)!;
    pdf.focus();
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement).to.equal(refund);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(el).querySelector('form[part="panel"]'), 'refund form');
    expect(shadow(el).activeElement).to.equal($(el, 'input[value="full"]'));
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(el).querySelector('[data-confirm]'), 'confirm step by Enter');
    expect(shadow(el).activeElement).to.equal($(el, '[data-confirm]'));
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !shadow(el).querySelector('[part="panel"]'), 'panel closed');
    await el.updateComplete;
    expect(shadow(el).activeElement).to.equal($(el, 'tr[data-invoice="in_0002"] [data-action="refund"]'));

    // The cancel button is hidden while its panel is open, and focused again after.
    $(el, '[data-action="cancel"]').focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(el).querySelector('form[part="panel"]'), 'cancel form');
    expect(shadow(el).querySelector('[data-action="cancel"]')).to.equal(null);
    await sendKeys({ press: 'Escape' });
    await waitFor(() => shadow(el).activeElement === shadow(el).querySelector('[data-action="cancel"]'), 'focus back');
  });

  it('speaks German', async () => {
    const el = await mount(admin, seeded(), 'de');
    expect($(el, 'h3').textContent).to.equal('Abrechnung');
    expect(details(el)).to.include({ Status: 'Aktiv', Zahlweise: 'Monatlich', Betrag: '19,99\u00a0€' });
    expect(invoiceRow(el, 'in_0002').slice(0, 6)).to.deep.equal([
      'INV-0002',
      '01.12.2026',
      // (invoiceRow folds the no-break space before € into a space)
      '19,99 €',
      '19,99 €',
      '—',
      'Bezahlt',
    ]);
    click(el, 'tr[data-invoice="in_0002"] [data-action="refund"]');
    await waitFor(() => shadow(el).querySelector('form[part="panel"]'), 'refund form');
    expect($(el, '[part="panel"] h5').textContent).to.equal('Rechnung INV-0002 erstatten');
    expect($(el, 'input[value="full"]').parentElement!.textContent!.trim()).to.equal(
      'Vollständig erstatten (19,99\u00a0€)',
    );
    await expect(el).to.be.accessible();
  });
});
