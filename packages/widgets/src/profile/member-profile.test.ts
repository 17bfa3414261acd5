import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-profile.js';
import type { MemberProfile } from './member-profile.js';
import { api, createActiveMember, createTenant, publicPost, resetPage, type TestTenant } from '../test/api.js';
import { button, fill, q, qa, text } from '../test/dom.js';

async function signedInProfile(
  tenant: TestTenant,
  member: { email: string; password: string },
  locale = 'en',
): Promise<MemberProfile> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale}><member-profile></member-profile></member-provider>`,
  );
  await provider.configReady;
  const profile = provider.querySelector('member-profile') as MemberProfile;
  await (profile as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
    member.email,
    member.password,
  );
  await waitUntil(() => profile.shadowRoot?.querySelector('input[name=first_name]'), 'profile not shown');
  await waitUntil(() => qa(profile, '.sessions li').length > 0, 'sessions not listed');
  return profile;
}

describe('<member-profile>', function () {
  this.timeout(30_000);
  beforeEach(resetPage);

  it('edits member-editable custom fields only, and passes axe', async () => {
    const tenant = await createTenant();
    await api(tenant, 'PUT', '/v1/tenant/fields', {
      fields: [
        { key: 'city', label: { en: 'City' }, type: 'text', visibility: 'members', member_editable: true },
        { key: 'rank', label: { en: 'Rank' }, type: 'text', visibility: 'members', member_editable: false },
      ],
    });
    const member = await createActiveMember(tenant, { custom_fields: { city: 'Paris' } });
    const profile = await signedInProfile(tenant, member);
    expect(q<HTMLInputElement>(profile, 'input[name="custom_fields.city"]').value).to.equal('Paris');
    expect(profile.shadowRoot?.querySelector('[name="custom_fields.rank"]')).to.equal(null);
    await expect(profile).to.be.accessible();

    fill(profile, { 'custom_fields.city': 'Berlin' });
    const updated = oneEvent(profile, 'member-profile-update');
    q<HTMLFormElement>(profile, 'form').requestSubmit();
    const event = await updated;
    expect(event.detail.changed).to.deep.equal(['custom_fields.city']);
    const stored = await api(tenant, 'GET', `/v1/members/${member.id}`);
    expect(stored.body.custom_fields.city).to.equal('Berlin');
  });

  it('lists signed-in devices and signs out the others', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    // Another device.
    const other = await publicPost(tenant, '/v1/auth/login', { email: member.email, password: member.password });
    expect(other.status).to.equal(200);
    const profile = await signedInProfile(tenant, member);
    await waitUntil(() => qa(profile, '.sessions li').length >= 2, 'other device not listed');
    expect(text(profile)).to.contain('This device');

    button(profile, 'Sign out all other devices').click();
    await waitUntil(() => text(profile).includes('All other devices are signed out.'), 'no confirmation');
    expect(qa(profile, '.sessions li')).to.have.length(1);
    const refresh = await publicPost(tenant, '/v1/auth/refresh', { refresh_token: other.body.refresh_token });
    expect(refresh.status).to.equal(401);
  });

  it('changes the password, with the API refusal of a wrong current one shown inline', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const profile = await signedInProfile(tenant, member, 'de');
    fill(profile, { current_password: 'not my password', new_password: 'another fine password' });
    const forms = qa<HTMLFormElement>(profile, 'form');
    forms[1]?.requestSubmit();
    const current = q<HTMLInputElement>(profile, 'input[name=current_password]');
    await waitUntil(() => current.getAttribute('aria-invalid') === 'true', 'wrong password not marked');
    expect(profile.shadowRoot?.activeElement).to.equal(current);

    fill(profile, { current_password: member.password, new_password: 'another fine password' });
    const changed = oneEvent(profile, 'member-password-change');
    forms[1]?.requestSubmit();
    await changed;
    await waitUntil(() => text(profile).includes('Ihr Passwort ist geändert'), 'no German confirmation');
  });

  it('downloads all the member data as JSON', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant, { first_name: 'Mary' });
    const profile = await signedInProfile(tenant, member);
    const downloaded = new Promise<{ name: string; href: string }>((resolve) => {
      profile.shadowRoot?.addEventListener(
        'click',
        (event) => {
          const link = event.target as HTMLAnchorElement;
          if (link.localName !== 'a' || !link.download) return;
          event.preventDefault();
          resolve({ name: link.download, href: link.href });
        },
        { capture: true },
      );
    });
    button(profile, 'Download my data').click();
    const file = await downloaded;
    expect(file.name).to.match(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = await (await fetch(file.href)).json();
    expect(JSON.stringify(data)).to.contain(member.email);
    expect(JSON.stringify(data)).to.contain('Mary');
  });

  it('deletes the account only after confirming, moving focus to the confirmation', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const profile = await signedInProfile(tenant, member);
    button(profile, 'Delete my account').click();
    await profile.updateComplete;
    const confirm = button(profile, 'Yes, delete my account for good');
    expect(profile.shadowRoot?.activeElement).to.equal(confirm);
    button(profile, 'Cancel').click();
    await profile.updateComplete;
    expect(profile.shadowRoot?.activeElement).to.equal(button(profile, 'Delete my account'));

    button(profile, 'Delete my account').click();
    await profile.updateComplete;
    const deleted = oneEvent(profile, 'member-account-delete');
    button(profile, 'Yes, delete my account for good').click();
    expect((await deleted).detail.memberId).to.equal(member.id);
    await waitUntil(() => text(profile).includes('Your account is deleted.'), 'no confirmation');
    const login = await publicPost(tenant, '/v1/auth/login', { email: member.email, password: member.password });
    expect(login.status).to.equal(401);
  });
});
