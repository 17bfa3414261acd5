import { expect } from '@open-wc/testing';
import { createStaff, createTenant, seedMany, shadow, typeInto } from '../test/support.js';
import { mountTable, rowElements, waitForIdle } from './table-fixture.js';

/**
 * Records how long the table takes from the API's response to 50 rows in the DOM
 * (`member-admin-table:render`) and to style and layout done
 * (`member-admin-table:layout`), with the Performance API. Nothing timing-based is
 * asserted (CI machines vary); the numbers are printed for bench/RESULTS.md.
 */
describe('<member-admin-table> performance', () => {
  it('measures the render of 50 rows after the response, first page load and later loads', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'admin');
    await seedMany(
      tenant,
      Array.from({ length: 50 }, (_, i) => ({
        email: `perf${i}@example.org`,
        first_name: `Perf${i}`,
        last_name: `Member${i}`,
        status: (['active', 'pending', 'inactive', 'suspended'] as const)[i % 4],
        tags: i % 3 === 0 ? ['volunteer', 'board'] : [],
      })),
      10,
    );
    // The first page of a page load, as the bench (bench/admin-table.ts) opens it: 50 rows
    // from the URL, with nothing of the table rendered before (cold templates, formatters, code).
    const before = location.href;
    const url = new URL(before);
    url.searchParams.set('m_limit', '50');
    history.replaceState(history.state, '', url);
    performance.clearMeasures();
    const table = await mountTable(tenant, staff, { syncUrl: true });
    history.replaceState(history.state, '', before);
    expect(rowElements(table)).to.have.length(50);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
    const coldRender = performance.getEntriesByName('member-admin-table:render', 'measure').at(-1);
    const coldLayout = performance.getEntriesByName('member-admin-table:layout', 'measure').at(-1);
    expect(coldRender, 'first render measure').to.not.equal(undefined);
    const samples: { render: number; layout: number }[] = [{ render: coldRender!.duration, layout: coldLayout!.duration }];
    // Later loads of 50 rows, with the templates prepared.
    for (const size of ['10', '50', '10', '50']) {
      performance.clearMeasures();
      typeInto(shadow(table).querySelector<HTMLSelectElement>('select[name="page-size"]')!, size);
      await waitForIdle(table);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))));
      if (size !== '50') continue;
      expect(rowElements(table)).to.have.length(50);
      const render = performance.getEntriesByName('member-admin-table:render', 'measure').at(-1);
      const layout = performance.getEntriesByName('member-admin-table:layout', 'measure').at(-1);
      expect(render, 'render measure').to.not.equal(undefined);
      expect(layout, 'layout measure').to.not.equal(undefined);
      samples.push({ render: render!.duration, layout: layout!.duration });
    }
    // Layout stays stable: fixed row height, so 50 rows are 50 × the first.
    const rows = rowElements(table);
    expect(rows.at(-1)!.getBoundingClientRect().bottom - rows[0]!.getBoundingClientRect().top).to.be.closeTo(rows[0]!.getBoundingClientRect().height * 50, 50);
    console.log(`member-admin-table 50 rows (first page load, then later loads): ${samples.map((s) => `render ${s.render.toFixed(1)} ms, with layout ${s.layout.toFixed(1)} ms`).join(' | ')}`);
  });
});
