import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { MemberkitElement } from '@memberkit/elements-core';
import './member-admin-provider.js';
import '../table/member-admin-table.js';
import type { MemberAdminProvider } from './member-admin-provider.js';
import type { MemberAdminTable } from '../table/member-admin-table.js';
import { api, apiOk, createStaff, createTenant, seedMembers, shadow, typeInto, waitFor } from '../test/support.js';
import { rowNames, waitForIdle } from '../table/table-fixture.js';

describe('<member-admin-provider>', () => {
  it('is a Memberkit element from the shared element base', async () => {
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider></member-admin-provider>`);
    expect(el).to.be.instanceOf(MemberkitElement);
    expect(customElements.get('member-admin-provider')).to.equal(el.constructor);
  });

  it('renders its slotted content', async () => {
    const el = await fixture<MemberAdminProvider>(
      html`<member-admin-provider><h2>Members</h2></member-admin-provider>`,
    );
    const assigned = el.shadowRoot?.querySelector('slot')?.assignedElements() ?? [];
    expect(assigned).to.have.length(1);
    expect(assigned[0]?.textContent).to.equal('Members');
    expect(el.querySelector('h2')?.getBoundingClientRect().height).to.be.greaterThan(0);
  });

  it('reads the role from the attribute without a session, and an unknown one as viewer', async () => {
    const el = await fixture<MemberAdminProvider>(
      html`<member-admin-provider admin-role="manager"></member-admin-provider>`,
    );
    expect(el.adminRole).to.equal('manager');
    expect(el.hasAttribute('role')).to.equal(false);
    el.setAttribute('admin-role', 'superuser');
    await el.updateComplete;
    expect(el.adminRole).to.equal('viewer');
  });

  it('takes the role from a staff token and gives the elements a client on it', async () => {
    const tenant = await createTenant();
    const manager = await createStaff(tenant, 'manager');
    await seedMembers(tenant, [{ email: 't@example.org', first_name: 'Tia', last_name: 'Token', status: 'active' }]);
    const el =
      await fixture<MemberAdminProvider>(html`<member-admin-provider api-url=${tenant.apiUrl} token=${manager.accessToken} admin-role="owner">
      <member-admin-table></member-admin-table>
    </member-admin-provider>`);
    expect(el.adminRole).to.equal('manager');
    expect(el.getAttribute('admin-role')).to.equal('manager');
    const table = el.querySelector('member-admin-table') as MemberAdminTable;
    await waitForIdle(table);
    expect(rowNames(table)).to.deep.equal(['Tia Token']);
    // A manager may not manage staff or tenant settings, but may edit members: the API says so
    // (GET /v1/staff/me for a bare token) before the elements get the session.
    expect(shadow(table).querySelector('[data-action="edit"]')).to.not.equal(null);
  });

  it("renews a session minted by the tenant's backend with its refresh token, and asks to sign in when that is refused", async () => {
    const tenant = await createTenant();
    const admin = await createStaff(tenant, 'admin');
    await seedMembers(tenant, [{ email: 'r@example.org', first_name: 'Rene', last_name: 'Wal', status: 'active' }]);
    const minted = await apiOk<{ access_token: string; refresh_token: string }>(
      tenant,
      'POST',
      `/v1/staff/${admin.id}/sessions`,
    );
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider
      api-url=${tenant.apiUrl}
      publishable-key=${tenant.publishableKey}
      token=${minted.access_token}
      refresh-token=${minted.refresh_token}
    >
      <member-admin-table></member-admin-table>
    </member-admin-provider>`);
    const table = el.querySelector('member-admin-table') as MemberAdminTable;
    await waitForIdle(table);
    expect(rowNames(table)).to.deep.equal(['Rene Wal']);

    // Renewed (as the timer, or waking from sleep, would): the elements go on with the new token.
    await el.refreshSession();
    await seedMembers(tenant, [{ email: 's@example.org', first_name: 'Sam', last_name: 'Second', status: 'active' }]);
    await table.reload();
    await waitForIdle(table);
    expect(rowNames(table)).to.have.members(['Rene Wal', 'Sam Second']);
    // The minted refresh token was spent by the renewal: presenting it again is refused
    // (and, as a reuse, ends the session it belonged to).
    expect(
      (
        await api(
          tenant,
          'POST',
          '/v1/auth/staff/refresh',
          { refresh_token: minted.refresh_token },
          tenant.publishableKey,
        )
      ).status,
    ).to.equal(401);

    // The next renewal is refused: the sign-in form says the session ended, and the page hears it.
    const ended = oneEvent(el, 'member-admin-session-ended');
    await el.refreshSession();
    await ended;
    await el.updateComplete;
    expect(shadow(el).querySelector('form[part="login"]')).to.not.equal(null);
    expect(shadow(el).querySelector('[role="alert"]')!.textContent).to.contain('Your session has ended');
  });

  it('offers what the permissions the API serves allow, and follows a role change at the next renewal', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'manager');
    await seedMembers(tenant, [{ email: 'p@example.org', first_name: 'Pia', last_name: 'Perm', status: 'active' }]);
    const minted = await apiOk<{ access_token: string; refresh_token: string; permissions: string[] }>(
      tenant,
      'POST',
      `/v1/staff/${staff.id}/sessions`,
    );
    expect(minted.permissions).to.include('member:update');
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider
      api-url=${tenant.apiUrl}
      publishable-key=${tenant.publishableKey}
      token=${minted.access_token}
      refresh-token=${minted.refresh_token}
    >
      <member-admin-table></member-admin-table>
    </member-admin-provider>`);
    const table = el.querySelector('member-admin-table') as MemberAdminTable;
    await waitForIdle(table);
    expect(shadow(table).querySelector('[data-action="edit"]')).to.not.equal(null);

    // The tenant's backend makes them a viewer: the renewed session carries a viewer's permissions.
    await apiOk(tenant, 'PATCH', `/v1/staff/${staff.id}`, { role: 'viewer' });
    await el.refreshSession();
    await waitFor(() => !shadow(table).querySelector('[data-action="edit"]'), 'the edit action gone');
    expect(el.adminRole).to.equal('viewer');
    expect(rowNames(table)).to.deep.equal(['Pia Perm']);
  });

  it('keeps the session when a renewal cannot reach the API, and renews once it can', async () => {
    const tenant = await createTenant();
    const admin = await createStaff(tenant, 'admin');
    const minted = await apiOk<{ access_token: string; refresh_token: string }>(
      tenant,
      'POST',
      `/v1/staff/${admin.id}/sessions`,
    );
    // Nothing listens on port 9 here: every request fails to connect.
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider
      api-url="http://127.0.0.1:9"
      publishable-key=${tenant.publishableKey}
      token=${minted.access_token}
      refresh-token=${minted.refresh_token}
    ></member-admin-provider>`);
    let ended = false;
    el.addEventListener('member-admin-session-ended', () => (ended = true));
    await el.refreshSession();
    await el.updateComplete;
    expect(ended).to.equal(false);
    expect(shadow(el).querySelector('form[part="login"]')).to.equal(null);

    // Back online: the same refresh token renews the session (it was never spent).
    el.apiUrl = tenant.apiUrl;
    await el.updateComplete;
    await el.refreshSession();
    expect(ended).to.equal(false);
    expect(
      (
        await api(
          tenant,
          'POST',
          '/v1/auth/staff/refresh',
          { refresh_token: minted.refresh_token },
          tenant.publishableKey,
        )
      ).status,
    ).to.equal(401);
  });

  it('tells the page a minute before a bare token expires, so it can set a fresh one', async () => {
    const tenant = await createTenant();
    const admin = await createStaff(tenant, 'admin');
    const exp = (
      JSON.parse(atob(admin.accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number }
    ).exp;
    const realNow = Date.now;
    // As if nine and a half of its ten minutes had passed.
    Date.now = () => exp * 1000 - 30_000;
    try {
      const expiring = oneEvent(document, 'member-admin-session-expiring');
      await fixture<MemberAdminProvider>(
        html`<member-admin-provider api-url=${tenant.apiUrl} token=${admin.accessToken}></member-admin-provider>`,
      );
      const { detail } = await expiring;
      expect(detail.expiresAt).to.equal(new Date(exp * 1000).toISOString());
    } finally {
      Date.now = realNow;
    }
  });

  it('signs staff in with its built-in form when given a publishable key instead of a token', async () => {
    const tenant = await createTenant();
    const admin = await createStaff(tenant, 'admin', 'correct-horse-battery-staple');
    const el =
      await fixture<MemberAdminProvider>(html`<member-admin-provider api-url=${tenant.apiUrl} publishable-key=${tenant.publishableKey}>
      <member-admin-table></member-admin-table>
    </member-admin-provider>`);
    const form = shadow(el).querySelector<HTMLFormElement>('form[part="login"]')!;
    expect(form).to.not.equal(null);
    expect(el.querySelector('member-admin-table')!.getBoundingClientRect().height).to.equal(0);
    await expect(el).to.be.accessible();

    typeInto(form.querySelector<HTMLInputElement>('[name="email"]')!, admin.email);
    typeInto(form.querySelector<HTMLInputElement>('[name="password"]')!, 'wrong-password-123');
    form.requestSubmit();
    await waitFor(() => shadow(el).querySelector('[role="alert"]'), 'login error');

    typeInto(form.querySelector<HTMLInputElement>('[name="password"]')!, 'correct-horse-battery-staple');
    const login = oneEvent(el, 'member-admin-login');
    form.requestSubmit();
    const { detail } = await login;
    expect(detail).to.deep.equal({ staffId: admin.id, role: 'admin' });
    await el.updateComplete;
    expect(shadow(el).querySelector('form')).to.equal(null);
    expect(el.adminRole).to.equal('admin');
    const table = el.querySelector('member-admin-table') as MemberAdminTable;
    await waitForIdle(table);
    expect(shadow(table).querySelector('[data-action="add"]')).to.not.equal(null);
  });

  it('speaks German in its sign-in form', async () => {
    const tenant = await createTenant();
    const el = await fixture<MemberAdminProvider>(
      html`<member-admin-provider api-url=${tenant.apiUrl} publishable-key=${tenant.publishableKey} locale="de"></member-admin-provider>`,
    );
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Anmeldung für Mitarbeitende');
    expect(shadow(el).querySelector('button[type="submit"]')!.textContent).to.equal('Anmelden');
    expect(el.lang).to.equal('de');
  });
});
