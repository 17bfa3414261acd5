import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../provider/member-admin-provider.js';
import './member-admin-invite.js';
import type { MemberAdminInvite } from './member-admin-invite.js';
import { api, createStaff, createTenant, seedMembers, shadow, typeInto, waitFor } from '../test/support.js';

describe('<member-admin-invite>', () => {
  it('invites a pasted list, reports the addresses that failed, and resends or revokes pending invites', async () => {
    const tenant = await createTenant();
    const staff = await createStaff(tenant, 'manager');
    await seedMembers(tenant, [{ email: 'member@example.org', first_name: 'Mem', last_name: 'Ber', status: 'active' }]);
    const el =
      await fixture<HTMLElement>(html`<member-admin-provider api-url=${tenant.apiUrl} token=${staff.accessToken}>
      <member-admin-invite></member-admin-invite>
    </member-admin-provider>`);
    const invite = el.querySelector('member-admin-invite') as MemberAdminInvite;
    await waitFor(() => shadow(invite).querySelector('textarea[name="emails"]'), 'form');

    typeInto(
      shadow(invite).querySelector<HTMLTextAreaElement>('textarea[name="emails"]')!,
      'one@example.org, two@example.org\nmember@example.org; nope',
    );
    shadow(invite).querySelector<HTMLFormElement>('form')!.requestSubmit();
    await waitFor(() => shadow(invite).querySelector('[data-result]'), 'result');
    expect(shadow(invite).querySelector('[data-result]')!.textContent).to.equal('2 invitations sent.');
    expect(shadow(invite).textContent).to.contain('2 could not be sent');
    await waitFor(() => shadow(invite).querySelectorAll('tbody tr').length === 2, 'pending list');
    expect(shadow(invite).querySelector('tbody')!.textContent).to.contain('one@example.org');
    const mails = await executeServerCommand<{ subject: string }[], unknown>('mk-mail', { to: 'one@example.org' });
    expect(mails).to.have.length(1);

    const row = [...shadow(invite).querySelectorAll<HTMLTableRowElement>('tbody tr')].find((r) =>
      r.textContent?.includes('two@example.org'),
    )!;
    row.querySelector<HTMLButtonElement>('[data-action="revoke"]')!.click();
    await waitFor(() => shadow(invite).querySelectorAll('tbody tr').length === 1, 'revoked');
    const revoked = await api(tenant, 'GET', `/v1/invites?status=revoked`);
    expect(revoked.body.data.map((i: { email: string }) => i.email)).to.deep.equal(['two@example.org']);
    await expect(invite).to.be.accessible();
  });
});
