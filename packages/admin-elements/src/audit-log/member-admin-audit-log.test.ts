import { expect, fixture, html } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import '../table/member-admin-table.js';
import './member-admin-audit-log.js';
import type { MemberAdminAuditLog } from './member-admin-audit-log.js';
import type { MemberAdminTable } from '../table/member-admin-table.js';
import { api, createStaff, createTenant, seedMembers, shadow, typeInto, waitFor } from '../test/support.js';
import { waitForIdle } from '../table/table-fixture.js';

describe('<member-admin-audit-log>', () => {
  it('shows the actions just performed in the table, by the staff user, and a verified chain', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    await seedMembers(tenant, [{ email: 'a@example.org', first_name: 'Audrey', last_name: 'Audit', status: 'active' }]);
    const el =
      await fixture<HTMLElement>(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale="en">
      <member-admin-table></member-admin-table>
      <member-admin-audit-log></member-admin-audit-log>
    </member-admin-provider>`);
    const table = el.querySelector('member-admin-table') as MemberAdminTable;
    const log = el.querySelector('member-admin-audit-log') as MemberAdminAuditLog;
    await waitForIdle(table);
    await waitFor(() => shadow(log).querySelector('.chain[data-valid="true"]'), 'chain verified');

    // Suspend from the table, then bulk-tag: both appear in the log, by this staff user.
    shadow(table).querySelector<HTMLButtonElement>('[data-action="suspend"]')!.click();
    await waitFor(() => shadow(table).querySelector('tbody .badge')?.textContent === 'Suspended', 'suspended');
    await log.reload();
    await waitFor(
      () => shadow(log).querySelector('tbody tr[data-seq] .action')?.textContent === 'member.updated',
      'update in log',
    );
    const first = shadow(log).querySelector('tbody tr[data-seq]')!;
    // Names, not ids: who did it and to whom, with the kind and id on hover.
    const actor = first.querySelector('.actor .party')!;
    expect(actor.textContent).to.equal(`Test admin (${staff.email})`);
    expect(actor.getAttribute('title')).to.equal(`staff ${staff.id}`);
    expect(first.querySelector('.target')!.textContent!.trim()).to.equal('Audrey Audit (a@example.org)');
    expect(first.textContent).not.to.contain(staff.id);
    expect(first.querySelector('.diff')!.textContent).to.contain('status: "active" → "suspended"');

    shadow(table).querySelector<HTMLInputElement>('tbody input[type="checkbox"]')!.click();
    await table.updateComplete;
    typeInto(shadow(table).querySelector<HTMLSelectElement>('#bulk-action')!, 'add_tags');
    await table.updateComplete;
    typeInto(shadow(table).querySelector<HTMLInputElement>('#bulk-tag')!, 'audited');
    shadow(table).querySelector<HTMLButtonElement>('[data-action="bulk-apply"]')!.click();
    await table.updateComplete;
    shadow(table).querySelector<HTMLButtonElement>('[data-action="confirm"]')!.click();
    // The log listens for the table's bulk event and reloads by itself.
    await waitFor(
      () => [...shadow(log).querySelectorAll('tbody .diff')].some((d) => d.textContent?.includes('audited')),
      'bulk in log',
    );
    expect(shadow(log).querySelector('.chain')!.textContent).to.match(/Chain verified: all \d+ entries are intact/);

    // Filter by action.
    typeInto(shadow(log).querySelector<HTMLInputElement>('input[name="action"]')!, 'member.created');
    shadow(log).querySelector<HTMLFormElement>('form')!.requestSubmit();
    await waitFor(() => {
      const actions = [...shadow(log).querySelectorAll('tbody tr[data-seq] .action')].map((a) => a.textContent);
      return actions.length === 1 && actions[0] === 'member.created';
    }, 'filtered log');
    await expect(log).to.be.accessible();
  });

  it('shows entries of an erased member as erased, and the chain as intact', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    const [id] = await seedMembers(tenant, [
      { email: 'gone@example.org', first_name: 'Gone', last_name: 'Soon', status: 'active' },
    ]);
    await api(tenant, 'PATCH', `/v1/members/${id}`, { last_name: 'Sooner' });
    expect((await api(tenant, 'POST', `/v1/members/${id}/erase`)).status).to.equal(204);
    const el =
      await fixture<HTMLElement>(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale="en">
      <member-admin-audit-log></member-admin-audit-log>
    </member-admin-provider>`);
    const log = el.querySelector('member-admin-audit-log') as MemberAdminAuditLog;
    await waitFor(() => shadow(log).querySelector('.chain[data-valid="true"]'), 'chain verified');
    expect(shadow(log).querySelector('.chain')!.textContent).to.match(
      /entries are intact\. 2 of them had personal data erased with a member\./,
    );
    const rows = [...shadow(log).querySelectorAll('tbody tr[data-seq]')].filter(
      (r) => r.querySelector('.target .party')?.getAttribute('data-id') === id,
    );
    // Named as the erased member now is, not as they were.
    expect(rows[0]!.querySelector('.target')!.textContent!.trim()).to.equal('Erased Member');
    const erasedRows = rows.filter((r) => r.querySelector('.redacted')?.textContent === 'Personal data erased');
    expect(erasedRows.map((r) => r.querySelector('.action')!.textContent)).to.have.members([
      'member.created',
      'member.updated',
    ]);
    expect(shadow(log).textContent).not.to.contain('gone@example.org');
    expect(shadow(log).textContent).not.to.contain('Sooner');
    await expect(log).to.be.accessible();
  });
});
