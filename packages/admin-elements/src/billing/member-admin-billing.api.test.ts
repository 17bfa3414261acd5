import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import '../editor/member-admin-editor.js';
import '../subscriptions/member-admin-subscriptions.js';
import './member-admin-billing.js';
import type { MemberAdminEditor } from '../editor/member-admin-editor.js';
import type { MemberAdminSubscriptions } from '../subscriptions/member-admin-subscriptions.js';
import type { MemberAdminBilling } from './member-admin-billing.js';
import {
  billingRequest,
  createBillingStaff,
  createBillingTenant,
  createPaidTier,
  createPayingMember,
} from '../test/billing-harness.js';
import { shadow, typeInto, waitFor, type TestStaff, type TestTenant } from '../test/support.js';

// The real API with Stripe as the Stripe test double (mk-billing): a member pays for a tier
// through Checkout, and staff see and change it through the SDK's billing methods.
describe('billing on the real API', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let admin: TestStaff;
  let manager: TestStaff;
  let tierId: string;
  let payer: { id: string; email: string };

  before(async () => {
    tenant = await createBillingTenant();
    tierId = await createPaidTier(tenant, 'Supporter', 1500);
    [admin, manager] = [await createBillingStaff(tenant, 'admin'), await createBillingStaff(tenant, 'manager')];
  });

  const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null =>
    shadow(el).querySelector<T>(selector);
  const details = (el: Element): Record<string, string> =>
    Object.fromEntries(
      [...shadow(el).querySelectorAll('[part="subscription"] > div')].map((d) => [
        d.querySelector('dt')!.textContent!.trim(),
        d.querySelector('dd')!.textContent!.trim(),
      ]),
    );

  async function mountBilling(staff: TestStaff): Promise<MemberAdminBilling> {
    const provider =
      await fixture(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale="en">
      <member-admin-billing member-id=${payer.id}></member-admin-billing>
    </member-admin-provider>`);
    const el = provider.querySelector('member-admin-billing') as MemberAdminBilling;
    await waitFor(() => el.shadowRoot?.querySelector('tr[data-invoice]'), 'billing with an invoice', 15_000);
    return el;
  }

  it('grants and ends a complimentary membership for a member without a subscription', async () => {
    const member = await billingRequest(tenant, 'POST', '/v1/members', {
      email: `comp-${Date.now().toString(36)}@example.org`,
      first_name: 'Carla',
      last_name: 'Comp',
    });
    expect(member.status).to.equal(201);
    const provider =
      await fixture(html`<member-admin-provider api-url=${tenant.apiUrl} token=${admin.accessToken} locale="en">
      <member-admin-billing member-id=${member.body.id}></member-admin-billing>
    </member-admin-provider>`);
    const el = provider.querySelector('member-admin-billing') as MemberAdminBilling;
    const grant = await waitFor(
      () => el.shadowRoot?.querySelector<HTMLButtonElement>('[data-action="grant-comp"]'),
      'grant',
    );
    grant.click();
    await waitFor(() => $(el, `select[name="tier_id"] option[value="${tierId}"]`), 'tiers');
    typeInto($<HTMLSelectElement>(el, 'select[name="tier_id"]')!, tierId);
    const year = new Date().getFullYear() + 2;
    typeInto($<HTMLInputElement>(el, 'input[name="ends_at"]')!, `${year}-06-30`);
    $<HTMLButtonElement>(el, '[part="panel"] button[type="submit"]')!.click();
    await waitFor(() => details(el).Status === 'Complimentary', 'comp shown', 15_000);
    expect(details(el)).to.include({ Tier: 'Supporter', 'Complimentary until': `Jun 30, ${year}` });
    const after = await billingRequest(tenant, 'GET', `/v1/members/${member.body.id}`);
    expect(after.body.tier_id).to.equal(tierId);

    $<HTMLButtonElement>(el, '[data-action="revoke-comp"]')!.click();
    const confirm = await waitFor(() => $<HTMLButtonElement>(el, '[data-confirm]'), 'revoke confirm');
    confirm.click();
    await waitFor(() => $(el, '.notice')?.textContent === 'Complimentary membership ended.', 'comp ended', 15_000);
  });

  describe('with a member who paid through Checkout', () => {
    before(async () => {
      payer = await createPayingMember(tenant, tierId, { first: 'Paula', last: 'Payer' });
    });

    it('shows the paid subscription and invoice, and refunds part of it', async () => {
      const el = await mountBilling(admin);
      await waitFor(() => details(el).Tier === 'Supporter', 'tier name');
      expect(details(el)).to.include({ Status: 'Active', Tier: 'Supporter', Interval: 'Monthly', Amount: '€15.00' });
      const row = $(el, 'tr[data-invoice]')!;
      const invoiceId = row.getAttribute('data-invoice')!;
      expect(row.textContent).to.contain('€15.00').and.contain('Paid');
      expect(row.querySelector('a')!.getAttribute('href')).to.match(/^https?:\/\//);

      row.querySelector<HTMLButtonElement>('[data-action="refund"]')!.click();
      await waitFor(() => $(el, 'form[part="panel"]'), 'refund form');
      $<HTMLInputElement>(el, 'input[value="partial"]')!.click();
      await el.updateComplete;
      typeInto($<HTMLInputElement>(el, 'input[name="amount"]')!, '4.00');
      $<HTMLButtonElement>(el, '[part="panel"] button[type="submit"]')!.click();
      const confirm = await waitFor(() => $<HTMLButtonElement>(el, '[data-confirm]'), 'confirm step');
      const done = oneEvent(el, 'member-admin-billing');
      confirm.click();
      await done;
      await waitFor(() => $(el, '.notice')?.textContent === 'Refunded €4.00.', 'refund notice', 15_000);
      await waitFor(
        () => $(el, `tr[data-invoice="${invoiceId}"] .refunded`)?.textContent?.trim() === '€4.00',
        'refunded column',
        15_000,
      );
      const billing = await billingRequest(tenant, 'GET', `/v1/members/${payer.id}/billing`);
      expect(billing.body.invoices[0].amount_refunded).to.equal(400);
      await expect(el).to.be.accessible();
    });

    it('shows the API refusing a refund larger than what is left', async () => {
      const el = await mountBilling(admin);
      const row = $(el, 'tr[data-invoice]')!;
      row.querySelector<HTMLButtonElement>('[data-action="refund"]')!.click();
      await waitFor(() => $(el, 'form[part="panel"]'), 'refund form');
      // Another staff member refunds everything meanwhile: the confirmed amount is no longer there.
      const invoiceId = row.getAttribute('data-invoice')!;
      const refunded = await billingRequest(
        tenant,
        'POST',
        `/v1/billing/invoices/${invoiceId}/refund`,
        {},
        admin.accessToken,
      );
      expect(refunded.status, JSON.stringify(refunded.body)).to.be.oneOf([200, 201]);
      $<HTMLButtonElement>(el, '[part="panel"] button[type="submit"]')!.click();
      const confirm = await waitFor(() => $<HTMLButtonElement>(el, '[data-confirm]'), 'confirm step');
      confirm.click();
      const alert = await waitFor(() => $(el, '[part="panel"] .error[role="alert"]'), 'problem shown', 15_000);
      expect(alert.textContent!.length).to.be.greaterThan(0);
      expect(alert.textContent).not.to.equal('Something went wrong.');
    });

    it('is read-only for a manager, and lists the subscription, which opens the member', async () => {
      const el = await mountBilling(manager);
      expect(details(el).Status).to.equal('Active');
      expect($(el, '[data-action]')).to.equal(null);
      expect($(el, '.read-only')).not.to.equal(null);

      const provider =
        await fixture(html`<member-admin-provider api-url=${tenant.apiUrl} token=${manager.accessToken} locale="en">
      <member-admin-subscriptions></member-admin-subscriptions>
      <member-admin-editor></member-admin-editor>
    </member-admin-provider>`);
      const list = provider.querySelector('member-admin-subscriptions') as MemberAdminSubscriptions;
      const editor = provider.querySelector('member-admin-editor') as MemberAdminEditor;
      const button = await waitFor(
        () => list.shadowRoot?.querySelector<HTMLButtonElement>(`tr[data-member="${payer.id}"] button.member`),
        'subscription row',
        15_000,
      );
      await waitFor(() => button.textContent === 'Paula Payer', 'member name');
      const cells = [...list.shadowRoot!.querySelectorAll(`tr[data-member="${payer.id}"] td`)].map((td) =>
        td.textContent!.replace(/\s+/g, ' ').trim(),
      );
      expect(cells.slice(1, 6)).to.deep.equal(['Supporter', 'Active', 'Monthly', '€15.00', '€15.00']);
      button.click();
      await waitFor(
        () => shadow(editor).querySelector<HTMLInputElement>('[name="email"]')?.value === payer.email,
        'editor on the member',
        15_000,
      );
      await waitFor(() => shadow(editor).querySelector('member-admin-billing'), 'billing in the editor');
    });
  });
});
