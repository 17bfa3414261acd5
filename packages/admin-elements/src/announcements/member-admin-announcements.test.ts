import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../provider/member-admin-provider.js';
import './member-admin-announcements.js';
import type { MemberAdminAnnouncementDetail, MemberAdminAnnouncements } from './member-admin-announcements.js';
import { communityApi, communityOk, createCommunityStaff, createCommunityTenant } from '../test/community.js';
import { shadow, typeInto, waitFor, type TestStaff, type TestTenant } from '../test/support.js';

// Announcements on the community API: the real feed routes.
let tenant: TestTenant;
let admin: TestStaff;
let gold: string;

before(async function () {
  // The first command starts the community API (tens of seconds).
  this.timeout(150_000);
  tenant = await createCommunityTenant();
  admin = await createCommunityStaff(tenant, 'admin');
  gold = (await communityOk(tenant, 'POST', '/v1/tiers', { name: 'Gold', interval: 'free' })).id;
});

async function mount(staff: TestStaff, locale = 'en'): Promise<MemberAdminAnnouncements> {
  const provider = await fixture(
    html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken} locale=${locale}>
      <member-admin-announcements></member-admin-announcements>
    </member-admin-provider>`,
  );
  const el = provider.querySelector('member-admin-announcements') as MemberAdminAnnouncements;
  await waitFor(
    () =>
      shadow(el).querySelector('form[part="composer"]') &&
      shadow(el).querySelector('[role="tabpanel"] .state, [part="list"]'),
    'loaded',
    15_000,
  );
  return el;
}

const $ = <T extends Element = HTMLElement>(el: Element, selector: string): T => {
  const found = shadow(el).querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};
const titles = (el: MemberAdminAnnouncements): string[] =>
  [...shadow(el).querySelectorAll('[part="list"] h4')].map((h) => h.textContent?.trim() ?? '');

/** A `datetime-local` value a day from now. */
function tomorrow(): string {
  const d = new Date(Date.now() + 86_400_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Submits the form and waits for the element's event, or fails with the error it shows. */
async function submitted(el: MemberAdminAnnouncements): Promise<MemberAdminAnnouncementDetail> {
  const events: MemberAdminAnnouncementDetail[] = [];
  const listen = (e: CustomEvent<MemberAdminAnnouncementDetail>): number => events.push(e.detail);
  el.addEventListener('member-admin-announcement', listen);
  $<HTMLButtonElement>(el, 'button[type="submit"]').click();
  try {
    await waitFor(
      () => events.length > 0 || shadow(el).querySelector('form p.error[role="alert"]'),
      'the save',
      20_000,
    );
  } finally {
    el.removeEventListener('member-admin-announcement', listen);
  }
  const shown = shadow(el).querySelector('form p.error[role="alert"]');
  if (!events[0]) throw new Error(`save refused: ${shown?.textContent}`);
  return events[0];
}

describe('<member-admin-announcements>', () => {
  it('composes with a safe preview, publishes pinned, schedules for a tier, edits and deletes', async function () {
    // Many round trips to the API, on a busy machine.
    this.timeout(120_000);
    const el = await mount(admin);

    // Nothing typed: the title is required, said on the field and focused.
    $<HTMLButtonElement>(el, 'button[type="submit"]').click();
    await waitFor(() => shadow(el).querySelector('#err-title'), 'the title error');
    expect($(el, 'input[name="title"]').getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).activeElement).to.equal($(el, 'input[name="title"]'));

    typeInto($<HTMLInputElement>(el, 'input[name="title"]'), 'General assembly');
    typeInto(
      $<HTMLTextAreaElement>(el, 'textarea[name="body"]'),
      '**Bring** your card.\n\n- agenda\n- vote\n\n[Details](https://example.org/ga) <img src=x onerror="window.__pwned=1">',
    );
    $<HTMLButtonElement>(el, 'button[data-action="preview"]').click();
    await el.updateComplete;
    const preview = $(el, '[part="preview"]');
    expect(preview.querySelector('strong')!.textContent).to.equal('Bring');
    expect(preview.querySelectorAll('li')).to.have.length(2);
    expect(preview.querySelector('a')!.getAttribute('href')).to.equal('https://example.org/ga');
    expect(preview.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, 'button[data-action="write"]').click();
    await el.updateComplete;
    expect($<HTMLTextAreaElement>(el, 'textarea[name="body"]').value).to.contain('**Bring**');

    // Publish now, pinned.
    $<HTMLInputElement>(el, 'input[name="pinned"]').click();
    const detail = await submitted(el);
    expect(detail.action).to.equal('published');
    await waitFor(() => titles(el).includes('General assembly'), 'the published list');
    expect($(el, '[role="tab"][aria-selected="true"]').textContent?.trim()).to.equal('Published');
    expect($(el, `[part="list"] li[data-id="${detail.postId}"]`).textContent).to.contain('Pinned');
    const post = await communityOk(tenant, 'GET', `/v1/feed/posts/${detail.postId}`);
    expect([post.kind, post.pinned, post.published]).to.deep.equal(['announcement', true, true]);

    // Schedule one for Gold members, tomorrow.
    typeInto($<HTMLInputElement>(el, 'input[name="title"]'), 'Summer party');
    typeInto($<HTMLTextAreaElement>(el, 'textarea[name="body"]'), 'For *Gold* members.');
    typeInto($<HTMLInputElement>(el, 'input[name="publish_at"]'), tomorrow());
    $<HTMLInputElement>(el, `input[name="tier"][value="${gold}"]`).click();
    await el.updateComplete;
    expect($(el, 'button[type="submit"]').textContent?.trim()).to.equal('Schedule');
    const later = await submitted(el);
    expect(later.action).to.equal('scheduled');
    await waitFor(() => titles(el).includes('Summer party'), 'the scheduled list');
    const row = $(el, `[part="list"] li[data-id="${later.postId}"]`);
    expect(row.textContent).to.contain('Scheduled for');
    expect(row.textContent).to.contain('For Gold');
    const saved = await communityOk(tenant, 'GET', `/v1/feed/posts/${later.postId}`);
    expect([saved.published, saved.audience_tier_ids]).to.deep.equal([false, [gold]]);

    // Edit it.
    row.querySelector<HTMLButtonElement>('[data-action="edit"]')!.click();
    await el.updateComplete;
    expect($<HTMLInputElement>(el, 'input[name="title"]').value).to.equal('Summer party');
    typeInto($<HTMLInputElement>(el, 'input[name="title"]'), 'Summer party (moved)');
    expect((await submitted(el)).action).to.equal('updated');
    await waitFor(() => titles(el).includes('Summer party (moved)'), 'the edited title');

    // Delete it, after a confirmation.
    $<HTMLButtonElement>(el, `[part="list"] li[data-id="${later.postId}"] [data-action="delete"]`).click();
    await el.updateComplete;
    const deleted = oneEvent(el, 'member-admin-announcement');
    $<HTMLButtonElement>(el, '[data-action="confirm-delete"]').click();
    expect((await deleted).detail.action).to.equal('deleted');
    await waitFor(() => !titles(el).includes('Summer party (moved)'), 'the deleted one gone');
    expect((await communityApi(tenant, 'GET', `/v1/feed/posts/${later.postId}`)).status).to.equal(404);
  });

  it('speaks German and hides composing from viewers', async () => {
    const viewer = await createCommunityStaff(tenant, 'viewer');
    const el = await fixture(
      html`<member-admin-provider api-url=${tenant.apiUrl} token=${viewer.accessToken} locale="de">
        <member-admin-announcements></member-admin-announcements>
      </member-admin-provider>`,
    ).then((p) => p.querySelector('member-admin-announcements') as MemberAdminAnnouncements);
    await waitFor(() => shadow(el).querySelector('[role="tabpanel"] .state, [part="list"]'), 'loaded', 15_000);
    expect($(el, 'h2').textContent).to.equal('Ankündigungen');
    expect(shadow(el).querySelector('form[part="composer"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
