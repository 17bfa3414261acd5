import { expect, fixture, html } from '@open-wc/testing';
import { MemberkitElement } from '@memberkit/widgets/internal';
import './member-admin-provider.js';
import type { MemberAdminProvider } from './member-admin-provider.js';

describe('<member-admin-provider>', () => {
  it('is a Memberkit element from the shared widgets base', async () => {
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider></member-admin-provider>`);
    expect(el).to.be.instanceOf(MemberkitElement);
    expect(customElements.get('member-admin-provider')).to.equal(el.constructor);
  });

  it('renders its slotted content', async () => {
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider><h2>Members</h2></member-admin-provider>`);

    const assigned = el.shadowRoot?.querySelector('slot')?.assignedElements() ?? [];
    expect(assigned).to.have.length(1);
    expect(assigned[0]?.textContent).to.equal('Members');
    expect(el.querySelector('h2')?.getBoundingClientRect().height).to.be.greaterThan(0);
  });

  it('reflects adminRole to the admin-role attribute, defaulting to viewer', async () => {
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider></member-admin-provider>`);
    expect(el.adminRole).to.equal('viewer');
    expect(el.getAttribute('admin-role')).to.equal('viewer');

    el.adminRole = 'owner';
    await el.updateComplete;

    expect(el.getAttribute('admin-role')).to.equal('owner');
    expect(el.hasAttribute('role')).to.equal(false);
  });

  it('reads the role from the attribute, and an unknown one as viewer', async () => {
    const el = await fixture<MemberAdminProvider>(html`<member-admin-provider admin-role="manager"></member-admin-provider>`);
    expect(el.adminRole).to.equal('manager');

    el.setAttribute('admin-role', 'superuser');
    await el.updateComplete;

    expect(el.adminRole).to.equal('viewer');
  });

  it('passes an accessibility check', async () => {
    const el = await fixture<MemberAdminProvider>(
      html`<member-admin-provider admin-role="admin"><button type="button">Invite</button></member-admin-provider>`,
    );
    await expect(el).to.be.accessible();
  });
});
