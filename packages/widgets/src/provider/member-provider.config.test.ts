import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './member-provider.js';
import type { MemberProvider } from './member-provider.js';
import '../signup/member-signup.js';
import '../login/member-login.js';
import type { MemberSignup } from '../signup/member-signup.js';
import type { MemberLogin } from '../login/member-login.js';
import { createTenant, resetPage, type TestTenant } from '../test/api.js';
import { q, text } from '../test/dom.js';

async function mount(tenant: TestTenant, locale = ''): Promise<MemberProvider> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale}><member-signup></member-signup></member-provider>`,
  );
  await provider.configReady;
  await (provider.querySelector('member-signup') as MemberSignup).updateComplete;
  return provider;
}

describe('<member-provider> with a tenant', function () {
  this.timeout(20_000);
  beforeEach(resetPage);

  it('loads the public config: tenant name, branding tokens on the host, computed in the widgets', async () => {
    const tenant = await createTenant(
      { branding: { color_primary: '#9d174d', color_text: '#1f2937', radius: 12 } },
      'Brand Club',
    );
    const provider = await mount(tenant);
    expect(provider.config.tenant.name).to.equal('Brand Club');
    expect(getComputedStyle(provider).getPropertyValue('--mk-color-primary').trim()).to.equal('#9d174d');
    expect(getComputedStyle(provider).getPropertyValue('--mk-radius').trim()).to.equal('12px');
    const signup = provider.querySelector('member-signup') as MemberSignup;
    expect(getComputedStyle(signup).color).to.equal('rgb(31, 41, 55)');
    const input = q(signup, 'input[name=email]');
    expect(getComputedStyle(input).borderTopLeftRadius).to.equal('12px');
  });

  it("lets the page's theme property win over the tenant's branding", async () => {
    const tenant = await createTenant({ branding: { color_primary: '#9d174d' } });
    const provider = await mount(tenant);
    provider.theme = { color_primary: '#123456' };
    await provider.updateComplete;
    expect(getComputedStyle(provider).getPropertyValue('--mk-color-primary').trim()).to.equal('#123456');
  });

  it('uses dark colours when the tenant picks dark mode and keeps the default light palette', async () => {
    const tenant = await createTenant({ branding: { dark_mode: 'dark' } });
    const provider = await mount(tenant);
    expect(provider.getAttribute('color-scheme')).to.equal('dark');
    const signup = provider.querySelector('member-signup') as MemberSignup;
    expect(getComputedStyle(q(signup, '[part=base]')).backgroundColor).to.equal('rgb(17, 24, 39)');
    await expect(signup).to.be.accessible();
  });

  it("speaks the tenant's default locale when the page asks for none and the browser's is not supported", async () => {
    const tenant = await createTenant({ locale: { default: 'de', supported: ['de'] } });
    const provider = await mount(tenant);
    expect(provider.lang).to.equal('de');
    const signup = provider.querySelector('member-signup') as MemberSignup;
    expect(q(signup, 'h2').textContent).to.equal('Mitglied werden');
  });

  it("applies the tenant's string overrides for the chosen locale", async () => {
    const tenant = await createTenant({
      locale: { default: 'en', supported: ['en', 'de'] },
      strings: { en: { 'signup.title': 'Join the club' }, de: { 'signup.title': 'Dem Verein beitreten' } },
    });
    const en = await mount(tenant, 'en');
    expect(q(en.querySelector('member-signup') as MemberSignup, 'h2').textContent).to.equal('Join the club');
    await resetPage();
    const de = await mount(tenant, 'de');
    const signup = de.querySelector('member-signup') as MemberSignup;
    expect(q(signup, 'h2').textContent).to.equal('Dem Verein beitreten');
    expect(q(signup, 'button[type=submit]').textContent?.trim()).to.equal('Registrieren');
  });

  it('renders custom fields by type with localized labels, a free tier choice and the consent checkbox', async () => {
    const tenant = await createTenant({
      consent: { required: true, terms_url: 'https://example.org/terms', privacy_url: 'https://example.org/privacy' },
    });
    const { api } = await import('../test/api.js');
    await api(tenant, 'PUT', '/v1/tenant/fields', {
      fields: [
        {
          key: 'company',
          label: { en: 'Company', de: 'Firma' },
          type: 'text',
          visibility: 'members',
          member_editable: true,
        },
        {
          key: 'size',
          label: { en: 'Company size', de: 'Größe' },
          type: 'select',
          required: true,
          visibility: 'public',
          member_editable: true,
          options: [
            { value: 's', label: { en: 'Small', de: 'Klein' } },
            { value: 'l', label: { en: 'Large', de: 'Groß' } },
          ],
        },
        {
          key: 'newsletter',
          label: { en: 'Newsletter' },
          type: 'boolean',
          visibility: 'members',
          member_editable: true,
        },
      ],
    });
    await api(tenant, 'POST', '/v1/tiers', { name: 'Friend', interval: 'free' });
    const provider = await mount(tenant, 'de');
    const signup = provider.querySelector('member-signup') as MemberSignup;
    expect(text(signup)).to.contain('Firma');
    const select = q<HTMLSelectElement>(signup, 'select[name="custom_fields.size"]');
    expect(Array.from(select.options, (o) => o.textContent)).to.deep.equal(['Bitte wählen …', 'Klein', 'Groß']);
    expect(q<HTMLInputElement>(signup, 'input[name="custom_fields.newsletter"]').type).to.equal('checkbox');
    expect(q<HTMLInputElement>(signup, 'input[name=tier_id]').checked).to.equal(true);
    expect(text(signup)).to.contain('Friend · Kostenlos');
    expect(q<HTMLInputElement>(signup, 'input[name=consent]').required).to.equal(true);
    expect(q<HTMLAnchorElement>(signup, 'a[href="https://example.org/terms"]').textContent).to.equal(
      'Nutzungsbedingungen',
    );
    await expect(signup).to.be.accessible();

    // Submitting without the required select and consent marks both, in German.
    q<HTMLFormElement>(signup, 'form').requestSubmit();
    await waitUntil(() => select.getAttribute('aria-invalid') === 'true', 'select not marked');
    expect(q<HTMLInputElement>(signup, 'input[name=consent]').getAttribute('aria-invalid')).to.equal('true');
    expect(q(signup, '[role=alert]').textContent).to.equal('Bitte korrigieren Sie die markierten Felder.');
  });

  it('fires member-error and keeps working with defaults when the key is refused', async () => {
    const tenant = await createTenant();
    const failed = new Promise<CustomEvent>((resolve) =>
      document.addEventListener('member-error', resolve as EventListener, { once: true }),
    );
    const provider = await fixture<MemberProvider>(
      html`<member-provider publishable-key="pk_not_a_key" api-url=${tenant.apiUrl}><member-login></member-login></member-provider>`,
    );
    const event = await failed;
    expect(event.detail.action).to.equal('config');
    const login = provider.querySelector('member-login') as MemberLogin;
    await login.updateComplete;
    expect(q(login, 'h2').textContent).to.equal('Sign in');
  });

  it('loads the config once for every provider and standalone widget with the same key', async () => {
    const tenant = await createTenant();
    const before = performance
      .getEntriesByType('resource')
      .filter((e) => e.name === `${tenant.apiUrl}/v1/public/config`).length;
    const page = await fixture<HTMLDivElement>(html`<div>
      <member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl}><member-signup></member-signup></member-provider>
      <member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl}><member-login></member-login></member-provider>
      <member-login publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl}></member-login>
    </div>`);
    await Promise.all(Array.from(page.querySelectorAll('member-provider'), (p) => (p as MemberProvider).configReady));
    await new Promise((r) => setTimeout(r, 200));
    const after = performance
      .getEntriesByType('resource')
      .filter((e) => e.name === `${tenant.apiUrl}/v1/public/config`).length;
    expect(after - before).to.equal(1);
  });
});
