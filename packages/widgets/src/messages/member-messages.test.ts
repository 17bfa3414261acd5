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
  waitUntil,
} from '../test/community.js';
import { button, q, qa, text } from '../test/dom.js';
import './member-messages.js';
import type { MemberMessages } from './member-messages.js';

describe('<member-messages>', function () {
  this.timeout(60_000);
  before(async function () {
    this.timeout(200_000);
    await startCommunityApi();
  });
  beforeEach(resetPage);

  it('starts a support conversation, sends with Enter, edits and deletes own messages; axe', async () => {
    const tenant = await createCommunityTenant({ support_inbox: true, member_messaging: false });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const provider = await mountSignedIn(tenant, grace, html`<member-messages></member-messages>`);
    const el = provider.querySelector('member-messages') as MemberMessages;
    await waitForText(el, 'No conversations yet.');
    expect(qa(el, 'button').map((b) => b.textContent?.trim())).to.not.include('New message');
    await expect(el).to.be.accessible();

    button(el, 'Contact support').click();
    await waitUntil(() => el.shadowRoot?.querySelector('#new-body'), 'no form');
    // Empty: an inline error, nothing sent.
    button(el, 'Start conversation').click();
    await waitUntil(() => q(el, '#new-body').getAttribute('aria-invalid') === 'true', 'no validation');
    q<HTMLInputElement>(el, '#new-subject').value = 'Card declined';
    q<HTMLTextAreaElement>(el, '#new-body').value = 'My card was declined.';
    const opened = oneEvent(el, 'member-conversation-open');
    button(el, 'Start conversation').click();
    expect((await opened).detail.created).to.equal(true);
    await waitForText(el, 'My card was declined.');
    expect(q(el, '#thread-title').textContent).to.equal('Card declined');
    await expect(el).to.be.accessible();

    // Enter sends (Shift+Enter would add a line).
    q<HTMLTextAreaElement>(el, '#compose-body').focus();
    await sendKeys({ type: 'It is a Visa.' });
    const sent = oneEvent(el, 'member-message-send');
    await sendKeys({ press: 'Enter' });
    const message = (await sent).detail.message;
    await waitUntil(() => qa(el, '[part~="own"]').length === 2, 'second message not shown');
    expect(q<HTMLTextAreaElement>(el, '#compose-body').value).to.equal('');

    // Edit it.
    q<HTMLButtonElement>(el, `li[data-id="${message.id}"] button`).click();
    await waitUntil(() => el.shadowRoot?.querySelector('#edit-body'), 'no edit form');
    q<HTMLTextAreaElement>(el, '#edit-body').value = 'It is a Mastercard.';
    button(el, 'Save').click();
    await waitForText(el, 'It is a Mastercard.');
    expect(text(el)).to.contain('edited');

    // Delete it: the API keeps a tombstone.
    (qa<HTMLButtonElement>(el, `li[data-id="${message.id}"] button`)[1] as HTMLButtonElement).click();
    await waitForText(el, 'This message was deleted.');
    const listed = await communityApi(
      tenant,
      'GET',
      `/v1/conversations/${message.conversation_id}/messages`,
      undefined,
      grace.token,
    );
    const stored = listed.body.data.find((m: { id: string }) => m.id === message.id);
    expect(stored.body).to.equal(null);

    // Too long: refused by the API, the form says so, nothing stored.
    q<HTMLTextAreaElement>(el, '#compose-body').removeAttribute('maxlength');
    q<HTMLTextAreaElement>(el, '#compose-body').value = 'x'.repeat(4001);
    button(el, 'Send').click();
    await waitUntil(() => q(el, 'form[part~="compose"] [role="alert"]').textContent?.trim(), 'no error shown');
    const again = await communityApi(
      tenant,
      'GET',
      `/v1/conversations/${message.conversation_id}/messages`,
      undefined,
      grace.token,
    );
    expect(again.body.data).to.have.length(2);

    // Back to the list: the conversation, focus on it.
    button(el, 'Back to conversations').click();
    await waitForText(el, 'Card declined');
    expect(el.shadowRoot?.activeElement?.getAttribute('data-id')).to.equal(message.conversation_id);
  });

  it('asks a signed-out visitor to sign in (German too)', async () => {
    const tenant = await createCommunityTenant({});
    const provider = await mountSignedIn(tenant, null, html`<member-messages></member-messages>`, { locale: 'de' });
    const el = provider.querySelector('member-messages') as MemberMessages;
    await waitForText(el, 'Melden Sie sich an, um dies zu sehen.');
    await expect(el).to.be.accessible();
  });
});
