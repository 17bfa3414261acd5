import { expect, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { resetPage } from '../test/api.js';
import {
  communityApi,
  createCommunityMember,
  createCommunityTenant,
  mountSignedIn,
  waitForText,
  startCommunityApi,
  waitFor,
  waitUntil,
} from '../test/community.js';
import { button, q, qa, text } from '../test/dom.js';
import './member-notifications.js';
import type { MemberNotifications } from './member-notifications.js';

describe('<member-notifications>', function () {
  this.timeout(60_000);
  before(async function () {
    this.timeout(200_000);
    await startCommunityApi();
  });
  beforeEach(resetPage);

  it('shows new notifications live on the bell, marks them read, all read, deletes; keyboard and axe', async () => {
    const tenant = await createCommunityTenant({ member_messaging: true });
    const ada = await createCommunityMember(tenant, { first_name: 'Ada', last_name: 'Lovelace' });
    const alan = await createCommunityMember(tenant, { first_name: 'Alan', last_name: 'Turing' });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const provider = await mountSignedIn(tenant, grace, html`<member-notifications></member-notifications>`);
    const el = provider.querySelector('member-notifications') as MemberNotifications;
    await waitUntil(() => el.shadowRoot?.querySelector('[part~="bell"]'), 'no bell');
    const bell = q<HTMLButtonElement>(el, '[part~="bell"]');
    expect(bell.getAttribute('aria-label')).to.equal('Notifications');
    expect(bell.getAttribute('aria-expanded')).to.equal('false');
    await expect(el).to.be.accessible();

    // Opened: the panel, focus on its heading; empty.
    bell.click();
    await waitForText(el, 'You have no notifications.');
    expect(bell.getAttribute('aria-expanded')).to.equal('true');
    expect(el.shadowRoot?.activeElement?.id).to.equal('title');

    // Two members message Grace: a notification each arrives live, the badge counts them.
    const changed = oneEvent(el, 'member-notifications-change');
    for (const sender of [ada, alan]) {
      const sent = await communityApi(
        tenant,
        'POST',
        '/v1/conversations',
        { kind: 'direct', member_id: grace.id, body: `Hello from ${sender.name}` },
        sender.token,
      );
      expect(sent.status).to.be.oneOf([200, 201]);
    }
    expect((await changed).detail.unreadCount).to.be.greaterThan(0);
    await waitUntil(() => el.unreadCount === 2 && qa(el, 'li.item').length === 2, 'two notifications not shown');
    expect(q(el, '[part~="badge"]').textContent?.trim()).to.equal('2');
    expect(bell.getAttribute('aria-label')).to.equal('Notifications, 2 unread');
    expect(qa(el, '[part~="unread"]')).to.have.length(2);
    await expect(el).to.be.accessible();

    // One read: the badge follows, and the API agrees.
    q<HTMLButtonElement>(el, 'li.item button').click();
    await waitUntil(() => el.unreadCount === 1, 'not marked read');
    expect(qa(el, '[part~="unread"]')).to.have.length(1);
    // All read: once the first read is done (its live event may come before its answer, and
    // the panel's actions stay disabled until the answer).
    const markAll = () => button(el, 'Mark all as read');
    await waitUntil(() => !markAll().disabled, '"Mark all as read" stays disabled');
    markAll().click();
    await waitFor(
      () => el.unreadCount === 0 && qa(el, '[part~="unread"]').length === 0,
      `not all read (${el.unreadCount})`,
      [el],
    );
    expect(el.shadowRoot?.querySelector('[part~="bell"] [part~="badge"]')).to.equal(null);
    const listed = await communityApi(tenant, 'GET', '/v1/me/notifications', undefined, grace.token);
    expect(listed.body.unread_count).to.equal(0);

    // Delete both: the list empties, and so does the API's.
    for (let i = 0; i < 2; i++) {
      button(el, 'Delete').click();
      await waitUntil(() => qa(el, 'li.item').length === 1 - i, 'not deleted');
    }
    await waitForText(el, 'You have no notifications.');
    const after = await communityApi(tenant, 'GET', '/v1/me/notifications', undefined, grace.token);
    expect(after.body.data).to.have.length(0);

    // Escape closes the panel and gives focus back to the bell.
    q<HTMLElement>(el, '#title').focus();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.open, 'panel still open');
    expect(el.shadowRoot?.activeElement).to.equal(bell);
  });

  it('renders nothing signed out, and German when asked', async () => {
    const tenant = await createCommunityTenant({ member_messaging: true });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const signedOut = await mountSignedIn(tenant, null, html`<member-notifications></member-notifications>`);
    const outEl = signedOut.querySelector('member-notifications') as MemberNotifications;
    await outEl.updateComplete;
    expect(text(outEl)).to.equal('');
    await resetPage();
    const provider = await mountSignedIn(tenant, grace, html`<member-notifications inline></member-notifications>`, {
      locale: 'de',
    });
    const el = provider.querySelector('member-notifications') as MemberNotifications;
    await waitForText(el, 'Sie haben keine Benachrichtigungen.');
    expect(q(el, 'h2').textContent).to.contain('Benachrichtigungen');
    await expect(el).to.be.accessible();
  });
});
