import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../provider/member-provider.js';
import type { MemberProvider } from '../provider/member-provider.js';
import './member-button.js';
import type { MemberButton } from './member-button.js';
import { createActiveMember, createTenant, resetPage } from '../test/api.js';
import { button, q } from '../test/dom.js';

describe('<member-button>', function () {
  this.timeout(20_000);
  beforeEach(resetPage);

  it('links to sign-in for visitors; for members opens a keyboard-usable menu that signs out', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant, { first_name: 'Hedy' });
    const provider = await fixture<MemberProvider>(
      html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} locale="en"
        ><member-button login-href="/login" profile-href="/profile"></member-button
      ></member-provider>`,
    );
    await provider.configReady;
    const el = provider.querySelector('member-button') as MemberButton;
    await el.updateComplete;
    const link = q<HTMLAnchorElement>(el, 'a');
    expect(link.textContent).to.equal('Sign in');
    expect(link.getAttribute('href')).to.equal('/login');
    await expect(el).to.be.accessible();

    await (el as unknown as { session: { login(e: string, p: string): Promise<unknown> } }).session.login(
      member.email,
      member.password,
    );
    await waitUntil(() => el.shadowRoot?.querySelector('button[aria-haspopup]'), 'account button not shown');
    const toggle = q<HTMLButtonElement>(el, 'button[aria-haspopup]');
    expect(toggle.textContent?.trim()).to.equal('Hedy');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => toggle.getAttribute('aria-expanded') === 'true', 'menu not opened');
    expect((el.shadowRoot!.activeElement as HTMLElement).textContent).to.equal('Profile');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => toggle.getAttribute('aria-expanded') === 'false', 'menu not closed');
    expect(el.shadowRoot?.activeElement).to.equal(toggle);

    toggle.click();
    await el.updateComplete;
    const out = oneEvent(el, 'member-logout');
    button(el, 'Sign out').click();
    expect((await out).detail.memberId).to.equal(member.id);
    await waitUntil(() => el.shadowRoot?.querySelector('a')?.textContent === 'Sign in', 'not signed out');
  });
});
