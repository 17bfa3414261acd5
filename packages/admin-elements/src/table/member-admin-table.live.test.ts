import { expect, fixture, html } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import './member-admin-table.js';
import '../editor/member-admin-editor.js';
import type { MemberAdminTable } from './member-admin-table.js';
import type { MemberAdminEditor } from '../editor/member-admin-editor.js';
import { FakeRealtime } from '../test/fake-realtime.js';
import {
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
import { rowElements, rowNames, waitForIdle } from './table-fixture.js';

async function mount(
  tenant: TestTenant,
  staff: TestStaff,
  realtime?: FakeRealtime,
): Promise<{ table: MemberAdminTable; editor: MemberAdminEditor }> {
  const provider = await fixture(
    html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale="en">
      <member-admin-table .realtime=${realtime}></member-admin-table>
      <member-admin-editor .realtime=${realtime}></member-admin-editor>
    </member-admin-provider>`,
  );
  const table = provider.querySelector('member-admin-table') as MemberAdminTable;
  await waitForIdle(table);
  return { table, editor: provider.querySelector('member-admin-editor') as MemberAdminEditor };
}

const summary = (table: MemberAdminTable): string =>
  shadow(table).querySelector('.summary-line')?.textContent?.trim() ?? '';
const rowOf = (table: MemberAdminTable, id: string): HTMLTableRowElement | null =>
  shadow(table).querySelector<HTMLTableRowElement>(`tbody tr[data-id="${id}"]`);
const badgeOf = (table: MemberAdminTable, id: string): string =>
  rowOf(table, id)?.querySelector('.badge')?.textContent?.trim() ?? '';

describe('<member-admin-table> live', () => {
  it('changes rows in place, drops members that leave the filter, adds new ones and keeps the count', async function () {
    // Many round trips to the API, on a busy machine.
    this.timeout(120_000);
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    const [ada, grace, alan] = await seedMembers(tenant, [
      { email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace', status: 'active' },
      { email: 'grace@example.org', first_name: 'Grace', last_name: 'Hopper', status: 'active' },
      { email: 'alan@example.org', first_name: 'Alan', last_name: 'Turing', status: 'active' },
    ]);
    const live = new FakeRealtime();
    const { table } = await mount(tenant, staff, live);
    expect(live.topics).to.deep.equal(['members']);
    expect(table.getAttribute('live-status')).to.equal('open');
    expect(summary(table)).to.equal('3 members');

    // Staff elsewhere suspends Ada: her row changes in place, highlighted, the count stays.
    const suspended = await apiOk(tenant, 'PATCH', `/v1/members/${ada}`, { status: 'suspended' });
    live.emit('members', 'member.status_changed', suspended);
    await waitFor(() => badgeOf(table, ada!) === 'Suspended', "Ada's new status");
    expect(rowOf(table, ada!)!.classList.contains('live-changed')).to.equal(true);
    expect(rowNames(table)).to.deep.equal(['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    expect(summary(table)).to.equal('3 members');
    // The same state again (this page's own change echoed back) changes nothing.
    live.emit('members', 'member.status_changed', suspended);
    expect(rowNames(table)).to.have.length(3);

    // Filtered to active members: one suspended elsewhere leaves the page and the count.
    typeInto(shadow(table).querySelector<HTMLSelectElement>('select[name="status"]')!, 'active');
    await table.updateComplete;
    await waitForIdle(table);
    expect(rowNames(table)).to.deep.equal(['Alan Turing', 'Grace Hopper']);
    live.emit(
      'members',
      'member.status_changed',
      await apiOk(tenant, 'PATCH', `/v1/members/${grace}`, { status: 'suspended' }),
    );
    await waitFor(() => rowNames(table).length === 1, 'Grace to leave the list');
    expect(summary(table)).to.equal('1 member');

    // A new active member appears on top of the first page (newest first).
    const nia = await apiOk(tenant, 'POST', '/v1/members', {
      email: 'nia@example.org',
      first_name: 'Nia',
      last_name: 'Newton',
      status: 'active',
    });
    live.emit('members', 'member.created', nia);
    await waitFor(() => rowNames(table)[0] === 'Nia Newton', 'Nia on top');
    await waitFor(() => summary(table) === '2 members', 'the count to follow');

    // A new suspended member does not match: nothing changes.
    live.emit(
      'members',
      'member.created',
      await apiOk(tenant, 'POST', '/v1/members', {
        email: 'x@example.org',
        first_name: 'Xa',
        last_name: 'X',
        status: 'suspended',
      }),
    );
    expect(rowNames(table)).to.deep.equal(['Nia Newton', 'Alan Turing']);

    // Sorted by name, a new member cannot be placed: a notice offers a refresh.
    shadow(table).querySelector<HTMLButtonElement>('button[data-sort="last_name"]')!.click();
    await table.updateComplete;
    await waitForIdle(table);
    live.emit(
      'members',
      'member.created',
      await apiOk(tenant, 'POST', '/v1/members', {
        email: 'bo@example.org',
        first_name: 'Bo',
        last_name: 'Able',
        status: 'active',
      }),
    );
    const notice = await waitFor(() => shadow(table).querySelector('[part="live-notice"]'), 'the new-member notice');
    expect(notice.textContent).to.contain('1 new member');
    expect(rowNames(table)).to.not.include('Bo Able');
    notice.querySelector<HTMLButtonElement>('button[data-action="live-refresh"]')!.click();
    await waitFor(() => rowNames(table)[0] === 'Bo Able', 'the refreshed list');
    expect(shadow(table).querySelector('[part="live-notice"]')).to.equal(null);
    expect(summary(table)).to.equal('3 members');

    // Deleted elsewhere: gone from the page and the count.
    await apiOk(tenant, 'DELETE', `/v1/members/${alan}`);
    live.emit('members', 'member.deleted', { id: alan, object: 'member' });
    await waitFor(() => !rowOf(table, alan!), 'Alan to be removed');
    await waitFor(() => summary(table) === '2 members', 'the count after the deletion');
    await expect(table).to.be.accessible();

    // Off the page, the subscription ends.
    table.remove();
    // (The editor watches only while it shows a member.)
    expect(live.subs.size).to.equal(0);
  });

  it('editor: warns when the member it shows changes elsewhere, then reloads or keeps the edits', async function () {
    // Many round trips to the API, on a busy machine.
    this.timeout(120_000);
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    const [ada] = await seedMembers(tenant, [
      { email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace', status: 'active' },
    ]);
    const live = new FakeRealtime();
    const { table, editor } = await mount(tenant, staff, live);
    rowElements(table)[0]!.querySelector<HTMLButtonElement>('[data-action="edit"]')!.click();
    const input = (name: string): HTMLInputElement =>
      shadow(editor).querySelector<HTMLInputElement>(`[name="${name}"]`)!;
    await waitFor(() => editor.open && shadow(editor).querySelector('form'), 'editor open');
    const banner = (): HTMLElement | null => shadow(editor).querySelector('[part="changed-elsewhere"]');

    // Its own save, echoed by the stream, is no news.
    typeInto(input('first_name'), 'Ada Augusta');
    shadow(editor).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => shadow(editor).querySelector('[role="status"]')?.textContent === 'Saved.', 'saved');
    const saved = await apiOk(tenant, 'GET', `/v1/members/${ada}`);
    live.emit('members', 'member.updated', saved);
    await editor.updateComplete;
    expect(banner()).to.equal(null);

    // Edited here, changed elsewhere: the banner says so; "keep my changes" keeps the edit.
    typeInto(input('first_name'), 'Augusta');
    // With unsaved edits the earlier "Saved." is gone (so the next "Saved." is the next save's).
    await editor.updateComplete;
    expect(shadow(editor).querySelector('[role="status"]')).to.equal(null);
    live.emit('members', 'member.updated', await apiOk(tenant, 'PATCH', `/v1/members/${ada}`, { last_name: 'King' }));
    await waitFor(() => banner(), 'the changed-elsewhere banner');
    expect(banner()!.getAttribute('role')).to.equal('alert');
    expect(banner()!.textContent).to.contain('Your unsaved changes are still here.');
    await expect(editor).to.be.accessible();
    banner()!.querySelector<HTMLButtonElement>('[data-action="keep-mine"]')!.click();
    await waitFor(() => !banner(), 'the banner to go');
    expect(input('first_name').value).to.equal('Augusta');
    expect(input('last_name').value).to.equal('King');
    shadow(editor).querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => shadow(editor).querySelector('[role="status"]')?.textContent === 'Saved.', 'saved again');
    const merged = await apiOk(tenant, 'GET', `/v1/members/${ada}`);
    expect([merged.first_name, merged.last_name]).to.deep.equal(['Augusta', 'King']);

    // Changed elsewhere again: Reload shows the member as it is now.
    live.emit(
      'members',
      'member.status_changed',
      await apiOk(tenant, 'PATCH', `/v1/members/${ada}`, { status: 'suspended' }),
    );
    await waitFor(() => banner(), 'the banner again');
    banner()!.querySelector<HTMLButtonElement>('[data-action="reload-remote"]')!.click();
    await waitFor(() => !banner() && input('status').value === 'suspended', 'the reloaded member');
    // The table followed too.
    await waitFor(() => badgeOf(table, ada!) === 'Suspended', 'the table row');

    // Deleted elsewhere.
    live.emit('members', 'member.deleted', { id: ada, object: 'member' });
    await waitFor(() => banner()?.textContent?.includes('deleted elsewhere'), 'the deleted banner');
  });
});
