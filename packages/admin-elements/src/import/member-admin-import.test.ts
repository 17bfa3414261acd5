import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import '../table/member-admin-table.js';
import './member-admin-import.js';
import type { MemberAdminImport } from './member-admin-import.js';
import type { MemberAdminTable } from '../table/member-admin-table.js';
import { api, createStaff, createTenant, seedMembers, shadow, typeInto, waitFor } from '../test/support.js';
import { waitForIdle } from '../table/table-fixture.js';

const CSV = [
  'E-Mail,First,Last,Notes',
  'ada@example.org,Ada,Lovelace,x',
  'not-an-email,Bad,Row,y',
  '"grace@example.org","Grace","Hopper, Rear Admiral",z',
  'alan@example.org,,Turing,w',
].join('\n');

describe('<member-admin-import>', () => {
  it('maps columns, reports bad rows in a dry run without writing, then imports the fixed file', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    const el =
      await fixture<HTMLElement>(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken}>
      <member-admin-import></member-admin-import>
    </member-admin-provider>`);
    const importer = el.querySelector('member-admin-import') as MemberAdminImport;
    importer.setCsv(CSV);
    // The importer is offered once the provider has the staff user's permissions (GET /v1/staff/me).
    await waitFor(() => shadow(importer).querySelector('select[data-column]'), 'the column mapping');

    // Columns guessed from their headers; the unknown one ignored.
    const mapping = [...shadow(importer).querySelectorAll<HTMLSelectElement>('select[data-column]')].map(
      (s) => s.value,
    );
    expect(mapping).to.deep.equal(['email', 'first_name', 'last_name', '']);
    expect(shadow(importer).querySelector('tbody')!.textContent).to.contain('Hopper, Rear Admiral');

    shadow(importer).querySelector<HTMLButtonElement>('[data-action="dry-run"]')!.click();
    await waitFor(() => shadow(importer).querySelector('[data-result]'), 'dry-run result');
    const result = shadow(importer).querySelector('[data-result]')!;
    expect(result.textContent).to.contain('4 rows checked, 2 with errors');
    const lines = [...result.querySelectorAll('li')].map((li) => li.getAttribute('data-line'));
    expect(lines).to.deep.equal(['3', '5']);
    expect(result.textContent).to.contain('email');
    expect((await api(tenant, 'GET', '/v1/members')).body.data).to.have.length(0);

    // Fixed file, real import.
    importer.setCsv(
      [
        'E-Mail,First,Last,Notes',
        'ada@example.org,Ada,Lovelace,x',
        '"grace@example.org","Grace","Hopper, Rear Admiral",z',
      ].join('\n'),
    );
    await importer.updateComplete;
    const done = oneEvent(importer, 'member-admin-import');
    shadow(importer).querySelector<HTMLButtonElement>('[data-action="import"]')!.click();
    await importer.updateComplete;
    // Busy while the API streams the file in.
    expect(shadow(importer).querySelector('progress')).to.not.equal(null);
    expect(shadow(importer).querySelector('section')!.getAttribute('aria-busy')).to.equal('true');
    const { detail } = await done;
    expect(detail.result.totals.created).to.equal(2);
    await importer.updateComplete;
    expect(shadow(importer).querySelector('[data-result]')!.textContent).to.contain(
      'Imported: 2 created, 0 updated, 0 skipped',
    );
    const members = (await api(tenant, 'GET', '/v1/members?sort=email&order=asc')).body.data;
    expect(members.map((m: { email: string; last_name: string }) => [m.email, m.last_name])).to.deep.equal([
      ['ada@example.org', 'Lovelace'],
      ['grace@example.org', 'Hopper, Rear Admiral'],
    ]);
    await expect(importer).to.be.accessible();
  });

  it("exports the members matching the table's current filter as CSV", async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'viewer');
    await seedMembers(tenant, [
      { email: 'v1@example.org', first_name: 'Val', last_name: 'One', status: 'active', tags: ['volunteer'] },
      { email: 'v2@example.org', first_name: 'Val', last_name: 'Two', status: 'active', tags: ['volunteer', 'board'] },
      { email: 'x@example.org', first_name: 'Xavier', last_name: 'Other', status: 'active' },
    ]);
    const el =
      await fixture<HTMLElement>(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken}>
      <member-admin-table></member-admin-table>
      <member-admin-import></member-admin-import>
    </member-admin-provider>`);
    const table = el.querySelector('member-admin-table') as MemberAdminTable;
    const importer = el.querySelector('member-admin-import') as MemberAdminImport;
    await waitForIdle(table);
    typeInto(shadow(table).querySelector<HTMLInputElement>('input[name="tag"]')!, 'volunteer');
    await waitForIdle(table);

    // A viewer may export but is not offered the import.
    await importer.updateComplete;
    expect(shadow(importer).querySelector('input[type="file"]')).to.equal(null);
    const exported = oneEvent(importer, 'member-admin-export');
    shadow(importer).querySelector<HTMLButtonElement>('[data-action="export"]')!.click();
    const { detail } = await exported;
    const [header, ...rows] = detail.csv.trim().split('\n');
    expect(header).to.contain('email');
    expect(rows).to.have.length(2);
    expect(detail.csv).to.contain('v1@example.org');
    expect(detail.csv).to.contain('v2@example.org');
    expect(detail.csv).not.to.contain('x@example.org');
    await importer.updateComplete;
    expect(shadow(importer).textContent).to.contain('Exported 2 members.');
  });
});
