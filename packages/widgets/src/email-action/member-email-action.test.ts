import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-email-action.js';
import type { MemberEmailAction } from './member-email-action.js';
import { api, createActiveMember, createTenant, mailedToken, publicPost, resetPage, uniqueEmail } from '../test/api.js';
import { fill, q, text } from '../test/dom.js';

describe('<member-email-action>', function () {
  this.timeout(20_000);
  beforeEach(resetPage);

  it('accepts an invitation from the mailed link: names and password, then signed in with the tier', async () => {
    const tenant = await createTenant();
    const tier = await api(tenant, 'POST', '/v1/tiers', { name: 'Board', interval: 'free' });
    const email = uniqueEmail('invitee');
    const invite = await api(tenant, 'POST', '/v1/invites', { email, tier_id: tier.body.id });
    expect(invite.status).to.equal(201);
    const { token, link } = await mailedToken(email, '/accept-invite');
    expect(new URL(link).searchParams.get('tenant')).to.equal(tenant.id);

    const provider = await fixture<MemberProvider>(
      html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="de"
        ><member-email-action action="accept-invite" token=${token}></member-email-action
      ></member-provider>`,
    );
    await provider.configReady;
    const action = provider.querySelector('member-email-action') as MemberEmailAction;
    await action.updateComplete;
    expect(q(action, 'h2').textContent).to.equal('Einladung annehmen');
    await expect(action).to.be.accessible();
    fill(action, { first_name: 'Ida', last_name: 'Noddack', password: 'a sturdy password' });
    const joined = oneEvent(action, 'member-login');
    q<HTMLFormElement>(action, 'form').requestSubmit();
    const event = await joined;
    expect(event.detail.method).to.equal('invite');
    expect(event.detail.member.tier_id).to.equal(tier.body.id);
    await waitUntil(() => text(action).includes('Willkommen!'), 'no welcome');
  });

  it('resets a password with the token of the page URL, then takes the spent token out of the address bar', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    expect((await publicPost(tenant, '/v1/auth/password-reset', { email: member.email })).status).to.equal(202);
    const { token } = await mailedToken(member.email, '/auth/reset-password');
    const before = location.href;
    history.replaceState(null, '', `?keep=1&token=${encodeURIComponent(token)}`);
    try {
      const action = await fixture<MemberEmailAction>(
        html`<member-email-action action="reset-password" publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en"></member-email-action>`,
      );
      await action.updateComplete;
      fill(action, { password: 'a brand new password' });
      q<HTMLFormElement>(action, 'form').requestSubmit();
      await waitUntil(() => action.shadowRoot!.querySelector('.alert.success'), 'no success message');
      expect(new URLSearchParams(location.search).has('token')).to.equal(false);
      expect(new URLSearchParams(location.search).get('keep')).to.equal('1');
      // Still done (the element does not ask for the link again), and the new password works.
      await action.updateComplete;
      expect(text(action)).not.to.contain('needs the link');
      expect(
        (await publicPost(tenant, '/v1/auth/login', { email: member.email, password: 'a brand new password' })).status,
      ).to.equal(200);
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('says the page needs the mailed link when there is no token', async () => {
    const tenant = await createTenant();
    const action = await fixture<MemberEmailAction>(
      html`<member-email-action action="verify-email" publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en"></member-email-action>`,
    );
    await action.updateComplete;
    expect(text(action)).to.contain('This page needs the link from your email.');
    await expect(action).to.be.accessible();
  });
});
