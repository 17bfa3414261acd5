import { expect, fixture, html } from '@open-wc/testing';
import { renderMarkdown } from './markdown.js';

async function rendered(source: string): Promise<HTMLElement> {
  return fixture(html`<div>${renderMarkdown(source)}</div>`);
}

describe('renderMarkdown', () => {
  it('renders the subset: headings, emphasis, lists, quotes, code, links, mentions', async () => {
    const el = await rendered(
      '# Assembly\n\n**Bring** your *card* and `id`.\nSecond line\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n```\ncode <b>\n```\n\nSee [our site](https://example.org) or @[Ada Lovelace](mem_123).',
    );
    expect(el.querySelector('h3')!.textContent).to.equal('Assembly');
    expect(el.querySelector('strong')!.textContent).to.equal('Bring');
    expect(el.querySelector('em')!.textContent).to.equal('card');
    expect(el.querySelector('p code')!.textContent).to.equal('id');
    expect(el.querySelector('br')).to.not.equal(null);
    expect([...el.querySelectorAll('ul li')].map((li) => li.textContent)).to.deep.equal(['one', 'two']);
    expect([...el.querySelectorAll('ol li')].map((li) => li.textContent)).to.deep.equal(['first', 'second']);
    expect(el.querySelector('blockquote')!.textContent).to.equal('quoted');
    expect(el.querySelector('pre code')!.textContent).to.equal('code <b>');
    const link = el.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://example.org');
    expect(link.getAttribute('rel')).to.contain('noopener');
    expect(el.querySelector('.mention')!.textContent).to.equal('@Ada Lovelace');
  });

  it('never turns what is typed into markup: HTML stays text, unsafe links stay text', async () => {
    const el = await rendered(
      '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script>\n\n[click](javascript:alert(1)) [data](data:text/html,hi) **<i>x</i>**',
    );
    expect(el.querySelector('img, script, i')).to.equal(null);
    expect(el.querySelector('a')).to.equal(null);
    expect(el.textContent).to.contain('<img src=x');
    expect(el.textContent).to.contain('[click](javascript:alert(1))');
    expect(el.querySelector('strong')!.textContent).to.equal('<i>x</i>');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});
