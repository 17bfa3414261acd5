import { expect, fixture, html } from '@open-wc/testing';
import { parseBlocks, plainText, renderMarkdown, safeHref } from './markdown.js';

async function rendered(source: string): Promise<HTMLElement> {
  return fixture<HTMLElement>(html`<div>${renderMarkdown(source)}</div>`);
}

describe('feed Markdown', () => {
  it('renders paragraphs, bold, italic, headings, lists and quotes as elements', async () => {
    const el = await rendered(
      '# Summer party\n\nJoin us on **Friday** for *snacks* and _music_.\nBring friends.\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n> words',
    );
    expect(el.querySelector('h4')?.textContent).to.equal('Summer party');
    const p = el.querySelector('p') as HTMLElement;
    expect(p.querySelector('strong')?.textContent).to.equal('Friday');
    expect(Array.from(p.querySelectorAll('em'), (e) => e.textContent)).to.deep.equal(['snacks', 'music']);
    expect(p.querySelector('br')).to.not.equal(null);
    expect(Array.from(el.querySelectorAll('ul li'), (li) => li.textContent)).to.deep.equal(['one', 'two']);
    expect(Array.from(el.querySelectorAll('ol li'), (li) => li.textContent)).to.deep.equal(['first', 'second']);
    expect(el.querySelector('blockquote')?.textContent).to.equal('quotedwords');
  });

  it('links only http(s) and mailto, in a new tab with rel=noopener', async () => {
    const el = await rendered('See [the agenda](https://example.org/a?b=1) or [this](javascript:alert(1)).');
    const links = el.querySelectorAll('a');
    expect(links).to.have.length(1);
    const link = links[0] as HTMLAnchorElement;
    expect(link.href).to.equal('https://example.org/a?b=1');
    expect(link.rel).to.contain('noopener');
    expect(link.target).to.equal('_blank');
    expect(el.textContent).to.contain('[this](javascript:alert(1))');
    expect(safeHref('data:text/html,<b>x</b>')).to.equal(null);
  });

  it('never turns user text into HTML', async () => {
    const el = await rendered('<img src=x onerror="window.__pwned=1"> **<script>alert(1)</script>**');
    expect(el.querySelector('img')).to.equal(null);
    expect(el.querySelector('script')).to.equal(null);
    expect(el.textContent).to.contain('<img src=x onerror="window.__pwned=1">');
    expect(el.querySelector('strong')?.textContent).to.equal('<script>alert(1)</script>');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('shows mentions by name and gives plain text for previews', async () => {
    const el = await rendered('Thanks @[Grace Hopper](mem_01jdx3v4k7m9q2w8e5r6t0y1zc)!');
    expect(el.querySelector('.mention')?.textContent).to.equal('@Grace Hopper');
    expect(plainText('# Hi\n\n**bold** [x](https://e.org) @[Ada](mem_1)')).to.equal('Hi bold x @Ada');
    expect(parseBlocks('a\n\n\nb')).to.have.length(2);
  });
});
