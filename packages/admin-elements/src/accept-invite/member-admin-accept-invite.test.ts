import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import './member-admin-accept-invite.js';
import '../provider/member-admin-provider.js';
import '../table/member-admin-table.js';
import type { MemberAdminAcceptInvite } from './member-admin-accept-invite.js';
import type { MemberAdminProvider } from '../provider/member-admin-provider.js';
import type { MemberAdminTable } from '../table/member-admin-table.js';
import { api, apiOk, createTenant, seedMembers, shadow, waitFor, type TestTenant } from '../test/support.js';
import { rowNames, waitForIdle } from '../table/table-fixture.js';

/** Invites a staff user with the secret key and returns the link from the mail, as the invited person gets it. */
async function inviteStaff(
  tenant: TestTenant,
  role: 'admin' | 'manager' | 'viewer',
): Promise<{ id: string; email: string; link: URL }> {
  const email = `accept-${role}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.org`;
  const invited = await apiOk<{ id: string }>(tenant, 'POST', '/v1/staff', { email, name: `New ${role}`, role });
  const mails = await executeServerCommand<{ subject: string; links: string[] }[], unknown>('mk-mail', { to: email });
  const link = mails.flatMap((m) => m.links).find((l) => l.includes('/admin/accept-invite?'));
  if (!link) throw new Error(`no staff invitation mail for ${email}`);
  return { id: invited.id, email, link: new URL(link) };
}

/** Puts the focus in the password field and types like a person, then presses Enter. */
async function typePasswordAndEnter(el: MemberAdminAcceptInvite, password: string): Promise<void> {
  const input = shadow(el).querySelector<HTMLInputElement>('input[name="password"]')!;
  input.focus();
  input.select();
  await sendKeys({ press: 'Backspace' });
  await sendKeys({ type: password });
  await sendKeys({ press: 'Enter' });
}

const passwordField = (el: MemberAdminAcceptInvite) =>
  shadow(el).querySelector<HTMLInputElement>('input[name="password"]')!;

describe('<member-admin-accept-invite>', () => {
  const originalUrl = location.href;
  afterEach(() => history.replaceState(null, '', originalUrl));

  it('accepts a mailed invitation: too-short password refused on the field, then signed in; the link works only once', async () => {
    const tenant = await createTenant();
    await seedMembers(tenant, [
      { email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace', status: 'active' },
    ]);
    const invite = await inviteStaff(tenant, 'admin');
    expect(invite.link.pathname).to.equal('/admin/accept-invite');
    expect(invite.link.searchParams.get('tenant')).to.equal(tenant.id);
    const token = invite.link.searchParams.get('token')!;

    // The page is opened from the mail's link: the element reads the token from the address.
    history.replaceState(null, '', `${location.pathname}${invite.link.search}`);
    const page = await fixture<HTMLDivElement>(html`<div>
      <member-admin-accept-invite api-url=${tenant.apiUrl} publishable-key=${tenant.publishableKey} provider="console"></member-admin-accept-invite>
      <member-admin-provider id="console" api-url=${tenant.apiUrl} publishable-key=${tenant.publishableKey} hidden>
        <member-admin-table></member-admin-table>
      </member-admin-provider>
    </div>`);
    const el = page.querySelector('member-admin-accept-invite')!;
    const provider = page.querySelector('member-admin-provider') as MemberAdminProvider;
    await el.updateComplete;
    expect(el.token).to.equal(token);
    const input = passwordField(el);
    expect(input.getAttribute('autocomplete')).to.equal('new-password');
    expect(input.type).to.equal('password');
    expect(input.labels?.[0]?.textContent?.trim()).to.equal('New password');
    await expect(el).to.be.accessible();

    // Too short: the API's validation error lands on the field, announced, with the focus there.
    await typePasswordAndEnter(el, 'short');
    const fieldError = await waitFor(() => shadow(el).querySelector('#password-error'), 'password field error', 10_000);
    expect(fieldError.textContent).to.equal('Must be at least 8 characters.');
    expect(fieldError.getAttribute('role')).to.equal('alert');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.contain('password-error');
    expect(shadow(el).activeElement).to.equal(input);
    await expect(el).to.be.accessible();

    // A good password: signed in, the provider beside it too.
    const accepted = oneEvent(el, 'member-admin-invite-accepted');
    const login = oneEvent(provider, 'member-admin-login');
    await typePasswordAndEnter(el, 'a-long-enough-password-2026');
    const { detail } = await accepted;
    expect(detail.staffId).to.equal(invite.id);
    expect(detail.role).to.equal('admin');
    expect((await login).detail).to.deep.equal({ staffId: invite.id, role: 'admin' });
    await el.updateComplete;
    expect(shadow(el).querySelector('form')).to.equal(null);
    expect(shadow(el).querySelector('[role="status"]')?.textContent).to.equal(
      'Your account is ready and you are signed in.',
    );
    // The used token does not stay in the address bar.
    expect(new URL(location.href).searchParams.has('token')).to.equal(false);
    await expect(el).to.be.accessible();

    // The returned session is a working staff session: the API lists members with it...
    const members = await api<{ data: { email: string }[] }>(
      tenant,
      'GET',
      '/v1/members',
      undefined,
      detail.session.access_token,
    );
    expect(members.status).to.equal(200);
    expect(members.body.data.map((m) => m.email)).to.deep.equal(['ada@example.org']);
    // ...and the provider's table shows them.
    expect(provider.adminRole).to.equal('admin');
    const table = provider.querySelector('member-admin-table') as MemberAdminTable;
    await waitForIdle(table);
    expect(rowNames(table)).to.deep.equal(['Ada Lovelace']);

    // The same link again: the API refuses it and its message is shown, announced and focused.
    const again = await fixture<MemberAdminAcceptInvite>(
      html`<member-admin-accept-invite api-url=${tenant.apiUrl} publishable-key=${tenant.publishableKey} token=${token}></member-admin-accept-invite>`,
    );
    await typePasswordAndEnter(again, 'another-long-password-2026');
    const formError = await waitFor(() => shadow(again).querySelector('#form-error'), 'form error', 10_000);
    expect(formError.textContent).to.equal('The invitation link is invalid, used or expired; ask for a new one.');
    expect(formError.getAttribute('role')).to.equal('alert');
    expect(shadow(again).activeElement).to.equal(formError);
    expect(passwordField(again).getAttribute('aria-invalid')).to.equal('false');
    await expect(again).to.be.accessible();
  });

  it('speaks German, including the API errors it knows', async () => {
    const tenant = await createTenant();
    const invite = await inviteStaff(tenant, 'viewer');
    const token = invite.link.searchParams.get('token')!;
    const el = await fixture<MemberAdminAcceptInvite>(
      html`<member-admin-accept-invite api-url=${tenant.apiUrl} publishable-key=${tenant.publishableKey} token=${token} locale="de"></member-admin-accept-invite>`,
    );
    expect(el.lang).to.equal('de');
    expect(shadow(el).querySelector('h2')?.textContent).to.equal('Dem Team beitreten');
    expect(passwordField(el).labels?.[0]?.textContent?.trim()).to.equal('Neues Passwort');
    expect(shadow(el).querySelector('button[type="submit"]')?.textContent).to.equal('Passwort festlegen und anmelden');

    await typePasswordAndEnter(el, 'kurz');
    const fieldError = await waitFor(() => shadow(el).querySelector('#password-error'), 'password field error', 10_000);
    expect(fieldError.textContent).to.equal('Mindestens 8 Zeichen.');

    const accepted = oneEvent(el, 'member-admin-invite-accepted');
    await typePasswordAndEnter(el, 'ein-langes-passwort-2026');
    expect((await accepted).detail.role).to.equal('viewer');
    await el.updateComplete;
    expect(shadow(el).querySelector('[role="status"]')?.textContent).to.equal(
      'Ihr Konto ist eingerichtet und Sie sind angemeldet.',
    );

    const again = await fixture<MemberAdminAcceptInvite>(
      html`<member-admin-accept-invite api-url=${tenant.apiUrl} publishable-key=${tenant.publishableKey} token=${token} locale="de"></member-admin-accept-invite>`,
    );
    await typePasswordAndEnter(again, 'ein-anderes-passwort-2026');
    const formError = await waitFor(() => shadow(again).querySelector('#form-error'), 'form error', 10_000);
    expect(formError.textContent).to.contain('Dieser Einladungslink ist ungültig');
    await expect(again).to.be.accessible();
  });

  it('explains that the mail link is needed when the page has no token', async () => {
    const el = await fixture<MemberAdminAcceptInvite>(
      html`<member-admin-accept-invite api-url="http://127.0.0.1:1" publishable-key="pk_x"></member-admin-accept-invite>`,
    );
    expect(shadow(el).querySelector('form')).to.equal(null);
    expect(shadow(el).querySelector('[role="alert"]')?.textContent).to.contain(
      'needs the link from your invitation mail',
    );
    await expect(el).to.be.accessible();
  });
});
