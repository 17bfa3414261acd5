import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../provider/member-provider.js';
import './member-signup.js';
import type { MemberProvider } from '../provider/member-provider.js';
import type { MemberSignup } from './member-signup.js';
import { fill, q } from '../test/dom.js';
import { api, createTenant, mailedToken, resetPage, uniqueEmail, type TestTenant } from '../test/api.js';

async function mount(tenant: TestTenant, locale?: string): Promise<{ provider: MemberProvider; signup: MemberSignup }> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale ?? ''}><member-signup></member-signup></member-provider>`,
  );
  await provider.configReady;
  const signup = provider.querySelector('member-signup') as MemberSignup;
  await signup.updateComplete;
  return { provider, signup };
}

describe('<member-signup>', () => {
  beforeEach(resetPage);

  it('renders a labelled sign-up form with autocomplete hints and passes axe', async () => {
    const tenant = await createTenant();
    const { signup } = await mount(tenant);

    expect(q(signup, 'h2').textContent).to.equal('Become a member');
    const email = q<HTMLInputElement>(signup, 'input[name=email]');
    expect(email.type).to.equal('email');
    expect(email.autocomplete).to.equal('email');
    expect(q<HTMLInputElement>(signup, 'input[name=password]').autocomplete).to.equal('new-password');
    expect(q<HTMLLabelElement>(signup, `label[for="${email.id}"]`).textContent).to.equal('Email');
    await expect(signup).to.be.accessible();
  });

  it('shows inline errors for empty fields, announces them and focuses the first', async () => {
    const tenant = await createTenant();
    const { signup } = await mount(tenant);

    q<HTMLButtonElement>(signup, 'button[type=submit]').click();
    await waitUntil(() => q(signup, '[role=alert]').textContent?.trim(), 'no error summary');
    await signup.updateComplete;

    const first = q<HTMLInputElement>(signup, 'input[name=first_name]');
    expect(first.getAttribute('aria-invalid')).to.equal('true');
    expect(signup.shadowRoot?.activeElement).to.equal(first);
    const errorId = first.getAttribute('aria-describedby');
    expect(q(signup, `#${errorId}`).textContent).to.equal('Please fill in this field.');
    await expect(signup).to.be.accessible();
  });

  it('signs up with Enter, says to check the inbox, fires member-signup, and the mailed link verifies', async () => {
    const tenant = await createTenant();
    const { signup } = await mount(tenant);
    const email = uniqueEmail('signup');
    fill(signup, { first_name: 'Grace', last_name: 'Hopper', email, password: 'a long enough password' });

    const fired = oneEvent(signup, 'member-signup');
    // Enter in a field submits the form, as in any real form.
    q<HTMLFormElement>(signup, 'form').requestSubmit();
    const event = await fired;

    expect(event.detail).to.deep.equal({ member: null, email, verificationRequired: true });
    expect(event.bubbles && event.composed).to.equal(true);
    await signup.updateComplete;
    expect(q(signup, '[role=status]').textContent).to.contain(email);
    const { link } = await mailedToken(email, '/auth/verify-email');
    expect(new URL(link).searchParams.get('tenant')).to.equal(tenant.id);
    const members = await api(tenant, 'GET', `/v1/members?limit=10`);
    expect(members.body.data.map((m: { email: string }) => m.email)).to.include(email);
  });

  it('shows the API validation error inline on the password field', async () => {
    const tenant = await createTenant();
    const { signup } = await mount(tenant);
    fill(signup, { first_name: 'Grace', last_name: 'Hopper', email: uniqueEmail(), password: 'password' });
    const failed = oneEvent(signup, 'member-error');
    q<HTMLFormElement>(signup, 'form').requestSubmit();
    const event = await failed;

    expect(event.detail.action).to.equal('signup');
    expect(event.detail.code).to.equal('VALIDATION_FAILED');
    await signup.updateComplete;
    const password = q<HTMLInputElement>(signup, 'input[name=password]');
    expect(password.getAttribute('aria-invalid')).to.equal('true');
    expect(signup.shadowRoot?.activeElement).to.equal(password);
  });

  it('keeps what the visitor typed through re-renders: the tenant config arriving, an error from the API', async () => {
    const tenant = await createTenant();
    const defined = await api(tenant, 'PUT', '/v1/tenant/fields', {
      fields: [{ key: 'city', label: { en: 'City' }, type: 'text', visibility: 'public', member_editable: true }],
    });
    expect(defined.status).to.equal(200);
    // Standalone, before its config has loaded: a visitor on a slow line starts typing at once.
    const signup = await fixture<MemberSignup>(
      html`<member-signup publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en"></member-signup>`,
    );
    await signup.updateComplete;
    const email = uniqueEmail();
    fill(signup, { first_name: 'Grace', last_name: 'Hopper', email, password: 'password' });
    // The config arrives and the form re-renders with the tenant's field.
    await waitUntil(() => signup.shadowRoot?.querySelector('[name="custom_fields.city"]'), 'config not loaded');
    fill(signup, { 'custom_fields.city': 'Arlington' });
    const values = () =>
      ['first_name', 'last_name', 'email', 'password', 'custom_fields.city'].map(
        (name) => q<HTMLInputElement>(signup, `[name="${name}"]`).value,
      );
    expect(values()).to.deep.equal(['Grace', 'Hopper', email, 'password', 'Arlington']);

    // Refused by the API (a password everyone guesses): the form shows the error and still holds every value.
    const failed = oneEvent(signup, 'member-error');
    q<HTMLFormElement>(signup, 'form').requestSubmit();
    await failed;
    await signup.updateComplete;
    expect(q(signup, 'input[name=password]').getAttribute('aria-invalid')).to.equal('true');
    expect(values()).to.deep.equal(['Grace', 'Hopper', email, 'password', 'Arlington']);
  });

  it('speaks German and applies the tenant branding tokens', async () => {
    const tenant = await createTenant({
      branding: { color_primary: '#0f766e', radius: 2, font_family: 'Georgia, serif' },
    });
    const { provider, signup } = await mount(tenant, 'de');

    expect(q(signup, 'h2').textContent).to.equal('Mitglied werden');
    expect(q(signup, 'button[type=submit]').textContent?.trim()).to.equal('Registrieren');
    expect(getComputedStyle(provider).getPropertyValue('--mk-color-primary').trim()).to.equal('#0f766e');
    const button = q(signup, 'button[type=submit]');
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(15, 118, 110)');
    expect(getComputedStyle(button).borderTopLeftRadius).to.equal('2px');
    expect(getComputedStyle(signup).fontFamily).to.contain('Georgia');
    await expect(signup).to.be.accessible();
  });
});
