import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  api,
  createStaff,
  createTenant,
  seedMany,
  seedMembers,
  seedTier,
  shadow,
  typeInto,
  waitFor,
  type TestTenant,
} from '../test/support.js';
import type { MemberAdminTable } from './member-admin-table.js';
import { mountTable, rowElements, rowNames, waitForIdle } from './table-fixture.js';

const $ = <T extends Element>(table: MemberAdminTable, selector: string): T => {
  const el = shadow(table).querySelector<T>(selector);
  if (!el) throw new Error(`no ${selector}`);
  return el;
};

/** Changes a control and waits for the table to show the new list. */
async function change(table: MemberAdminTable, selector: string, value: string): Promise<void> {
  typeInto($<HTMLInputElement>(table, selector), value);
  await table.updateComplete;
  await waitForIdle(table);
}

async function click(table: MemberAdminTable, selector: string): Promise<void> {
  $<HTMLButtonElement>(table, selector).click();
  await table.updateComplete;
}

/** Seeds a small club: 12 members, two tiers, some tags. */
async function seedClub(tenant: TestTenant): Promise<{ gold: string; silver: string; ids: string[] }> {
  const gold = await seedTier(tenant, 'Gold');
  const silver = await seedTier(tenant, 'Silver');
  const ids = await seedMembers(tenant, [
    {
      email: 'ada@example.org',
      first_name: 'Ada',
      last_name: 'Lovelace',
      status: 'active',
      tier_id: gold,
      tags: ['board'],
    },
    {
      email: 'grace@example.org',
      first_name: 'Grace',
      last_name: 'Hopper',
      status: 'active',
      tier_id: gold,
      tags: ['volunteer'],
    },
    { email: 'alan@example.org', first_name: 'Alan', last_name: 'Turing', status: 'suspended', tier_id: silver },
    {
      email: 'edsger@example.org',
      first_name: 'Edsger',
      last_name: 'Dijkstra',
      status: 'inactive',
      tier_id: silver,
      tags: ['volunteer'],
    },
    { email: 'barbara@example.org', first_name: 'Barbara', last_name: 'Liskov', status: 'pending' },
    {
      email: 'donald@example.org',
      first_name: 'Donald',
      last_name: 'Knuth',
      status: 'active',
      tier_id: silver,
      tags: ['volunteer'],
    },
    { email: 'margaret@example.org', first_name: 'Margaret', last_name: 'Hamilton', status: 'active' },
    { email: 'john@example.org', first_name: 'John', last_name: 'Backus', status: 'active' },
    { email: 'frances@example.org', first_name: 'Frances', last_name: 'Allen', status: 'active' },
    { email: 'ken@example.org', first_name: 'Ken', last_name: 'Thompson', status: 'active' },
    { email: 'dennis@example.org', first_name: 'Dennis', last_name: 'Ritchie', status: 'active' },
    { email: 'radia@example.org', first_name: 'Radia', last_name: 'Perlman', status: 'active' },
  ]);
  return { gold, silver, ids };
}

describe('<member-admin-table>', () => {
  it("searches, filters, sorts and pages through the tenant's members", async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    const { gold } = await seedClub(tenant);
    const table = await mountTable(tenant, staff);

    // Newest first, 25 a page by default: all 12.
    expect(rowNames(table)[0]).to.equal('Radia Perlman');
    expect(rowNames(table)).to.have.length(12);
    expect($(table, '.summary-line').textContent).to.contain('12 members');

    // Search is debounced: typing fires one request after a pause.
    await change(table, 'input[name="search"]', 'lovel');
    await waitFor(() => rowNames(table).length === 1, 'search results');
    expect(rowNames(table)).to.deep.equal(['Ada Lovelace']);
    await change(table, 'input[name="search"]', '');
    await waitFor(() => rowNames(table).length === 12, 'cleared search');

    await change(table, 'select[name="status"]', 'suspended');
    expect(rowNames(table)).to.deep.equal(['Alan Turing']);
    expect($(table, 'tbody .badge').textContent).to.equal('Suspended');
    expect($(table, '.summary-line').textContent!.trim()).to.equal('1 member');
    await change(table, 'select[name="status"]', '');

    await change(table, 'select[name="tier"]', gold);
    expect(rowNames(table)).to.have.members(['Ada Lovelace', 'Grace Hopper']);
    expect(
      [...shadow(table).querySelectorAll('table[part="table"] > tbody > tr td:nth-child(3)')].map((td) =>
        td.textContent?.trim(),
      ),
    ).to.deep.equal(['Gold', 'Gold']);
    await change(table, 'select[name="tier"]', '');

    await change(table, 'input[name="tag"]', 'volunteer');
    expect(rowNames(table)).to.have.members(['Grace Hopper', 'Edsger Dijkstra', 'Donald Knuth']);
    expect($(table, '.summary-line').textContent).to.contain('3 members');
    await change(table, 'input[name="tag"]', '');

    // A created range that ends yesterday holds nobody.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await change(table, 'input[name="created-to"]', yesterday);
    expect(rowNames(table)).to.deep.equal([]);
    expect($(table, 'tbody').textContent).to.contain('No members match.');
    await change(table, 'input[name="created-to"]', '');

    // Sort by member: last name ascending, then descending.
    await click(table, 'button[data-sort="last_name"]');
    await waitForIdle(table);
    expect(rowNames(table).slice(0, 3)).to.deep.equal(['Frances Allen', 'John Backus', 'Edsger Dijkstra']);
    expect($(table, 'th.col-member').getAttribute('aria-sort')).to.equal('ascending');
    await click(table, 'button[data-sort="last_name"]');
    await waitForIdle(table);
    expect(rowNames(table)[0]).to.equal('Alan Turing');
    expect($(table, 'th.col-member').getAttribute('aria-sort')).to.equal('descending');
    await click(table, 'button[data-sort="last_name"]');
    await waitForIdle(table);

    // Page size 10: two pages, forward and back.
    await change(table, 'select[name="page-size"]', '10');
    expect(rowNames(table)).to.have.length(10);
    expect(rowNames(table)[0]).to.equal('Frances Allen');
    expect($<HTMLButtonElement>(table, 'button[data-action="prev"]').disabled).to.equal(true);
    await click(table, 'button[data-action="next"]');
    await waitForIdle(table);
    expect(rowNames(table)).to.deep.equal(['Ken Thompson', 'Alan Turing']);
    expect($<HTMLButtonElement>(table, 'button[data-action="next"]').disabled).to.equal(true);
    expect($(table, '.pager').textContent).to.contain('Page 2');
    await click(table, 'button[data-action="prev"]');
    await waitForIdle(table);
    expect(rowNames(table)[0]).to.equal('Frances Allen');
    expect($(table, '.summary-line').textContent).to.contain('12 members');
  });

  it('changes the status of every member matching a filter in one bulk action, confirmed with the count', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'manager');
    await seedMany(
      tenant,
      Array.from({ length: 14 }, (_, i) => ({
        email: `m${i}@example.org`,
        first_name: `Member${i}`,
        last_name: `Number${i}`,
        status: 'active' as const,
        tags: i < 12 ? ['volunteer'] : [],
      })),
    );
    const table = await mountTable(tenant, staff);
    await change(table, 'select[name="page-size"]', '10');
    await change(table, 'input[name="tag"]', 'volunteer');
    expect(rowNames(table)).to.have.length(10);

    // Select the page, then every member matching the filter (12, across two pages).
    $<HTMLInputElement>(table, 'thead input[type="checkbox"]').click();
    await table.updateComplete;
    expect($(table, '.bulk').textContent).to.contain('10 selected');
    await click(table, 'button[data-action="select-all-matching"]');
    expect($(table, '.bulk').textContent).to.contain('12 selected');

    await change(table, '#bulk-action', 'update_status');
    typeInto($<HTMLSelectElement>(table, '#bulk-status'), 'inactive');
    await click(table, 'button[data-action="bulk-apply"]');
    const dialog = $<HTMLDialogElement>(table, 'dialog');
    expect(dialog.open).to.equal(true);
    expect(dialog.textContent).to.contain('this affects 12 members');

    const done = oneEvent(table, 'member-admin-bulk');
    await click(table, 'button[data-action="confirm"]');
    const { detail } = await done;
    expect(detail.result.totals).to.include({ requested: 12, succeeded: 12 });
    await waitFor(() => shadow(table).querySelector('[data-result]'), 'bulk result');
    expect($(table, '[data-result]').textContent).to.contain('12 updated, 0 failed');

    // Through the API: the 12 volunteers are inactive, the other two untouched.
    const inactive = await api(tenant, 'GET', '/v1/members?status=inactive&limit=100');
    expect(inactive.body.data).to.have.length(12);
    expect(inactive.body.data.every((m: { tags: string[] }) => m.tags.includes('volunteer'))).to.equal(true);
    const active = await api(tenant, 'GET', '/v1/members?status=active&limit=100');
    expect(active.body.data).to.have.length(2);

    // The table shows the new state.
    await click(table, 'button[data-action="close"]');
    await waitForIdle(table);
    expect([...shadow(table).querySelectorAll('tbody .badge')].every((b) => b.textContent === 'Inactive')).to.equal(
      true,
    );
  });

  it('reports per-row results when some members cannot change', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    await seedMembers(tenant, [
      { email: 'p@example.org', first_name: 'Pat', last_name: 'Pending', status: 'pending' },
      { email: 'a@example.org', first_name: 'Ann', last_name: 'Active', status: 'active' },
    ]);
    const table = await mountTable(tenant, staff);
    $<HTMLInputElement>(table, 'thead input[type="checkbox"]').click();
    await table.updateComplete;
    typeInto($<HTMLSelectElement>(table, '#bulk-status'), 'suspended');
    await click(table, 'button[data-action="bulk-apply"]');
    expect($(table, 'dialog').textContent).to.contain('this affects 2 members');
    await click(table, 'button[data-action="confirm"]');
    await waitFor(() => shadow(table).querySelector('[data-result]'), 'bulk result');
    // pending → suspended is not an allowed transition: that row fails, the other applies.
    expect($(table, '[data-result]').textContent).to.contain('1 updated, 1 failed');
    expect($(table, 'dialog ul').textContent).to.contain('pending');
  });

  it('shows a viewer no write actions, and the API refuses them anyway', async () => {
    const tenant = await createTenant();
    const viewer = await createStaff(tenant, 'viewer');
    const [id] = await seedMembers(tenant, [
      { email: 'v@example.org', first_name: 'Vera', last_name: 'Viewed', status: 'active' },
    ]);
    const table = await mountTable(tenant, viewer);
    expect(rowNames(table)).to.deep.equal(['Vera Viewed']);
    expect(shadow(table).querySelectorAll('input[type="checkbox"]:not([name^="column-"])')).to.have.length(0);
    expect(
      shadow(table).querySelector('[data-action="edit"], [data-action="suspend"], [data-action="add"], .bulk'),
    ).to.equal(null);

    // The same token, straight at the API: refused.
    const res = await fetch(`${tenant.apiUrl}/v1/members/${id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${viewer.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'suspended' }),
    });
    expect(res.status).to.equal(403);
    const bulk = await fetch(`${tenant.apiUrl}/v1/members/bulk`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${viewer.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'delete', member_ids: [id] }),
    });
    expect(bulk.status).to.equal(403);
  });

  it('suspends and activates a member from the row', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'manager');
    const [id] = await seedMembers(tenant, [
      { email: 's@example.org', first_name: 'Sam', last_name: 'Row', status: 'active' },
    ]);
    const table = await mountTable(tenant, staff);
    await click(table, '[data-action="suspend"]');
    await waitFor(() => shadow(table).querySelector('tbody .badge')?.textContent === 'Suspended', 'suspended badge');
    expect((await api(tenant, 'GET', `/v1/members/${id}`)).body.status).to.equal('suspended');
    await click(table, '[data-action="activate"]');
    await waitFor(() => shadow(table).querySelector('tbody .badge')?.textContent === 'Active', 'active badge');
    expect((await api(tenant, 'GET', `/v1/members/${id}`)).body.status).to.equal('active');
  });

  it('works by keyboard alone: rows, selection and a bulk action', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    const ids = await seedMembers(tenant, [
      { email: 'k1@example.org', first_name: 'Kim', last_name: 'One', status: 'active' },
      { email: 'k2@example.org', first_name: 'Kim', last_name: 'Two', status: 'active' },
      { email: 'k3@example.org', first_name: 'Kim', last_name: 'Three', status: 'active' },
    ]);
    const table = await mountTable(tenant, staff);
    // Newest first: Three, Two, One. Tab into the table body: one stop for all rows.
    const rows = rowElements(table);
    rows[0]!.focus();
    expect(shadow(table).activeElement).to.equal(rows[0]);
    await sendKeys({ press: 'ArrowDown' });
    expect(shadow(table).activeElement).to.equal(rowElements(table)[1]);
    await sendKeys({ press: 'Space' });
    await table.updateComplete;
    await sendKeys({ press: 'End' });
    expect(shadow(table).activeElement).to.equal(rowElements(table)[2]);
    await sendKeys({ press: 'Space' });
    await table.updateComplete;
    expect($(table, '.bulk').textContent).to.contain('2 selected');
    expect(rowElements(table).map((r) => r.getAttribute('tabindex'))).to.deep.equal(['-1', '-1', '0']);

    // In the bulk bar, choose "Add tag" with the arrow keys, type the tag, apply.
    $<HTMLSelectElement>(table, '#bulk-action').focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await table.updateComplete;
    expect($<HTMLSelectElement>(table, '#bulk-action').value).to.equal('add_tags');
    await sendKeys({ press: 'Tab' });
    expect(shadow(table).activeElement?.id).to.equal('bulk-tag');
    await sendKeys({ type: 'keyboard' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await table.updateComplete;
    expect($<HTMLDialogElement>(table, 'dialog').open).to.equal(true);
    expect($(table, 'dialog').textContent).to.contain('this affects 2 members');
    // The dialog takes focus; Tab to Confirm and press it.
    await waitFor(() => shadow(table).activeElement?.closest('dialog'), 'focus in dialog');
    const confirm = $<HTMLButtonElement>(table, 'button[data-action="confirm"]');
    while (shadow(table).activeElement !== confirm) await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => shadow(table).querySelector('[data-result]'), 'bulk result');

    const tagged = await api(tenant, 'GET', '/v1/members?tag=keyboard');
    expect(tagged.body.data.map((m: { id: string }) => m.id)).to.have.members([ids[0], ids[1]]);
  });

  it('passes an accessibility check with rows, filters and a selection', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    await seedClub(tenant);
    const table = await mountTable(tenant, staff);
    $<HTMLInputElement>(table, 'tbody input[type="checkbox"]').click();
    await table.updateComplete;
    $<HTMLDetailsElement>(table, 'details.filters').open = true;
    await expect(table).to.be.accessible();
    await expect(table.parentElement!).to.be.accessible();
  });

  it('speaks German', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    await seedMembers(tenant, [
      { email: 'd@example.org', first_name: 'Dora', last_name: 'Deutsch', status: 'suspended' },
    ]);
    const table = await mountTable(tenant, staff, { locale: 'de' });
    expect($(table, '.summary-line').textContent).to.contain('1 Mitglied');
    expect($(table, 'tbody .badge').textContent).to.equal('Gesperrt');
    expect($(table, '[data-action="activate"]').textContent).to.equal('Aktivieren');
    expect($(table, 'details.filters summary').textContent).to.contain('Filter');
    expect($(table, 'input[name="search"]').getAttribute('placeholder')).to.equal('Name oder E-Mail');
  });

  it('keeps every row on one line of one fixed height: two tags and a "+N" chip naming the rest, long text ellipsized with its full value', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    const longTier = await seedTier(tenant, 'Lifetime honorary patron of the society and its regional chapters');
    const longName = 'Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh';
    const longTag = 'coordinator-of-the-regional-volunteer-programme';
    const [five, long] = await seedMembers(tenant, [
      {
        email: 'five@example.org',
        first_name: 'Fay',
        last_name: 'Fiver',
        status: 'active',
        tags: ['board', 'volunteer', 'treasurer', 'founder', 'speaker'],
      },
      {
        email: `${longName.toLowerCase()}@example.org`,
        first_name: longName,
        last_name: longName,
        status: 'suspended',
        tier_id: longTier,
        tags: [longTag, `${longTag}-2`, 'x'],
      },
      { email: 'none@example.org', first_name: 'No', last_name: 'Tags', status: 'pending' },
      {
        email: 'two@example.org',
        first_name: 'Two',
        last_name: 'Tags',
        status: 'inactive',
        tags: ['board', 'volunteer'],
      },
    ]);
    const table = await mountTable(tenant, staff);
    const row = (id: string) => $<HTMLTableRowElement>(table, `tbody tr[data-id="${id}"]`);

    // The height comes from the table's CSS, and every row has exactly it, whatever its content.
    const rowHeight = getComputedStyle(table).getPropertyValue('--_row-height').trim();
    expect(rowHeight).to.match(/^\d+px$/);
    const rows = rowElements(table);
    expect(rows).to.have.length(4);
    for (const tr of rows) expect(`${tr.getBoundingClientRect().height}px`, tr.dataset.id).to.equal(rowHeight);
    for (const td of rows.flatMap((tr) => [...tr.cells])) expect(getComputedStyle(td).whiteSpace).to.equal('nowrap');

    // Five tags: the first two, then "+3" whose tooltip and accessible label name the other three.
    const tags = (id: string) => [...row(id).querySelectorAll('.tag-line > .tag:not(.more)')].map((t) => t.textContent);
    expect(tags(five!)).to.deep.equal(['board', 'volunteer']);
    const more = row(five!).querySelector('.tag-line > .more')!;
    expect(more.textContent).to.equal('+3');
    expect(more.getAttribute('title')).to.equal('treasurer, founder, speaker');
    expect(more.getAttribute('role')).to.equal('img');
    expect(more.getAttribute('aria-label')).to.equal('3 more tags: treasurer, founder, speaker');
    expect(tags(rows.find((r) => r.querySelector('.name')?.textContent === 'Two Tags')!.dataset.id!)).to.deep.equal([
      'board',
      'volunteer',
    ]);
    expect(rows.filter((tr) => tr.querySelector('.tag-line > .more'))).to.have.length(2);

    // Long values are cut with an ellipsis; the whole value is in the title.
    const name = row(long!).querySelector<HTMLElement>('.name')!;
    expect(name.title).to.equal(`${longName} ${longName}`);
    expect(getComputedStyle(name).textOverflow).to.equal('ellipsis');
    expect(row(long!).querySelector<HTMLElement>('.email')!.title).to.equal(`${longName.toLowerCase()}@example.org`);
    expect(row(long!).querySelector<HTMLElement>('.tag-line > .tag')!.title).to.equal(longTag);
    expect(getComputedStyle(row(long!).querySelector('.tag-line > .tag')!).textOverflow).to.equal('ellipsis');
    // The tier names arrive with the tenant's tiers, which load beside the first page (later on a slow server run).
    await waitFor(
      () =>
        [...row(long!).querySelectorAll('td')].some(
          (td) => td.title === 'Lifetime honorary patron of the society and its regional chapters',
        ),
      "the tier cell's title",
    );
    expect(row(long!).querySelector('.tag-line > .more')!.getAttribute('aria-label')).to.equal('1 more tag: x');
    await expect(table).to.be.accessible();
  });

  it('keeps its query in the URL when asked', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    await seedClub(tenant);
    const before = location.href;
    history.replaceState(null, '', `${location.pathname}?m_status=suspended&m_sort=last_name&m_order=asc`);
    try {
      const table = await mountTable(tenant, staff, { syncUrl: true });
      expect(rowNames(table)).to.deep.equal(['Alan Turing']);
      expect($<HTMLSelectElement>(table, 'select[name="status"]').value).to.equal('suspended');
      await change(table, 'select[name="status"]', 'pending');
      expect(new URL(location.href).searchParams.get('m_status')).to.equal('pending');
      expect(rowNames(table)).to.deep.equal(['Barbara Liskov']);
    } finally {
      history.replaceState(null, '', before);
    }
  });
});
