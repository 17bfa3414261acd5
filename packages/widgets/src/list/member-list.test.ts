import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-list.js';
import type { MemberList } from './member-list.js';
import { api, createActiveMember, createTenant, resetPage, seedMember, type TestTenant } from '../test/api.js';
import { qa, text } from '../test/dom.js';

const fields = [
  { key: 'city', label: { en: 'City', de: 'Stadt' }, type: 'text', visibility: 'public', member_editable: true },
  { key: 'phone', label: { en: 'Phone', de: 'Telefon' }, type: 'text', visibility: 'members', member_editable: true },
  { key: 'salary', label: { en: 'Salary' }, type: 'number', visibility: 'staff' },
];

async function directoryTenant(name: string): Promise<TestTenant> {
  const tenant = await createTenant(
    { directory: { enabled: true }, auth: { require_email_verification: false } },
    name,
  );
  const put = await api(tenant, 'PUT', '/v1/tenant/fields', { fields });
  expect(put.status).to.equal(200);
  return tenant;
}

/** The label → value pairs shown for members, e.g. `City: London`. */
function shownFields(list: MemberList): string[] {
  return qa(list, 'dt').map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`);
}

function names(list: MemberList): string[] {
  return qa(list, '[part=name]').map((el) => el.textContent ?? '');
}

async function mountList(tenant: TestTenant, pageSize = 20): Promise<MemberList> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en"><member-list page-size=${pageSize}></member-list></member-provider>`,
  );
  await provider.configReady;
  return provider.querySelector('member-list') as MemberList;
}

describe('<member-list>', function () {
  this.timeout(30_000);
  beforeEach(resetPage);

  it('lists members with public fields only to visitors, members fields to signed-in members, never staff fields', async () => {
    const tenant = await directoryTenant('Visible Club');
    const ada = await createActiveMember(tenant, {
      first_name: 'Ada',
      last_name: 'Byron',
      custom_fields: { city: 'London', phone: '+44 1' },
    });
    const staffOnly = await api(tenant, 'PATCH', `/v1/members/${ada.id}`, { custom_fields: { salary: 100 } });
    expect(staffOnly.status).to.equal(200);
    const list = await mountList(tenant);
    await waitUntil(() => names(list).length === 1, 'directory did not load');

    expect(names(list)).to.deep.equal(['Ada Byron']);
    expect(list.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('1 member shown');
    expect(shownFields(list)).to.deep.equal(['City: London']);
    expect(text(list)).not.to.contain('+44');
    expect(text(list)).not.to.contain('Salary');
    await expect(list).to.be.accessible();

    await (list as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
      ada.email,
      ada.password,
    );
    await waitUntil(() => text(list).includes('+44 1'), 'members field not shown after sign-in');
    expect(shownFields(list)).to.deep.equal(['City: London', 'Phone: +44 1']);
    expect(text(list)).not.to.contain('Salary');
  });

  it('searches by name and loads more pages', async () => {
    const tenant = await directoryTenant('Search Club');
    for (const [first, last] of [
      ['Alan', 'Turing'],
      ['Grace', 'Hopper'],
      ['Edsger', 'Dijkstra'],
    ]) {
      await seedMember(tenant, { first_name: first as string, last_name: last as string });
    }
    const list = await mountList(tenant, 2);
    // Two per page: the first page shows two; the sentinel is in view in the test page,
    // so the second page may follow before this check runs: at least two, then three.
    await waitUntil(() => names(list).length >= 2, 'first page not loaded');
    await waitUntil(() => names(list).length === 3, 'second page not loaded');
    expect(names(list)).to.have.members(['Alan Turing', 'Grace Hopper', 'Edsger Dijkstra']);

    const input = list.shadowRoot?.querySelector('input[type=search]') as HTMLInputElement;
    input.value = 'hopper';
    input.dispatchEvent(new InputEvent('input'));
    await waitUntil(() => names(list).length === 1, 'search not applied');
    expect(names(list)).to.deep.equal(['Grace Hopper']);
  });

  it('says the directory is not available when the tenant has it off', async () => {
    const tenant = await createTenant();
    const list = await mountList(tenant);
    await list.updateComplete;
    expect(text(list)).to.contain('The member directory is not available.');
  });

  it("a second tenant's key on the same page sees only its own members", async () => {
    const one = await directoryTenant('Club One');
    const two = await directoryTenant('Club Two');
    await seedMember(one, { first_name: 'Only', last_name: 'InOne' });
    await seedMember(two, { first_name: 'Only', last_name: 'InTwo' });
    const page = await fixture<HTMLDivElement>(html`<div>
      <member-provider publishable-key=${one.publishableKey} api-url=${one.apiUrl} locale="en"><member-list id="one"></member-list></member-provider>
      <member-provider publishable-key=${two.publishableKey} api-url=${two.apiUrl} locale="en"><member-list id="two"></member-list></member-provider>
    </div>`);
    const listOne = page.querySelector('#one') as MemberList;
    const listTwo = page.querySelector('#two') as MemberList;
    await waitUntil(() => names(listOne).length > 0 && names(listTwo).length > 0, 'lists did not load');
    expect(names(listOne)).to.deep.equal(['Only InOne']);
    expect(names(listTwo)).to.deep.equal(['Only InTwo']);
  });
});
