import { expect, html, oneEvent } from '@open-wc/testing';
import { resetPage } from '../test/api.js';
import {
  communityApi,
  createCommunityMember,
  createCommunityTenant,
  mountSignedIn,
  waitForText,
  startCommunityApi,
  waitUntil,
} from '../test/community.js';
import { button, q, qa, text } from '../test/dom.js';
import './member-feed.js';
import type { MemberFeed } from './member-feed.js';

describe('<member-feed>', function () {
  this.timeout(60_000);
  before(async function () {
    this.timeout(200_000);
    await startCommunityApi();
  });
  beforeEach(resetPage);

  it('shows announcements pinned first with safe Markdown; members post, react, comment and report, live', async () => {
    const tenant = await createCommunityTenant({ member_posts: true, member_comments: true, reactions: true });
    const ada = await createCommunityMember(tenant, { first_name: 'Ada', last_name: 'Lovelace' });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const older = await communityApi(tenant, 'POST', '/v1/feed/posts', { body: 'An early post' }, ada.token);
    expect(older.status).to.equal(201);
    // Written with the secret key (staff): an announcement; the API decides the kind, the body names none.
    const announcement = await communityApi(tenant, 'POST', '/v1/feed/posts', {
      title: 'General assembly',
      body: 'Join us on **Friday**. [Agenda](https://example.org/agenda)\n\n2 < 3 & "quotes" stay text',
      pinned: true,
    });
    expect(announcement.status, JSON.stringify(announcement.body)).to.equal(201);
    expect(announcement.body.kind).to.equal('announcement');

    const provider = await mountSignedIn(tenant, grace, html`<member-feed></member-feed>`);
    const el = provider.querySelector('member-feed') as MemberFeed;
    await waitForText(el, 'General assembly');
    const posts = qa(el, 'article');
    expect(posts[0]?.dataset.id).to.equal(announcement.body.id);
    expect(posts[0]?.getAttribute('part')).to.contain('pinned');
    expect(q(el, 'article strong').textContent).to.equal('Friday');
    const link = q<HTMLAnchorElement>(el, 'article a');
    expect(link.rel).to.contain('noopener');
    expect(el.shadowRoot?.querySelector('img')).to.equal(null);
    expect(text(el)).to.contain('2 < 3 & "quotes" stay text');
    await expect(el).to.be.accessible();

    // Grace posts: it shows after the pinned announcement.
    q<HTMLTextAreaElement>(el, '#compose-body').value = 'Hello *everyone*';
    const posted = oneEvent(el, 'member-feed-post');
    button(el, 'Post').click();
    const mine = (await posted).detail.post;
    await waitUntil(() => qa(el, 'article')[1]?.dataset.id === mine.id, 'own post not shown second');

    // Ada posts elsewhere: it appears live.
    const live = await communityApi(tenant, 'POST', '/v1/feed/posts', { body: 'Live from Ada' }, ada.token);
    await waitForText(el, 'Live from Ada');

    // A reaction: pressed, counted; the API agrees.
    const article = () => q(el, `article[data-id="${live.body.id}"]`);
    const like = () => article().querySelector<HTMLButtonElement>('[data-reaction="like"]') as HTMLButtonElement;
    like().click();
    await waitUntil(() => like().getAttribute('aria-pressed') === 'true', 'like not pressed');
    await waitUntil(() => like().getAttribute('aria-label') === 'Like: 1', 'like not counted');
    const fetched = await communityApi(tenant, 'GET', `/v1/feed/posts/${live.body.id}`, undefined, grace.token);
    expect(fetched.body.reactions.like).to.equal(1);

    // Comments: open, write one.
    (
      Array.from(article().querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Show comments',
      ) as HTMLButtonElement
    ).click();
    await waitUntil(() => article().querySelector(`#comment-${live.body.id}`), 'no comment form');
    (article().querySelector(`#comment-${live.body.id}`) as HTMLTextAreaElement).value = 'Nice **one**';
    (
      Array.from(article().querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Comment',
      ) as HTMLButtonElement
    ).click();
    await waitUntil(() => article().querySelectorAll('[part~="comment"]').length === 1, 'comment not shown');
    expect(
      article().querySelector('[part~="comment"] strong:not(:first-child), [part~="comment"] .body strong')
        ?.textContent,
    ).to.equal('one');

    // Report Ada's post.
    (
      Array.from(article().querySelectorAll('button')).find(
        (b) => b.textContent?.trim() === 'Report',
      ) as HTMLButtonElement
    ).click();
    await waitUntil(() => el.shadowRoot?.querySelector('#report-reason'), 'no report form');
    q<HTMLTextAreaElement>(el, '#report-reason').value = 'Spam';
    button(el, 'Send report').click();
    await waitForText(el, 'Thank you: staff will look at it.');
    const reports = await communityApi(tenant, 'GET', '/v1/content-reports');
    expect(reports.body.data.map((r: { target_id: string }) => r.target_id)).to.include(live.body.id);

    // Deleted elsewhere: gone live.
    await communityApi(tenant, 'DELETE', `/v1/feed/posts/${live.body.id}`, undefined, ada.token);
    await waitUntil(
      () => !el.shadowRoot?.querySelector(`article[data-id="${live.body.id}"]`),
      'deleted post still shown',
    );
    await expect(el).to.be.accessible();
  });

  it('offers no compose form when member posts are off, and speaks German', async () => {
    const tenant = await createCommunityTenant({ member_posts: false });
    const grace = await createCommunityMember(tenant, { first_name: 'Grace', last_name: 'Hopper' });
    const provider = await mountSignedIn(tenant, grace, html`<member-feed></member-feed>`, { locale: 'de' });
    const el = provider.querySelector('member-feed') as MemberFeed;
    await waitForText(el, 'Bisher wurde nichts veröffentlicht.');
    expect(el.shadowRoot?.querySelector('#compose-body')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
