import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import './member-login.js';
import type { MemberLogin } from './member-login.js';
import '../signup/member-signup.js';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import { api, createActiveMember, createTenant, resetPage } from '../test/api.js';
import { getRuntime, resetRuntimes } from '../runtime/runtime.js';
import { button, fill, q, text } from '../test/dom.js';

describe('<member-login>', function () {
  this.timeout(30_000);
  beforeEach(resetPage);

  it('works standalone with its own attributes, and says a wrong password is wrong (in German)', async () => {
    const tenant = await createTenant({ branding: { color_primary: '#7c2d12' } });
    const member = await createActiveMember(tenant);
    const login = await fixture<MemberLogin>(
      html`<member-login publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="de"></member-login>`,
    );
    await waitUntil(
      () => getComputedStyle(login).getPropertyValue('--mk-color-primary').trim() === '#7c2d12',
      'tenant theme not applied',
    );
    expect(q(login, 'h2').textContent).to.equal('Anmelden');
    expect(q<HTMLInputElement>(login, 'input[name=email]').autocomplete).to.equal('username');
    expect(q<HTMLInputElement>(login, 'input[name=password]').autocomplete).to.equal('current-password');
    await expect(login).to.be.accessible();

    fill(login, { email: member.email, password: 'wrong password!' });
    const failed = oneEvent(login, 'member-error');
    q<HTMLFormElement>(login, 'form').requestSubmit();
    expect((await failed).detail.status).to.equal(401);
    await waitUntil(
      () => q(login, '[role=alert]').textContent === 'E-Mail-Adresse oder Passwort ist falsch.',
      'no German error',
    );
    await expect(login).to.be.accessible();
  });

  it("shows the tenant's logo above the sign-in and sign-up forms, named by the tenant, and none without one", async () => {
    const tenant = await createTenant({}, 'Logo Club');
    // An image the API serves itself (its reference page's icon), so it loads.
    const logoUrl = `${tenant.apiUrl}/docs/assets/favicon-32x32.png`;
    expect((await api(tenant, 'PATCH', '/v1/tenant', { branding: { logo_url: logoUrl } })).status).to.equal(200);
    const provider = await fixture<MemberProvider>(
      html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en">
        <member-login></member-login><member-signup></member-signup>
      </member-provider>`,
    );
    await provider.configReady;
    expect(provider.logoUrl).to.equal(logoUrl);
    expect(provider.tenantName).to.equal('Logo Club');
    for (const element of [provider.querySelector('member-login')!, provider.querySelector('member-signup')!]) {
      await element.updateComplete;
      const logo = q<HTMLImageElement>(element, 'img[part="logo"]');
      expect(logo.getAttribute('src')).to.equal(logoUrl);
      expect(logo.alt).to.equal('Logo Club');
      await waitUntil(() => logo.complete && logo.naturalWidth > 0, 'logo did not load');
      // Above the heading, inside the widget's box.
      expect(logo.nextElementSibling?.getAttribute('part')).to.equal('title');
      await expect(element).to.be.accessible();
    }
    const forgot = provider.querySelector('member-login')!;
    button(forgot, 'Forgot your password?').click();
    await waitUntil(() => q(forgot, 'h2').textContent === 'Reset your password', 'reset view not shown');
    expect(q<HTMLImageElement>(forgot, 'img[part="logo"]').alt).to.equal('Logo Club');

    const plain = await createTenant({}, 'Plain Club');
    const plainProvider = await fixture<MemberProvider>(
      html`<member-provider publishable-key=${plain.publishableKey} api-url=${plain.apiUrl} locale="en"><member-login></member-login></member-provider>`,
    );
    await plainProvider.configReady;
    const login = plainProvider.querySelector('member-login')!;
    await login.updateComplete;
    expect(plainProvider.tenantName).to.equal('Plain Club');
    expect(plainProvider.logoUrl).to.equal(null);
    expect(login.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it('is usable by keyboard alone: Tab order email → password → submit → links', async () => {
    const tenant = await createTenant();
    const login = await fixture<MemberLogin>(
      html`<member-login publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en"></member-login>`,
    );
    await login.updateComplete;
    q<HTMLInputElement>(login, 'input[name=email]').focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ press: 'Tab' });
      const active = login.shadowRoot?.activeElement as HTMLElement | null;
      order.push(active?.getAttribute('name') ?? active?.textContent?.trim() ?? '');
    }
    expect(order).to.deep.equal(['password', 'Sign in', 'Forgot your password?', 'Email me a sign-in link']);
    // Enter on the link button opens the reset view with focus on its email field.
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => q(login, 'h2').textContent === 'Reset your password', 'reset view not shown');
    expect(login.shadowRoot?.activeElement).to.equal(q(login, 'input[name=email]'));
    button(login, 'Back to sign in').click();
    await login.updateComplete;
    expect(q(login, 'h2').textContent).to.equal('Sign in');
  });

  it('fits a 320 px wide screen without horizontal scrolling', async () => {
    const tenant = await createTenant();
    await setViewport({ width: 320, height: 640 });
    try {
      const provider = await fixture<MemberProvider>(
        html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="de"><member-login></member-login></member-provider>`,
      );
      await provider.configReady;
      const login = provider.querySelector('member-login') as MemberLogin;
      await login.updateComplete;
      expect(login.getBoundingClientRect().width).to.be.at.most(320);
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
      for (const el of Array.from(login.shadowRoot?.querySelectorAll('input, button') ?? [])) {
        expect(el.getBoundingClientRect().right, el.outerHTML.slice(0, 60)).to.be.at.most(320);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('shows who is signed in, and signs out firing member-logout', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const login = await fixture<MemberLogin>(
      html`<member-login publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en"></member-login>`,
    );
    await login.updateComplete;
    fill(login, { email: member.email, password: member.password });
    const loggedIn = oneEvent(login, 'member-login');
    q<HTMLFormElement>(login, 'form').requestSubmit();
    const event = await loggedIn;
    expect(event.detail.member.email).to.equal(member.email);
    expect(event.composed).to.equal(true);
    await waitUntil(() => text(login).includes(`Signed in as ${member.email}`), 'signed-in view missing');
    await expect(login).to.be.accessible();
    const out = oneEvent(login, 'member-logout');
    button(login, 'Sign out').click();
    expect((await out).detail.memberId).to.equal(member.id);
    await waitUntil(() => login.shadowRoot?.querySelector('form'), 'form not back');
  });

  it('keeps the session in localStorage by default, across a reload; session-storage="memory" keeps it to the page', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const storedTokens = () => Object.keys(localStorage).filter((k) => k.startsWith('memberkit.refresh_token'));
    /** Mounts a login, as a freshly loaded page would (no runtime from before), and waits for its session to settle. */
    const load = async (storage?: string) => {
      resetRuntimes();
      const login = await fixture<MemberLogin>(
        html`<member-login publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en" session-storage=${storage ?? ''}></member-login>`,
      );
      // The element's session is the page's runtime for this key and storage.
      const { session } = getRuntime(tenant.apiUrl, tenant.publishableKey, storage === 'memory' ? 'memory' : 'local');
      await session.ready;
      await login.updateComplete;
      return { login, session };
    };
    const signIn = async (login: MemberLogin) => {
      fill(login, { email: member.email, password: member.password });
      const done = oneEvent(login, 'member-login');
      q<HTMLFormElement>(login, 'form').requestSubmit();
      await done;
    };

    await signIn((await load()).login);
    expect(storedTokens()).to.have.length(1);
    const again = await load();
    expect(again.session.member?.email).to.equal(member.email);
    await waitUntil(() => text(again.login).includes(`Signed in as ${member.email}`), 'not signed in after a reload');

    localStorage.clear();
    const memory = await load('memory');
    await signIn(memory.login);
    expect(memory.session.member?.email).to.equal(member.email);
    expect(storedTokens()).to.deep.equal([]);
    const reloaded = await load('memory');
    expect(reloaded.session.member).to.equal(null);
    expect(reloaded.login.shadowRoot!.querySelector('form')).to.not.equal(null);
  });
});
