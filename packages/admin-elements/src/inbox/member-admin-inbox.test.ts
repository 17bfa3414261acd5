import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../provider/member-admin-provider.js';
import './member-admin-inbox.js';
import type { MemberAdminInbox } from './member-admin-inbox.js';
import {
  communityApi,
  communityOk,
  createCommunityMember,
  createCommunityStaff,
  createCommunityTenant,
} from '../test/community.js';
import { shadow, typeInto, waitFor, type TestStaff, type TestTenant } from '../test/support.js';

// The inbox on the community API: the real messaging routes and real-time streams over HTTP.
let tenant: TestTenant;
let admin: TestStaff;

before(async function () {
  // The first command starts the community API (tens of seconds).
  this.timeout(150_000);
  tenant = await createCommunityTenant();
  admin = await createCommunityStaff(tenant, 'admin');
});

async function mount(staff: TestStaff, locale = 'en'): Promise<MemberAdminInbox> {
  const provider = await fixture(
    html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale=${locale}>
      <member-admin-inbox></member-admin-inbox>
    </member-admin-provider>`,
  );
  const inbox = provider.querySelector('member-admin-inbox') as MemberAdminInbox;
  await waitFor(() => inbox.getAttribute('live-status') === 'open', 'the inbox to be live', 15_000);
  return inbox;
}

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T | null =>
  shadow(el).querySelector<T>(selector);
const item = (inbox: MemberAdminInbox, id: string) =>
  $<HTMLButtonElement>(inbox, `[part="list"] button[data-id="${id}"]`);
const bodies = (inbox: MemberAdminInbox): string[] =>
  [...shadow(inbox).querySelectorAll('.messages .body')].map((b) => b.textContent?.trim() ?? '');

describe('<member-admin-inbox>', () => {
  it("shows a member's new support message live, and staff reply, assign, delete a message, lock and close", async function () {
    // Many round trips to the API, on a busy machine.
    this.timeout(120_000);
    const ada = await createCommunityMember(tenant, { first_name: 'Ada', last_name: 'Lovelace' });
    const inbox = await mount(admin);

    // Ada writes to support: the conversation appears in the open inbox, unread.
    const created = await communityOk(
      tenant,
      'POST',
      '/v1/conversations',
      { kind: 'support', title: 'Card declined', body: 'My card was declined twice.' },
      ada.token,
    );
    const conversationId: string = created.id;
    const row = await waitFor(() => item(inbox, conversationId), 'the new conversation', 15_000);
    expect(row.textContent).to.contain('Ada Lovelace');
    await waitFor(
      () => item(inbox, conversationId)?.textContent?.includes('My card was declined twice.'),
      'its preview',
    );

    // Opened: the thread, then her next message and her typing arrive live.
    row.click();
    await waitFor(() => bodies(inbox).includes('My card was declined twice.'), 'the thread');
    await waitFor(() => inbox.getAttribute('live-status') === 'open', 'the thread to be live', 15_000);
    expect(inbox.getAttribute('conversation-id')).to.equal(conversationId);
    await communityOk(tenant, 'POST', `/v1/conversations/${conversationId}/typing`, undefined, ada.token);
    await waitFor(() => $(inbox, '.typing')?.textContent?.includes('Ada Lovelace is typing'), 'the typing indicator');
    await communityOk(
      tenant,
      'POST',
      `/v1/conversations/${conversationId}/messages`,
      { body: 'It is a Visa card.' },
      ada.token,
    );
    await waitFor(() => bodies(inbox).includes('It is a Visa card.'), 'her next message, live');
    await waitFor(() => !$(inbox, '.typing')?.textContent?.trim(), 'the typing indicator to go with her message');

    // Staff reply by keyboard: Enter sends.
    const textarea = $<HTMLTextAreaElement>(inbox, 'textarea[name="reply"]')!;
    textarea.focus();
    await sendKeys({ type: 'We will look into it.' });
    const replied = oneEvent(inbox, 'member-admin-conversation');
    await sendKeys({ press: 'Enter' });
    expect((await replied).detail).to.deep.equal({ conversationId, action: 'replied' });
    await waitFor(() => bodies(inbox).includes('We will look into it.'), 'the reply');
    expect(bodies(inbox).filter((b) => b === 'We will look into it.')).to.have.length(1);
    const seen = await communityOk(tenant, 'GET', `/v1/conversations/${conversationId}/messages`, undefined, ada.token);
    expect(seen.data[0].body).to.equal('We will look into it.');
    await expect(inbox).to.be.accessible();

    // Assign to me; the "assigned to me" filter keeps it.
    $<HTMLButtonElement>(inbox, '[data-action="assign"]')!.click();
    await waitFor(() => $(inbox, '[data-action="unassign"]'), 'assigned');
    typeInto($<HTMLSelectElement>(inbox, 'select[name="assigned"]')!, 'me');
    await waitFor(() => item(inbox, conversationId)?.textContent?.includes('Assigned to you'), 'the filtered list');

    // Moderation: delete Ada's first message.
    const first = [...shadow(inbox).querySelectorAll<HTMLElement>('.messages li')].find((li) =>
      li.textContent?.includes('My card was declined twice.'),
    )!;
    first.querySelector<HTMLButtonElement>('[data-action="delete-message"]')!.click();
    await waitFor(() => $(inbox, '[data-action="confirm-delete"]'), 'the confirmation');
    $<HTMLButtonElement>(inbox, '[data-action="confirm-delete"]')!.click();
    await waitFor(() => !bodies(inbox).includes('My card was declined twice.'), 'the message deleted');
    expect(bodies(inbox)).to.include('Message deleted');
    const after = await communityOk(
      tenant,
      'GET',
      `/v1/conversations/${conversationId}/messages`,
      undefined,
      ada.token,
    );
    expect(after.data.at(-1).body).to.equal(null);

    // Lock: nobody can write; the reply box goes.
    $<HTMLButtonElement>(inbox, '[data-action="lock"]')!.click();
    await waitFor(() => $(inbox, '[data-action="unlock"]'), 'locked');
    expect($(inbox, 'textarea[name="reply"]')).to.equal(null);
    const refused = await communityApi(
      tenant,
      'POST',
      `/v1/conversations/${conversationId}/messages`,
      { body: 'Hello?' },
      ada.token,
    );
    expect(refused.status).to.be.within(400, 499);

    // Close: it leaves the list of open conversations, the thread stays with Reopen.
    $<HTMLButtonElement>(inbox, '[data-action="close"]')!.click();
    await waitFor(() => $(inbox, '[data-action="reopen"]'), 'closed');
    await waitFor(() => !item(inbox, conversationId), 'closed conversation out of the open list');
    typeInto($<HTMLSelectElement>(inbox, 'select[name="status"]')!, 'closed');
    await waitFor(() => item(inbox, conversationId), 'the closed list');
  });

  it('speaks German', async () => {
    const inbox = await mount(admin, 'de');
    expect($(inbox, 'h2')!.textContent).to.equal('Support-Posteingang');
    expect($(inbox, 'select[name="status"] option[value="open"]')!.textContent).to.equal('Offen');
    await expect(inbox).to.be.accessible();
  });
});
