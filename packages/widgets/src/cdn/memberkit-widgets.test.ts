import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { createTenant, resetPage } from '../test/api.js';

describe('script-tag loader', function () {
  this.timeout(20_000);
  beforeEach(resetPage);

  it('loads an element only when its tag appears in the page, the provider before it', async () => {
    const tenant = await createTenant();
    expect(customElements.get('member-signup')).to.equal(undefined);
    await fixture(
      html`<div id="before"><member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl}></member-provider></div>`,
    );
    await import('./memberkit-widgets.js');
    await customElements.whenDefined('member-provider');
    expect(customElements.get('member-signup')).to.equal(undefined);
    expect(customElements.get('member-profile')).to.equal(undefined);

    // A tag added later (as a single-page app would) gets its element.
    const provider = document.querySelector('member-provider') as HTMLElement;
    provider.innerHTML = '<member-signup></member-signup>';
    await customElements.whenDefined('member-signup');
    const signup = provider.querySelector('member-signup') as HTMLElement & { updateComplete: Promise<unknown> };
    await waitUntil(
      () => signup.shadowRoot?.querySelector('h2')?.textContent === 'Become a member',
      'signup not rendered',
    );
    expect(customElements.get('member-profile')).to.equal(undefined);
    expect(customElements.get('member-billing')).to.equal(undefined);

    // The billing elements are lazy chunks too, loaded when their tags appear.
    provider.insertAdjacentHTML('beforeend', '<member-pricing></member-pricing><member-billing></member-billing>');
    await Promise.all([customElements.whenDefined('member-pricing'), customElements.whenDefined('member-billing')]);
    const pricing = provider.querySelector('member-pricing') as HTMLElement;
    await waitUntil(
      () => pricing.shadowRoot?.querySelector('h2')?.textContent === 'Choose your membership',
      'pricing not rendered',
    );
  });
});
