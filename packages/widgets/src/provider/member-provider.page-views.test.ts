import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './member-provider.js';
import type { MemberProvider } from './member-provider.js';
import { getRuntime } from '../runtime/runtime.js';
import { api, createActiveMember, createTenant, resetPage, type TestTenant } from '../test/api.js';

interface ActivityRequest {
  authorization: string | null;
  events: { type: string; member_id: string; id?: string; properties?: Record<string, unknown> }[];
  status: number;
}

/** Records the page's requests to POST /v1/activity (the SDK takes `fetch` when its client is made). */
function spyOnActivity(): { requests: ActivityRequest[]; restore(): void } {
  const requests: ActivityRequest[] = [];
  const real = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await real(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/v1/activity' && init?.method === 'POST') {
      const body = JSON.parse(String(init.body)) as {
        events?: ActivityRequest['events'];
      } & ActivityRequest['events'][0];
      requests.push({
        authorization: new Headers(init.headers).get('Authorization'),
        events: body.events ?? [body],
        status: response.status,
      });
    }
    return response;
  };
  return { requests, restore: () => (window.fetch = real) };
}

function mount(tenant: TestTenant): Promise<MemberProvider> {
  return fixture<MemberProvider>(
    html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl} track-page-views
      ><p>Page</p></member-provider
    >`,
  );
}

describe('<member-provider track-page-views>', function () {
  this.timeout(20_000);
  let spy: ReturnType<typeof spyOnActivity>;
  beforeEach(async () => {
    await resetPage();
    spy = spyOnActivity();
  });
  afterEach(() => spy.restore());

  it('records one page.viewed for a signed-in member per page load, with the member token', async () => {
    const tenant = await createTenant();
    const member = await createActiveMember(tenant);
    const runtime = getRuntime(tenant.apiUrl, tenant.publishableKey);
    await runtime.session.login(member.email, member.password);
    document.title = 'Members area';

    const provider = await mount(tenant);
    await waitUntil(() => spy.requests.length > 0, 'no page view sent');
    // A second provider of the same tenant on the page (and a re-render) sends nothing more.
    const second = await mount(tenant);
    provider.requestUpdate();
    await Promise.all([provider.updateComplete, second.updateComplete, runtime.session.ready]);

    expect(spy.requests).to.have.length(1);
    const [request] = spy.requests;
    expect(request!.status).to.be.within(200, 299);
    expect(request!.authorization).to.match(/^Bearer eyJ/);
    expect(request!.events).to.have.length(1);
    expect(request!.events[0]).to.deep.include({ type: 'page.viewed', member_id: member.id });
    expect(request!.events[0]!.properties).to.deep.equal({ path: location.pathname, title: 'Members area' });

    // The API kept it: the member's timeline shows the page view.
    const timeline = await api(tenant, 'GET', `/v1/members/${member.id}/activity?type=page.viewed`);
    expect(timeline.status).to.equal(200);
    expect(timeline.body.data.map((e: { type: string }) => e.type)).to.deep.equal(['page.viewed']);
    expect(timeline.body.data[0].properties).to.deep.equal({ path: location.pathname, title: 'Members area' });
  });

  it('records nothing for a visitor who is not signed in, nor without the attribute', async () => {
    const tenant = await createTenant();
    const provider = await mount(tenant);
    const plain = await fixture<MemberProvider>(
      html`<member-provider publishable-key=${tenant.publishableKey} api-url=${tenant.apiUrl}></member-provider>`,
    );
    await provider.configReady;
    await Promise.all([provider.updateComplete, plain.updateComplete]);
    await getRuntime(tenant.apiUrl, tenant.publishableKey).session.ready;
    expect(provider.trackPageViews).to.equal(true);
    // Called directly too: without a member there is nothing to send.
    expect(await provider.trackPageView()).to.equal(false);
    expect(spy.requests).to.deep.equal([]);
  });
});
