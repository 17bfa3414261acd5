import { fixture, html } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import './member-admin-table.js';
import type { MemberAdminTable } from './member-admin-table.js';
import { shadow, waitFor, type TestStaff, type TestTenant } from '../test/support.js';

/** Mounts a provider signed in as `staff` with a table inside, and waits for the first page. */
export async function mountTable(
  tenant: TestTenant,
  staff: TestStaff,
  options: { locale?: string; syncUrl?: boolean } = {},
): Promise<MemberAdminTable> {
  const provider = await fixture(
    html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale=${options.locale ?? 'en'}>
      <member-admin-table ?sync-url=${options.syncUrl ?? false}></member-admin-table>
    </member-admin-provider>`,
  );
  const table = provider.querySelector('member-admin-table') as MemberAdminTable;
  await waitForIdle(table);
  return table;
}

/** Waits until the table is not loading (and has rendered what it loaded). */
export async function waitForIdle(table: MemberAdminTable): Promise<void> {
  // Render a load just started (aria-busy="true") before waiting for it to end.
  await table.updateComplete;
  await waitFor(
    () => shadow(table).querySelector('table[aria-busy="false"]') || shadow(table).querySelector('[role="alert"]'),
    'table to load',
  );
  await table.updateComplete;
}

/** The names shown in the table's rows, top to bottom. */
export function rowNames(table: MemberAdminTable): string[] {
  return [...shadow(table).querySelectorAll('table[part="table"] > tbody > tr[data-id] .name')].map(
    (n) => n.textContent?.trim() ?? '',
  );
}

/** The rows of the table. */
export function rowElements(table: MemberAdminTable): HTMLTableRowElement[] {
  return [...shadow(table).querySelectorAll<HTMLTableRowElement>('table[part="table"] > tbody > tr[data-id]')];
}
