import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../provider/member-admin-provider.js';
import '../editor/member-admin-editor.js';
import './member-admin-subscriptions.js';
import type { MemberAdminEditor } from '../editor/member-admin-editor.js';
import type { MemberAdminSubscriptions } from './member-admin-subscriptions.js';
import { FakeBillingApi, fakeInvoice, fakeMemberBilling, fakeSubscription } from '../test/fake-billing-api.js';
import {
  createStaff,
  createTenant,
  seedMembers,
  seedTier,
  shadow,
  typeInto,
  waitFor,
  type TestStaff,
  type TestTenant,
} from '../test/support.js';

// Staff, members and tiers are the real API's; subscriptions come from FakeBillingApi
// (see there why), pointing at the real members.
let tenant: TestTenant;
let admin: TestStaff;
let memberIds: string[];
let goldId: string;

before(async () => {
  tenant = await createTenant();
  admin = await createStaff(tenant, 'admin');
  goldId = await seedTier(tenant, 'Gold');
  memberIds = await seedMembers(tenant, [
    { email: 'ada@example.org', first_name: 'Ada', last_name: 'Annual', status: 'active' },
    { email: 'ben@example.org', first_name: 'Ben', last_name: 'Monthly', status: 'active' },
    { email: 'cem@example.org', first_name: 'Cem', last_name: 'Comp', status: 'active' },
  ]);
});

function seeded(extra = 0): FakeBillingApi {
  const api = new FakeBillingApi();
  const [ada, ben, cem] = memberIds as [string, string, string];
  api.subscriptions = [
    fakeSubscription({ id: 'msub_a', member_id: ada, interval: 'year', amount: 12000, tier_name: 'Gold' }),
    fakeSubscription({
      id: 'msub_b',
      member_id: ben,
      status: 'past_due',
      tier_id: 'tier_silver',
      tier_name: 'Silver',
      amount: 999,
      cancel_at_period_end: true,
    }),
    fakeSubscription({
      id: 'msub_c',
      member_id: cem,
      kind: 'comp',
      status: 'comp',
      interval: null,
      amount: 0,
      current_period_end: null,
      comp_ends_at: '2027-03-31T21:59:59.999Z',
    }),
    ...Array.from({ length: extra }, (_, i) =>
      fakeSubscription({ id: `msub_x${String(i).padStart(3, '0')}`, member_id: ada, tier_name: 'Gold' }),
    ),
  ].map((sub) => (sub.tier_id === 'tier_gold' ? { ...sub, tier_id: goldId } : sub));
  api.members.set(ada, fakeMemberBilling(ada, api.subscriptions[0]!, [fakeInvoice({ id: 'in_ada1' })]));
  return api;
}

async function mount(
  api: FakeBillingApi,
  locale = 'en',
): Promise<{ list: MemberAdminSubscriptions; editor: MemberAdminEditor }> {
  const provider =
    await fixture(html`<member-admin-provider api-url=${tenant.apiUrl} token=${admin.accessToken} locale=${locale}>
    <member-admin-subscriptions .billingApi=${api}></member-admin-subscriptions>
    <member-admin-editor .billingApi=${api}></member-admin-editor>
  </member-admin-provider>`);
  const list = provider.querySelector('member-admin-subscriptions') as MemberAdminSubscriptions;
  await waitFor(() => list.shadowRoot?.querySelector('table[aria-busy="false"] tbody tr'), 'list loaded');
  return { list, editor: provider.querySelector('member-admin-editor') as MemberAdminEditor };
}

const rows = (list: Element): string[][] =>
  [...shadow(list).querySelectorAll('tbody tr[data-id]')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()),
  );

describe('<member-admin-subscriptions>', () => {
  it('lists subscriptions with their recurring revenue and the members by name', async () => {
    const { list } = await mount(seeded());
    await waitFor(() => rows(list)[0]?.[0]?.startsWith('Ada'), 'member names');
    expect(rows(list)).to.deep.equal([
      ['Ada Annual ada@example.org', 'Gold', 'Active', 'Yearly', '€120.00', '€10.00', 'Jan 1, 2027', 'Jun 1, 2026'],
      [
        'Ben Monthly ben@example.org',
        'Silver',
        'Past due ends Jan 1, 2027',
        'Monthly',
        '€9.99',
        '€9.99',
        'Jan 1, 2027',
        'Jun 1, 2026',
      ],
      ['Cem Comp cem@example.org', 'Gold', 'Complimentary ends Mar 31, 2027', '—', '—', '—', '—', 'Jun 1, 2026'],
    ]);
    expect(shadow(list).querySelector('[data-action="more"]')).to.equal(null);
    await expect(list).to.be.accessible();
  });

  it('filters by status and tier', async () => {
    const api = seeded();
    const { list } = await mount(api);
    typeInto(shadow(list).querySelector<HTMLSelectElement>('select[name="status"]')!, 'past_due');
    await waitFor(() => rows(list).length === 1, 'filtered by status');
    expect(rows(list)[0]![1]).to.equal('Silver');
    expect(api.calls.at(-1)!.args[0]).to.deep.equal({ limit: 25, status: 'past_due' });

    typeInto(shadow(list).querySelector<HTMLSelectElement>('select[name="status"]')!, '');
    await waitFor(() => shadow(list).querySelector(`option[value="${goldId}"]`), 'tiers to choose from');
    typeInto(shadow(list).querySelector<HTMLSelectElement>('select[name="tier_id"]')!, goldId);
    await waitFor(() => rows(list).length === 2, 'filtered by tier');
    expect(api.calls.at(-1)!.args[0]).to.deep.equal({ limit: 25, tier_id: goldId });
  });

  it('loads more with the cursor', async () => {
    const api = seeded(30);
    const { list } = await mount(api);
    expect(rows(list)).to.have.length(25);
    expect(shadow(list).querySelector('[role="status"]')!.textContent).to.equal('25 shown');
    shadow(list).querySelector<HTMLButtonElement>('[data-action="more"]')!.click();
    await waitFor(() => rows(list).length === 33, 'second page');
    expect(api.calls.at(-1)!.args[0]).to.deep.equal({ limit: 25, cursor: 'msub_x021' });
    expect(shadow(list).querySelector('[data-action="more"]')).to.equal(null);
  });

  it("opens the member's editor, with billing, from a row by keyboard", async () => {
    const { list, editor } = await mount(seeded());
    const button = await waitFor(
      () => shadow(list).querySelector<HTMLButtonElement>('tr[data-id="msub_a"] button.member'),
      'row button',
    );
    expect(button.getAttribute('aria-label')).to.match(/^Open (Ada Annual|mem_)/);
    button.focus();
    const opened = oneEvent(list, 'member-admin-edit');
    await sendKeys({ press: 'Enter' });
    expect((await opened).detail).to.deep.equal({ memberId: memberIds[0] });
    await waitFor(
      () => shadow(editor).querySelector<HTMLInputElement>('[name="email"]')?.value === 'ada@example.org',
      'editor on the member',
    );
    const billing = await waitFor(() => shadow(editor).querySelector('member-admin-billing'), 'billing section');
    await waitFor(() => billing.shadowRoot?.querySelector('tr[data-invoice="in_ada1"]'), 'invoices in the editor');
    expect(billing.shadowRoot!.querySelector('[part="subscription"]')!.textContent).to.contain('Yearly');
    await expect(editor).to.be.accessible();
  });

  it('reloads after a billing change in the editor, and speaks German', async () => {
    const api = seeded();
    const { list, editor } = await mount(api, 'de');
    expect(shadow(list).querySelector('h2')!.textContent).to.equal('Abonnements');
    await waitFor(() => rows(list)[1]?.[2] === 'Überfällig endet 01.01.2027', 'German row');
    await editor.edit(memberIds[0]!);
    const billing = await waitFor(() => shadow(editor).querySelector('member-admin-billing'), 'billing section');
    const cancel = await waitFor(
      () => billing.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="cancel"]'),
      'cancel button',
    );
    expect(cancel.textContent!.trim()).to.equal('Abonnement kündigen');
    const listed = api.calls.filter((c) => c.method === 'listSubscriptions').length;
    cancel.click();
    await waitFor(() => billing.shadowRoot!.querySelector('form[part="panel"]'), 'cancel form');
    billing.shadowRoot!.querySelector<HTMLButtonElement>('[part="panel"] button[type="submit"]')!.click();
    const confirm = await waitFor(
      () => billing.shadowRoot!.querySelector<HTMLButtonElement>('[data-confirm]'),
      'confirm step',
    );
    confirm.click();
    await waitFor(() => api.calls.filter((c) => c.method === 'listSubscriptions').length > listed, 'list reloaded');
  });
});
