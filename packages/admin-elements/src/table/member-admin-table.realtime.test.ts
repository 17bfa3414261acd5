import { expect, fixture, html } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import './member-admin-table.js';
import type { MemberAdminTable } from './member-admin-table.js';
import { communityOk, createCommunityStaff, createCommunityTenant } from '../test/community.js';
import { shadow, waitFor, type TestStaff, type TestTenant } from '../test/support.js';
import { waitForIdle } from './table-fixture.js';

// Two staff consoles on the community API: the real `GET /v1/realtime` stream over HTTP, no stand-in.
let tenant: TestTenant;

before(async function () {
  // The first command starts the community API (tens of seconds).
  this.timeout(150_000);
  tenant = await createCommunityTenant();
});

async function mountConsole(staff: TestStaff): Promise<MemberAdminTable> {
  const provider = await fixture(
    html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale="en">
      <member-admin-table></member-admin-table>
    </member-admin-provider>`,
  );
  const table = provider.querySelector('member-admin-table') as MemberAdminTable;
  await waitForIdle(table);
  await waitFor(() => table.getAttribute('live-status') === 'open', 'the live stream', 15_000);
  return table;
}

const badgeOf = (table: MemberAdminTable, id: string): string =>
  shadow(table).querySelector(`tbody tr[data-id="${id}"] .badge`)?.textContent?.trim() ?? '';
const summary = (table: MemberAdminTable): string =>
  shadow(table).querySelector('.summary-line')?.textContent?.trim() ?? '';

describe('<member-admin-table> on the real-time stream', () => {
  it("updates a second staff page live when a member's status changes", async function () {
    // Many round trips to the API, on a busy machine.
    this.timeout(120_000);
    const ada = await communityOk(tenant, 'POST', '/v1/members', {
      email: 'ada@example.org',
      first_name: 'Ada',
      last_name: 'Lovelace',
      status: 'active',
    });
    const first = await mountConsole(await createCommunityStaff(tenant, 'admin'));
    const second = await mountConsole(await createCommunityStaff(tenant, 'manager'));
    expect(badgeOf(second, ada.id)).to.equal('Active');

    // Staff in the first page suspends Ada from her row: the second page follows.
    shadow(first).querySelector<HTMLButtonElement>(`tbody tr[data-id="${ada.id}"] [data-action="suspend"]`)!.click();
    await waitFor(() => badgeOf(first, ada.id) === 'Suspended', 'the first page');
    await waitFor(() => badgeOf(second, ada.id) === 'Suspended', 'the second page, live', 15_000);
    expect(shadow(second).querySelector(`tbody tr[data-id="${ada.id}"]`)!.classList.contains('live-changed')).to.equal(
      true,
    );

    // Through the API (an integration with the secret key): both pages follow, and a new member shows with the count.
    await communityOk(tenant, 'PATCH', `/v1/members/${ada.id}`, { status: 'active' });
    await waitFor(
      () => badgeOf(first, ada.id) === 'Active' && badgeOf(second, ada.id) === 'Active',
      'both pages',
      15_000,
    );
    const grace = await communityOk(tenant, 'POST', '/v1/members', {
      email: 'grace@example.org',
      first_name: 'Grace',
      last_name: 'Hopper',
      status: 'active',
    });
    await waitFor(() => badgeOf(second, grace.id) === 'Active', 'the new member', 15_000);
    await waitFor(() => summary(second) === '2 members', 'the count', 15_000);
  });
});
