import { expect, fixture, html } from '@open-wc/testing';
import '../provider/member-provider.js';
import './member-signup.js';
import type { MemberProvider } from '../provider/member-provider.js';
import type { MemberSignup } from './member-signup.js';
import { qa } from '../test/dom.js';
import { api, createTenant, resetPage, type TestTenant } from '../test/api.js';

/** The tier picker's hint lines (each tier's description), in order. */
async function tierDescriptions(tenant: TestTenant, locale: string): Promise<string[]> {
  const provider = await fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale=${locale}><member-signup></member-signup></member-provider>`,
  );
  await provider.configReady;
  const signup = provider.querySelector('member-signup') as MemberSignup;
  await signup.updateComplete;
  return qa(signup, 'fieldset label.check .hint').map((hint) => hint.textContent ?? '');
}

describe('<member-signup> tier picker', function () {
  this.timeout(20_000);
  beforeEach(resetPage);

  it("shows each tier's description in the member's locale: the exact tag, its language, else the tenant's own", async () => {
    const tenant = await createTenant({ locale: { default: 'en', supported: ['en', 'de', 'de-AT'] } });
    for (const tier of [
      {
        name: 'Friend',
        description: 'For everyone.',
        description_translations: { de: 'Für alle.', 'de-AT': 'Für alle in Österreich.' },
      },
      { name: 'Guest', description: 'Have a look around.' },
    ]) {
      const res = await api(tenant, 'POST', '/v1/tiers', { ...tier, interval: 'free' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }

    expect(await tierDescriptions(tenant, 'de')).to.deep.equal(['Für alle.', 'Have a look around.']);
    expect(await tierDescriptions(tenant, 'de-AT')).to.deep.equal(['Für alle in Österreich.', 'Have a look around.']);
    expect(await tierDescriptions(tenant, 'de-CH')).to.deep.equal(['Für alle.', 'Have a look around.']);
    expect(await tierDescriptions(tenant, 'en')).to.deep.equal(['For everyone.', 'Have a look around.']);
  });
});
