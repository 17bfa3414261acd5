import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../button/member-button.js';
import '../gate/member-gate.js';
import '../list/member-list.js';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import { createTenant, resetPage, seedMember } from './api.js';
import { q, text } from './dom.js';

describe('German strings in gate, button and directory', function () {
  this.timeout(20_000);
  beforeEach(resetPage);

  it('speak German, format with German conventions and pass axe', async () => {
    const tenant = await createTenant({
      directory: { enabled: true },
      locale: { default: 'de', supported: ['de', 'en'] },
    });
    await seedMember(tenant, { first_name: 'Lise', last_name: 'Meitner' });
    const provider =
      await fixture<MemberProvider>(html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="de">
      <member-button></member-button>
      <member-gate><p>Geheim</p></member-gate>
      <member-list></member-list>
    </member-provider>`);
    await provider.configReady;
    const buttonEl = provider.querySelector('member-button') as HTMLElement;
    const gate = provider.querySelector('member-gate') as HTMLElement;
    const list = provider.querySelector('member-list') as HTMLElement;
    await waitUntil(() => text(list).includes('Lise Meitner'), 'directory not loaded');
    await waitUntil(() => text(gate).length > 0, 'gate not decided');

    expect(q(buttonEl, 'a').textContent).to.equal('Anmelden');
    expect(text(gate)).to.equal('Dieser Inhalt ist für Mitglieder. Bitte melden Sie sich an.');
    expect(q(list, 'label').textContent).to.equal('Mitglieder suchen');
    await waitUntil(() => q(list, '[role=status]').textContent === '1 Mitglied angezeigt', 'count not announced');
    for (const el of [buttonEl, gate, list]) await expect(el).to.be.accessible();
  });
});
