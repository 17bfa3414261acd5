import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../email-action/member-email-action.js';
import type { MemberEmailAction } from '../email-action/member-email-action.js';
import '../login/member-login.js';
import type { MemberLogin } from '../login/member-login.js';
import '../profile/member-profile.js';
import type { MemberProfile } from '../profile/member-profile.js';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import '../signup/member-signup.js';
import type { MemberSignup } from '../signup/member-signup.js';
import { api, createActiveMember, createTenant, mailedToken, resetPage, uniqueEmail, type TestTenant } from './api.js';
import { button, fill, nextEvent, q, text } from './dom.js';
import type { MemberErrorDetail, MemberLoginDetail } from '../internal/events.js';

async function page(tenant: TestTenant, body: ReturnType<typeof html>): Promise<MemberProvider> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl}>${body}</member-provider>`,
  );
  await provider.configReady;
  return provider;
}

describe('member flows against the real API', function () {
  // Whole journeys: several requests with the API's anti-enumeration floors, mail
  // delivery, and waits on the sign-in rate limit (5 per 10 s per IP, all tests share one).
  this.timeout(60_000);
  beforeEach(resetPage);

  it('signs up → verifies from the mail → logs in → edits the profile → logs out', async () => {
    const tenant = await createTenant({ name: 'Flow Club' });
    const email = uniqueEmail('flow');
    const password = 'a very fine password';

    // 1. Sign up.
    const signupPage = await page(tenant, html`<member-signup></member-signup>`);
    const signup = signupPage.querySelector('member-signup') as MemberSignup;
    await signup.updateComplete;
    fill(signup, { first_name: 'Katherine', last_name: 'Johnson', email, password });
    const signedUp = oneEvent(signup, 'member-signup');
    q<HTMLFormElement>(signup, 'form').requestSubmit();
    expect((await signedUp).detail.verificationRequired).to.equal(true);

    // 2. The mailed link's page confirms the address and signs the member in.
    const { token } = await mailedToken(email, '/auth/verify-email');
    await resetPage();
    const verifiedEvent = nextEvent<MemberLoginDetail>('member-login');
    const verifyPage = await page(
      tenant,
      html`<member-email-action action="verify-email" token=${token}></member-email-action>`,
    );
    const action = verifyPage.querySelector('member-email-action') as MemberEmailAction;
    const verified = await verifiedEvent;
    expect(verified.detail.method).to.equal('email_verification');
    expect(verified.detail.member.email).to.equal(email);
    expect(verified.detail.member.status).to.equal('active');
    await action.updateComplete;
    expect(text(action)).to.contain('Your email address is confirmed');

    // 3. A fresh page: log in with the password, by keyboard.
    await resetPage();
    const loginPage = await page(tenant, html`<member-login></member-login><member-profile></member-profile>`);
    const login = loginPage.querySelector('member-login') as MemberLogin;
    const profile = loginPage.querySelector('member-profile') as MemberProfile;
    await login.updateComplete;
    expect(text(profile)).to.contain('Sign in to see your profile.');
    q<HTMLInputElement>(login, 'input[name=email]').focus();
    await sendKeys({ type: email });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: password });
    const loggedIn = oneEvent(login, 'member-login');
    await sendKeys({ press: 'Enter' });
    const loginEvent = await loggedIn;
    expect(loginEvent.detail.method).to.equal('password');
    expect(loginEvent.detail.member.first_name).to.equal('Katherine');
    await login.updateComplete;
    expect(text(login)).to.contain(`Signed in as ${email}`);

    // 4. The profile on the same page follows the session; edit the name.
    await waitUntil(() => profile.shadowRoot?.querySelector('input[name=first_name]'), 'profile form not shown');
    await profile.updateComplete;
    expect(q<HTMLInputElement>(profile, 'input[name=first_name]').value).to.equal('Katherine');
    fill(profile, { first_name: 'Kathy' });
    const updated = oneEvent(profile, 'member-profile-update');
    q<HTMLFormElement>(profile, 'form').requestSubmit();
    const update = await updated;
    expect(update.detail.changed).to.deep.equal(['first_name']);
    expect(update.detail.member.first_name).to.equal('Kathy');
    const stored = await api(tenant, 'GET', `/v1/members/${update.detail.member.id}`);
    expect(stored.body.first_name).to.equal('Kathy');
    await profile.updateComplete;
    expect(text(profile)).to.contain('Your changes are saved.');

    // 5. Log out.
    const loggedOut = oneEvent(login, 'member-logout');
    button(login, 'Sign out').click();
    expect((await loggedOut).detail.memberId).to.equal(update.detail.member.id);
    await waitUntil(() => text(profile).includes('Sign in to see your profile.'), 'profile still shows the member');
  });

  it('signs in with a magic link from the mail', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const loginPage = await page(tenant, html`<member-login></member-login>`);
    const login = loginPage.querySelector('member-login') as MemberLogin;
    await login.updateComplete;
    fill(login, { email: member.email });
    const requested = oneEvent(login, 'member-magic-link-requested');
    button(login, 'Email me a sign-in link').click();
    expect((await requested).detail.email).to.equal(member.email);
    await waitUntil(() => text(login).includes('a sign-in link is on its way'), 'no confirmation shown');

    const { token } = await mailedToken(member.email, '/auth/magic-link');
    await resetPage();
    const signedInEvent = nextEvent<MemberLoginDetail>('member-login');
    await page(tenant, html`<member-email-action action="magic-link" token=${token}></member-email-action>`);
    const signedIn = await signedInEvent;
    expect(signedIn.detail).to.include({ method: 'magic_link' });
    expect(signedIn.detail.member.id).to.equal(member.id);

    // The link works once.
    await resetPage();
    const refusedEvent = nextEvent<MemberErrorDetail>('member-error');
    const againPage = await page(
      tenant,
      html`<member-email-action action="magic-link" token=${token}></member-email-action>`,
    );
    const again = againPage.querySelector('member-email-action') as MemberEmailAction;
    const refused = await refusedEvent;
    expect(refused.detail.action).to.equal('magic-link');
    await again.updateComplete;
    expect(text(again)).to.contain('This link is invalid or has expired');
    await expect(again).to.be.accessible();
  });

  it('resets a forgotten password through the mailed link, then signs in with the new one', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const loginPage = await page(tenant, html`<member-login></member-login>`);
    const login = loginPage.querySelector('member-login') as MemberLogin;
    await login.updateComplete;
    button(login, 'Forgot your password?').click();
    await login.updateComplete;
    expect(q(login, 'h2').textContent).to.equal('Reset your password');
    expect(login.shadowRoot?.activeElement).to.equal(q(login, 'input[name=email]'));
    await expect(login).to.be.accessible();
    fill(login, { email: member.email });
    const requested = oneEvent(login, 'member-password-reset-requested');
    q<HTMLFormElement>(login, 'form').requestSubmit();
    await requested;

    const { token } = await mailedToken(member.email, '/auth/reset-password');
    await resetPage();
    const resetPageEl = await page(
      tenant,
      html`<member-email-action action="reset-password" token=${token}></member-email-action>`,
    );
    const reset = resetPageEl.querySelector('member-email-action') as MemberEmailAction;
    await reset.updateComplete;
    expect(q<HTMLInputElement>(reset, 'input[name=password]').autocomplete).to.equal('new-password');
    await expect(reset).to.be.accessible();
    fill(reset, { password: 'the brand new password' });
    q<HTMLFormElement>(reset, 'form').requestSubmit();
    await waitUntil(() => text(reset).includes('Your password is changed'), 'no confirmation');

    await resetPage();
    const again = await page(tenant, html`<member-login></member-login>`);
    const login2 = again.querySelector('member-login') as MemberLogin;
    await login2.updateComplete;
    fill(login2, { email: member.email, password: 'the brand new password' });
    const loggedIn = oneEvent(login2, 'member-login');
    q<HTMLFormElement>(login2, 'form').requestSubmit();
    expect((await loggedIn).detail.member.id).to.equal(member.id);
  });
});
