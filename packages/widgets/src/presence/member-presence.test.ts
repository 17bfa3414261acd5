import { expect, html } from '@open-wc/testing';
import { resetPage } from '../test/api.js';
import {
  communityApi,
  createCommunityMember,
  createCommunityTenant,
  mountSignedIn,
  waitForText,
  startCommunityApi,
  waitUntil,
} from '../test/community.js';
import { q, qa } from '../test/dom.js';
import './member-presence.js';
import type { MemberPresence } from './member-presence.js';

describe('<member-presence>', function () {
  this.timeout(60_000);
  before(async function () {
    this.timeout(200_000);
    await startCommunityApi();
  });
  beforeEach(resetPage);

  it('lists who is online and follows changes live, when the tenant shows presence to members', async () => {
    const tenant = await createCommunityTenant({ presence_visibility: 'members' });
    const ada = await createCommunityMember(tenant, { first_name: 'Ada', last_name: 'Lovelace' });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const provider = await mountSignedIn(tenant, grace, html`<member-presence></member-presence>`);
    const el = provider.querySelector('member-presence') as MemberPresence;
    // Grace's own open stream makes her online.
    await waitForText(el, 'Online now');
    await waitUntil(
      () => qa(el, '[part~="person"]').some((li) => li.dataset.id === grace.id),
      'Grace is not shown online',
      { timeout: 15_000 },
    );

    // Ada comes online (a heartbeat): she appears live.
    const beat = await communityApi(tenant, 'POST', '/v1/presence/heartbeat', { status: 'online' }, ada.token);
    expect(beat.status).to.be.lessThan(300);
    await waitForText(el, 'Ada Lovelace');
    await waitForText(el, '2 members online');
    // Away: still listed, as away.
    await communityApi(tenant, 'POST', '/v1/presence/heartbeat', { status: 'away' }, ada.token);
    await waitUntil(() => q(el, `[data-id="${ada.id}"]`).getAttribute('part')?.includes('away'), 'Ada not away');
    await expect(el).to.be.accessible();
  });

  it('says the site does not show presence when the tenant keeps it to staff', async () => {
    const tenant = await createCommunityTenant({ presence_visibility: 'staff' });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const provider = await mountSignedIn(tenant, grace, html`<member-presence></member-presence>`);
    const el = provider.querySelector('member-presence') as MemberPresence;
    await waitForText(el, 'This site does not show who is online.');
    await expect(el).to.be.accessible();
  });
});
