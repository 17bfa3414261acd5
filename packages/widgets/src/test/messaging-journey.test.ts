import { expect, html } from '@open-wc/testing';
import '../messages/member-messages.js';
import type { MemberMessages } from '../messages/member-messages.js';
import '../notifications/member-notifications.js';
import type { MemberNotifications } from '../notifications/member-notifications.js';
import { resetPage } from './api.js';
import {
  communityApi,
  createCommunityMember,
  createCommunityTenant,
  mountSignedIn,
  startCommunityApi,
  waitFor,
  waitForText,
  waitUntil,
} from './community.js';
import { button, q, qa, text } from './dom.js';

/**
 * Two members on one page, each in their own provider (their own session): member A
 * messages member B; B sees it arrive live with the unread badges, reads it; A sees the
 * read receipt. Everything through the real API and its real-time stream.
 */
describe('messaging journey (two members, live)', function () {
  this.timeout(90_000);
  before(async function () {
    this.timeout(200_000);
    await startCommunityApi();
  });
  beforeEach(resetPage);

  it('A messages B; B sees it live with the unread badge, reads it, and A sees it was seen', async () => {
    const errors: string[] = [];
    document.body.addEventListener('member-error', (e) =>
      errors.push(`${e.detail.action}: ${e.detail.status} ${e.detail.message}`),
    );
    // The member directory is where "New message" finds the other member.
    const tenant = await createCommunityTenant(
      { member_messaging: true, support_inbox: true },
      { directory: { enabled: true } },
    );
    const ada = await createCommunityMember(tenant, { first_name: 'Ada', last_name: 'Lovelace' });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });

    // A's page part: memory session. B's: the local one (another runtime, another session).
    const aProvider = await mountSignedIn(tenant, ada, html`<member-messages></member-messages>`, {
      storage: 'memory',
    });
    const bProvider = await mountSignedIn(
      tenant,
      grace,
      html`<member-messages></member-messages><member-notifications inline></member-notifications>`,
      { storage: 'local' },
    );
    const a = aProvider.querySelector('member-messages') as MemberMessages;
    const b = bProvider.querySelector('member-messages') as MemberMessages;
    const bell = bProvider.querySelector('member-notifications') as MemberNotifications;
    await waitForText(a, 'No conversations yet.');
    await waitForText(b, 'No conversations yet.');
    await waitForText(bell, 'You have no notifications.');

    // A starts a direct message to B, choosing her from the directory.
    button(a, 'New message').click();
    await waitUntil(() => qa(a, '#new-recipient option').length > 1, 'no members to choose from');
    const select = q<HTMLSelectElement>(a, '#new-recipient');
    select.value = grace.id;
    q<HTMLTextAreaElement>(a, '#new-body').value = 'Hello Grace, are you coming on Friday?';
    button(a, 'Start conversation').click();
    await waitFor(() => qa(a, '[part~="message"]').length === 1, 'A does not see the sent message', [a]);
    expect(text(a)).to.contain('Hello Grace, are you coming on Friday?');
    expect(q(a, '[data-receipt]').textContent?.trim()).to.equal('Sent');

    // B: the conversation arrives live, with its unread badge, and a notification.
    await waitForText(b, 'Ada Lovelace');
    await waitForText(b, '1 unread');
    expect(q(b, '[part~="conversation"]').getAttribute('part')).to.contain('unread');
    expect(b.unreadTotal).to.equal(1);
    await waitUntil(() => bell.unreadCount >= 1, 'no unread notification for B');

    // B opens and reads it; the badge goes.
    q<HTMLButtonElement>(b, '[part~="conversation"]').click();
    await waitForText(b, 'Hello Grace, are you coming on Friday?');
    await waitFor(() => b.unreadTotal === 0, `B still has unread messages (${errors.join('; ')})`, [b]);

    // A sees the receipt, live.
    await waitUntil(() => q(a, '[data-receipt]').textContent?.trim() === 'Seen', 'A never saw the read receipt', {
      timeout: 15_000,
    });

    // B answers; A (with the thread open) gets it live, reads it at once, and B sees "Seen".
    q<HTMLTextAreaElement>(b, '#compose-body').value = 'Yes, see you there!';
    button(b, 'Send').click();
    await waitForText(a, 'Yes, see you there!');
    await waitUntil(() => q(b, '[data-receipt]').textContent?.trim() === 'Seen', 'B never saw her answer read');
    expect(a.unreadTotal).to.equal(0);

    // What the API stored: two messages in one conversation, both read.
    const list = await communityApi(tenant, 'GET', '/v1/conversations', undefined, ada.token);
    expect(list.status).to.equal(200);
    expect(list.body.data).to.have.length(1);
    expect(list.body.data[0].unread_count).to.equal(0);
  });

  it('shows who is typing, live', async () => {
    const tenant = await createCommunityTenant({ member_messaging: true });
    const ada = await createCommunityMember(tenant, { first_name: 'Ada', last_name: 'Lovelace' });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const started = await communityApi(
      tenant,
      'POST',
      '/v1/conversations',
      { kind: 'direct', member_id: grace.id, body: 'Hi' },
      ada.token,
    );
    expect(started.status).to.be.oneOf([200, 201]);
    const id = started.body.id as string;
    const aProvider = await mountSignedIn(
      tenant,
      ada,
      html`<member-messages conversation-id=${id}></member-messages>`,
      { storage: 'memory' },
    );
    const bProvider = await mountSignedIn(
      tenant,
      grace,
      html`<member-messages conversation-id=${id}></member-messages>`,
      { storage: 'local' },
    );
    const a = aProvider.querySelector('member-messages') as MemberMessages;
    const b = bProvider.querySelector('member-messages') as MemberMessages;
    await waitForText(a, 'Hi');
    await waitForText(b, 'Hi');
    // The stream of B must be open before A types (typing is ephemeral: not replayed).
    await waitFor(() => q(a, '[data-receipt]').textContent?.trim() === 'Seen', 'B did not read the first message', [
      a,
      b,
    ]);
    const compose = q<HTMLTextAreaElement>(a, '#compose-body');
    compose.value = 'Let me th';
    // Typing is ephemeral (never replayed): A keeps typing (sent at most every 2.5 s) until B's open stream shows it.
    await waitUntil(
      () => {
        compose.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
        return text(b).includes('Ada Lovelace is typing…');
      },
      'B never saw A typing',
      { timeout: 20_000, interval: 500 },
    );
  });
});
