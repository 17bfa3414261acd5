import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../gate/member-gate.js';
import type { MemberGate } from '../gate/member-gate.js';
import '../login/member-login.js';
import type { MemberLogin } from '../login/member-login.js';
import '../profile/member-profile.js';
import type { MemberProfile } from '../profile/member-profile.js';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import '../signup/member-signup.js';
import type { MemberSignup } from '../signup/member-signup.js';
import { resetRuntimes } from '../runtime/runtime.js';
import { api, createActiveMember, createTenant, resetPage, type TestTenant } from '../test/api.js';
import { fill, nextEvent, q, text } from '../test/dom.js';
import type { MemberErrorDetail } from './events.js';

async function page(tenant: TestTenant, body: ReturnType<typeof html>, locale = 'en'): Promise<MemberProvider> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale}>${body}</member-provider>`,
  );
  await provider.configReady;
  return provider;
}

describe('widgets on a page whose origin the key does not allow', function () {
  this.timeout(30_000);
  beforeEach(resetPage);

  it('show the site owner why, in place of their forms, instead of "cannot reach the service"', async () => {
    const tenant = await createTenant({}, 'Elsewhere Club', 'https://elsewhere.example');
    const failed = nextEvent<MemberErrorDetail>('member-error');
    const provider = await page(
      tenant,
      html`<member-signup></member-signup><member-login></member-login><member-gate><p>Secret</p></member-gate>`,
    );
    const error = await failed;
    expect(error.detail).to.include({ action: 'config', code: 'ORIGIN_NOT_ALLOWED', status: 403 });

    for (const tag of ['member-signup', 'member-login', 'member-gate'] as const) {
      const el = provider.querySelector(tag) as MemberSignup | MemberLogin | MemberGate;
      await waitUntil(() => text(el).includes('not allowed'), `<${tag}> shows no origin message: ${text(el)}`);
      expect(text(el)).to.equal(
        `This site's origin (${location.origin}) is not allowed for this key: add it in settings (the key's allowed origins).`,
      );
      expect(q(el, '[role="alert"]').textContent).to.contain(location.origin);
      expect(el.shadowRoot?.querySelector('form')).to.equal(null);
      expect(text(el)).not.to.contain('Cannot reach');
    }
    expect((provider.querySelector('member-gate') as MemberGate).open).to.equal(false);
    await expect(provider.querySelector('member-login')).to.be.accessible();
  });

  it('say so in German, and also when used without a provider', async () => {
    const tenant = await createTenant({}, 'Anderswo', 'https://elsewhere.example');
    const provider = await page(tenant, html`<member-login></member-login>`, 'de');
    const login = provider.querySelector('member-login') as MemberLogin;
    await waitUntil(() => text(login).includes(location.origin), 'no German origin message');
    expect(text(login)).to.contain(
      'ist für diesen Schlüssel nicht zugelassen: Fügen Sie ihn in den Einstellungen hinzu',
    );

    await resetPage();
    const standalone = await fixture<MemberSignup>(
      html`<member-signup publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl}></member-signup>`,
    );
    await waitUntil(
      () => text(standalone).includes(location.origin),
      `standalone shows no origin message: ${text(standalone)}`,
    );
    expect(text(standalone)).to.contain('is not allowed for this key: add it in settings');
  });
});

describe('a member signed in through a key bound to this site (the tenant allows no origins)', function () {
  this.timeout(60_000);
  beforeEach(resetPage);

  it('sees their profile and gated content, also after a reload', async () => {
    const base = await createTenant({}, 'Key-only Club', null);
    const created = await api(base, 'POST', '/v1/api-keys', {
      kind: 'publishable',
      allowed_origins: [location.origin],
    });
    expect(created.status).to.equal(201);
    const tenant: TestTenant = { ...base, publishableKey: created.body.key };
    const member = await createActiveMember(tenant, { first_name: 'Grace' });

    const provider = await page(
      tenant,
      html`<member-login></member-login><member-profile></member-profile><member-gate><p id="secret">Members' news</p></member-gate>`,
    );
    const login = provider.querySelector('member-login') as MemberLogin;
    const profile = provider.querySelector('member-profile') as MemberProfile;
    await login.updateComplete;
    fill(login, { email: member.email, password: member.password });
    const loggedIn = oneEvent(login, 'member-login');
    q<HTMLFormElement>(login, 'form').requestSubmit();
    await loggedIn;
    await waitUntil(
      () => profile.shadowRoot?.querySelector('input[name=first_name]'),
      `profile not shown: ${text(profile)}`,
    );
    await profile.updateComplete;

    // Saving the profile sends the member's token from this page (PATCH /v1/me).
    fill(profile, { first_name: 'Grace B.' });
    const saved = oneEvent(profile, 'member-profile-update');
    q<HTMLFormElement>(profile, 'form').requestSubmit();
    expect((await saved).detail.member.first_name).to.equal('Grace B.');

    // A reload: the stored refresh token is exchanged for new tokens, which keep working here.
    resetRuntimes();
    const again = await page(
      tenant,
      html`<member-profile></member-profile><member-gate><p>Members' news</p></member-gate>`,
    );
    const gate = again.querySelector('member-gate') as MemberGate;
    await waitUntil(() => gate.open, 'gate stays closed after the reload');
    const reloaded = again.querySelector('member-profile') as MemberProfile;
    await waitUntil(
      () => reloaded.shadowRoot?.querySelector('input[name=first_name]'),
      `profile not shown after reload: ${text(reloaded)}`,
    );
    await reloaded.updateComplete;
    expect(q<HTMLInputElement>(reloaded, 'input[name=first_name]').value).to.equal('Grace B.');
    fill(reloaded, { first_name: 'Grace' });
    const savedAgain = oneEvent(reloaded, 'member-profile-update');
    q<HTMLFormElement>(reloaded, 'form').requestSubmit();
    expect((await savedAgain).detail.member.first_name).to.equal('Grace');
  });
});
