import { html, nothing, type TemplateResult } from 'lit';

/**
 * The Markdown subset of feed posts and announcements, rendered as Lit templates: text
 * only ever reaches the page as text nodes and attribute values, never as HTML, so
 * nothing a writer types can inject markup or script. Blocks: paragraphs, headings
 * (`#`, `##`, `###`), bullet (`-`, `*`) and numbered (`1.`) lists, quotes (`>`), fenced
 * code (three backticks). Inline: `**bold**`, `*italic*` / `_italic_`, `` `code` ``,
 * `[text](https://…)` (http, https and mailto only; anything else stays text) and
 * mentions `@[Name](mem_…)`.
 *
 * @example
 * html`<div class="preview">${renderMarkdown(body)}</div>`
 */
export function renderMarkdown(source: string): TemplateResult {
  return html`${parseBlocks(source).map(renderBlock)}`;
}

type Block =
  | { kind: 'p'; text: string }
  | { kind: 'h'; level: 1 | 2 | 3; text: string }
  | { kind: 'ul' | 'ol'; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'code'; text: string };

/** Splits the source into blocks. */
export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) blocks.push({ kind: 'p', text: para.join('\n') });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^```/.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i] ?? ''); i++) code.push(lines[i] ?? '');
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'h', level: heading[1]!.length as 1 | 2 | 3, text: heading[2] ?? '' });
      continue;
    }
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      flush();
      const kind = bullet ? 'ul' : 'ol';
      const last = blocks.at(-1);
      const text = (bullet ?? numbered)?.[1] ?? '';
      if (last && last.kind === kind) last.items.push(text);
      else blocks.push({ kind, items: [text] });
      continue;
    }
    const quote = /^>\s?(.*)$/.exec(line);
    if (quote) {
      flush();
      const last = blocks.at(-1);
      if (last && last.kind === 'quote') last.text += `\n${quote[1] ?? ''}`;
      else blocks.push({ kind: 'quote', text: quote[1] ?? '' });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    para.push(line);
  }
  flush();
  return blocks;
}

function renderBlock(block: Block): TemplateResult {
  switch (block.kind) {
    case 'p':
      return html`<p>${renderInline(block.text)}</p>`;
    case 'h':
      // Headings inside a post sit below the page's own: h3–h5.
      return block.level === 1
        ? html`<h3>${renderInline(block.text)}</h3>`
        : block.level === 2
          ? html`<h4>${renderInline(block.text)}</h4>`
          : html`<h5>${renderInline(block.text)}</h5>`;
    case 'ul':
      return html`<ul>
        ${block.items.map((item) => html`<li>${renderInline(item)}</li>`)}
      </ul>`;
    case 'ol':
      return html`<ol>
        ${block.items.map((item) => html`<li>${renderInline(item)}</li>`)}
      </ol>`;
    case 'quote':
      return html`<blockquote>${renderInline(block.text)}</blockquote>`;
    case 'code':
      return html`<pre><code>${block.text}</code></pre>`;
  }
}

const INLINE =
  /\*\*([^*]+)\*\*|`([^`]+)`|@\[([^\]]+)\]\((mem_[A-Za-z0-9]+)\)|\[([^\]]+)\]\(([^()\s]+)\)|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\n/g;

/** Whether a link target may become a link (no `javascript:` and friends). */
export function safeUrl(url: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(url);
}

/** Inline Markdown as Lit values (strings stay text). */
export function renderInline(text: string): unknown[] {
  const out: unknown[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    last = at + m[0].length;
    if (m[1] !== undefined) out.push(html`<strong>${renderInline(m[1])}</strong>`);
    else if (m[2] !== undefined) out.push(html`<code>${m[2]}</code>`);
    else if (m[3] !== undefined) out.push(html`<span class="mention">@${m[3]}</span>`);
    else if (m[5] !== undefined && m[6] !== undefined)
      out.push(
        safeUrl(m[6])
          ? html`<a href=${m[6]} rel="noopener noreferrer nofollow" target="_blank">${renderInline(m[5])}</a>`
          : m[0],
      );
    else if (m[7] !== undefined) out.push(html`<em>${renderInline(m[7])}</em>`);
    else if (m[8] !== undefined) out.push(html`<em>${renderInline(m[8])}</em>`);
    else out.push(html`<br />`);
  }
  if (last < text.length) out.push(text.slice(last));
  return out.length ? out : [nothing];
}
