import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import '../table/member-admin-table.js';
import './member-admin-editor.js';
import type { MemberAdminEditor } from './member-admin-editor.js';
import type { MemberAdminTable } from '../table/member-admin-table.js';
import {
  api,
  apiOk,
  createStaff,
  createTenant,
  seedMembers,
  shadow,
  typeInto,
  waitFor,
  type TestStaff,
  type TestTenant,
} from '../test/support.js';
import { rowNames, waitForIdle } from '../table/table-fixture.js';

async function mount(
  tenant: TestTenant,
  staff: TestStaff,
  locale = 'en',
): Promise<{ table: MemberAdminTable; editor: MemberAdminEditor }> {
  const provider =
    await fixture(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale=${locale}>
    <member-admin-table></member-admin-table>
    <member-admin-editor></member-admin-editor>
  </member-admin-provider>`);
  const table = provider.querySelector('member-admin-table') as MemberAdminTable;
  await waitForIdle(table);
  return { table, editor: provider.querySelector('member-admin-editor') as MemberAdminEditor };
}

const field = (editor: MemberAdminEditor, name: string): HTMLInputElement => {
  const el = shadow(editor).querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no field ${name}`);
  return el;
};
const errorOf = (editor: MemberAdminEditor, name: string): string | undefined => {
  const id = field(editor, name).getAttribute('aria-describedby');
  return id ? (shadow(editor).getElementById(id)?.textContent ?? undefined) : undefined;
};

async function defineFields(tenant: TestTenant): Promise<void> {
  await apiOk(tenant, 'PUT', '/v1/tenant/fields', {
    fields: [
      { key: 'company', label: { en: 'Company', de: 'Firma' }, type: 'text', required: true },
      { key: 'age', label: { en: 'Age' }, type: 'number' },
      { key: 'newsletter', label: { en: 'Newsletter' }, type: 'boolean' },
    ],
  });
}

describe('<member-admin-editor>', () => {
  it("opens from the table's Add member and shows the API's validation errors on the right fields", async () => {
    const tenant = await createTenant();
    await defineFields(tenant);
    const staff = await createStaff(tenant, 'admin');
    const { table, editor } = await mount(tenant, staff);

    shadow(table).querySelector<HTMLButtonElement>('[data-action="add"]')!.click();
    await waitFor(() => editor.open && shadow(editor).querySelector('form'), 'editor open');
    expect(shadow(editor).querySelector('dialog')!.open).to.equal(true);
    expect(shadow(editor).querySelector('h2')!.textContent).to.equal('New member');

    typeInto(field(editor, 'first_name'), 'Nia');
    typeInto(field(editor, 'last_name'), 'Newton');
    typeInto(field(editor, 'email'), 'not-an-email');
    typeInto(field(editor, 'custom_fields.age'), '42');
    shadow(editor).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => shadow(editor).querySelector('#form-error'), 'form error');

    // The API checks the body's shape first: the email.
    expect(field(editor, 'email').getAttribute('aria-invalid')).to.equal('true');
    expect(errorOf(editor, 'email')).to.equal('Must be an email address.');
    expect(field(editor, 'first_name').getAttribute('aria-invalid')).to.equal('false');
    expect(shadow(editor).querySelector('#form-error')!.textContent).to.contain('correct the highlighted fields');
    expect(shadow(editor).activeElement).to.equal(field(editor, 'email'));
    await expect(editor).to.be.accessible();

    // Then the tenant's custom fields: the required company.
    typeInto(field(editor, 'email'), 'nia@example.org');
    shadow(editor).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(
      () => field(editor, 'custom_fields.company').getAttribute('aria-invalid') === 'true',
      'company error',
    );
    expect(errorOf(editor, 'custom_fields.company')).to.equal('Is required.');
    expect(field(editor, 'email').getAttribute('aria-invalid')).to.equal('false');

    // Fixed: the member is created, with typed custom fields, and the table lists it.
    typeInto(field(editor, 'custom_fields.company'), 'Acme');
    const saved = oneEvent(editor, 'member-admin-saved');
    shadow(editor).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const { detail } = await saved;
    expect(detail.created).to.equal(true);
    expect(detail.member.custom_fields).to.deep.equal({ company: 'Acme', age: 42, newsletter: false });
    await waitFor(() => rowNames(table).includes('Nia Newton'), 'new row');
  });

  it('edits a member, offering only allowed status changes, and shows its history', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'manager');
    const [id] = await seedMembers(tenant, [
      { email: 'p@example.org', first_name: 'Pia', last_name: 'Pending', status: 'pending', tags: ['new'] },
    ]);
    const { table, editor } = await mount(tenant, staff);

    shadow(table).querySelector<HTMLButtonElement>('[data-action="edit"]')!.click();
    await waitFor(
      () => shadow(editor).querySelector<HTMLInputElement>('[name="email"]')?.value === 'p@example.org',
      'member loaded',
    );
    const options = [...shadow(editor).querySelectorAll<HTMLOptionElement>('select[name="status"] option')].map(
      (o) => o.value,
    );
    expect(options).to.deep.equal(['pending', 'active', 'inactive']);
    await waitFor(() => shadow(editor).querySelector('.history li'), 'history');
    expect(shadow(editor).querySelector('.history')!.textContent).to.contain('member.created');
    // Seeded with the tenant's secret key: the history names the key, not its id.
    const creator = shadow(editor).querySelector('.history li .party')!;
    expect(creator.textContent).to.equal('Default secret key');
    expect(creator.getAttribute('title')).to.match(/^api_key key_/);

    typeInto(field(editor, 'last_name'), 'Active');
    typeInto(shadow(editor).querySelector<HTMLSelectElement>('select[name="status"]')!, 'active');
    typeInto(field(editor, 'tags'), 'new, vip');
    const saved = oneEvent(editor, 'member-admin-saved');
    shadow(editor).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await saved;

    const member = (await api(tenant, 'GET', `/v1/members/${id}`)).body;
    expect(member).to.include({ last_name: 'Active', status: 'active' });
    expect(member.tags).to.deep.equal(['new', 'vip']);
    await waitFor(() => rowNames(table).includes('Pia Active'), 'row updated in place');
    await waitFor(
      () => shadow(editor).querySelector('.history')!.textContent!.includes('member.updated'),
      'history updated',
    );
    expect(shadow(editor).querySelector('.history li .party')!.textContent).to.equal(`Test manager (${staff.email})`);
    // Now active: suspended is offered, pending no longer.
    const after = [...shadow(editor).querySelectorAll<HTMLOptionElement>('select[name="status"] option')].map(
      (o) => o.value,
    );
    expect(after).to.deep.equal(['active', 'inactive', 'suspended']);
  });

  it('shows a viewer the member without a save button', async () => {
    const tenant = await createTenant();
    const viewer = await createStaff(tenant, 'viewer');
    const [id] = await seedMembers(tenant, [
      { email: 'r@example.org', first_name: 'Rita', last_name: 'Read', status: 'active' },
    ]);
    const { editor } = await mount(tenant, viewer);
    await editor.edit(id!);
    await editor.updateComplete;
    expect(field(editor, 'email').value).to.equal('r@example.org');
    expect(shadow(editor).querySelector('button[type="submit"]')).to.equal(null);
    expect(shadow(editor).querySelector('form > fieldset')!.hasAttribute('disabled')).to.equal(true);
  });

  it('speaks German', async () => {
    const tenant = await createTenant();
    await defineFields(tenant);
    const staff = await createStaff(tenant, 'admin');
    const { editor } = await mount(tenant, staff, 'de');
    await editor.create();
    await editor.updateComplete;
    expect(shadow(editor).querySelector('h2')!.textContent).to.equal('Neues Mitglied');
    expect(shadow(editor).textContent).to.contain('Firma *');
    expect(shadow(editor).querySelector('button[type="submit"]')!.textContent!.trim()).to.equal('Anlegen');
  });
});
