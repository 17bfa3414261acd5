import { html, nothing, type TemplateResult } from 'lit';

/**
 * The Markdown subset of feed posts and comments, rendered to Lit templates: never
 * through `innerHTML`. Every piece of user text ends up in a text binding (escaped by
 * Lit), so `<script>`, `<img onerror>` and the like show as the characters typed.
 *
 * Blocks: paragraphs (blank-line separated; single line breaks kept), `#`–`###`
 * headings, `-`/`*`/`1.` lists, `>` quotes. Inline: `**bold**`, `*italic*`/`_italic_`,
 * `[text](https://…)` links (http(s) and mailto only; others stay text; opened with
 * `rel="noopener noreferrer"` in a new tab), mentions `@[Name](mem_…)`.
 */

type Inline = string | TemplateResult;

export type Block =
  | { kind: 'p'; lines: string[] }
  | { kind: 'h'; level: 1 | 2 | 3; text: string }
  | { kind: 'ul' | 'ol'; items: string[] }
  | { kind: 'quote'; lines: string[] };

const HEADING = /^(#{1,3})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;

/** Splits a body into blocks. */
export function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  const flush = () => {
    if (current) blocks.push(current);
    current = null;
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'h', level: (heading[1] as string).length as 1 | 2 | 3, text: heading[2] as string });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const quote = QUOTE.exec(line);
    const c = current as Block | null;
    if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      const text = ((bullet ?? numbered) as RegExpExecArray)[1] as string;
      if (c?.kind === kind) c.items.push(text);
      else {
        flush();
        current = { kind, items: [text] };
      }
    } else if (quote) {
      if (c?.kind === 'quote') c.lines.push(quote[1] as string);
      else {
        flush();
        current = { kind: 'quote', lines: [quote[1] as string] };
      }
    } else if (c?.kind === 'p') c.lines.push(line);
    else if ((c?.kind === 'ul' || c?.kind === 'ol') && /^\s+/.test(raw)) {
      // An indented line continues the list item above it.
      c.items[c.items.length - 1] += ` ${line.trim()}`;
    } else {
      flush();
      current = { kind: 'p', lines: [line] };
    }
  }
  flush();
  return blocks;
}

/** Inline patterns, tried at each position; the earliest match wins. */
const INLINE =
  /(\*\*(.+?)\*\*)|(@\[([^\]\n]{1,200})\]\((mem_[A-Za-z0-9_-]+)\))|(\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\))|(\*([^*\s](?:[^*\n]*[^*\s])?)\*)|(\b_([^_\s](?:[^_\n]*[^_\s])?)_\b)/;

/** Whether a link target may be followed: absolute http(s) or mailto, nothing else. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Renders inline Markdown of one line (or list item) as Lit values. */
export function renderInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  while (rest) {
    const match = depth > 4 ? null : INLINE.exec(rest);
    if (!match) {
      out.push(rest);
      break;
    }
    if (match.index > 0) out.push(rest.slice(0, match.index));
    if (match[1]) out.push(html`<strong>${renderInline(match[2] as string, depth + 1)}</strong>`);
    else if (match[3]) out.push(html`<span class="mention" part="mention">@${match[4]}</span>`);
    else if (match[6]) {
      const href = safeHref(match[8] as string);
      out.push(
        href
          ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow" part="link">${renderInline(match[7] as string, depth + 1)}</a>`
          : match[0],
      );
    } else if (match[9]) out.push(html`<em>${renderInline(match[10] as string, depth + 1)}</em>`);
    else if (match[11]) out.push(html`<em>${renderInline(match[12] as string, depth + 1)}</em>`);
    rest = rest.slice(match.index + match[0].length);
  }
  return out;
}

function lines(texts: string[]): Inline[] {
  return texts.flatMap((line, i) => (i === 0 ? renderInline(line) : [html`<br />`, ...renderInline(line)]));
}

/**
 * Renders a Markdown body. `headingLevel` is the HTML level of `#` (posts sit under the
 * element's own headings: `#` renders as `<h4>` by default).
 */
export function renderMarkdown(source: string | null | undefined, headingLevel = 4): TemplateResult | typeof nothing {
  if (!source) return nothing;
  const blocks = parseBlocks(source);
  return html`${blocks.map((block) => {
    switch (block.kind) {
      case 'h': {
        const level = Math.min(6, headingLevel + block.level - 1);
        const content = renderInline(block.text);
        if (level === 4) return html`<h4>${content}</h4>`;
        if (level === 5) return html`<h5>${content}</h5>`;
        return html`<h6>${content}</h6>`;
      }
      case 'ul':
        return html`<ul>${block.items.map((item) => html`<li>${renderInline(item)}</li>`)}</ul>`;
      case 'ol':
        return html`<ol>${block.items.map((item) => html`<li>${renderInline(item)}</li>`)}</ol>`;
      case 'quote':
        return html`<blockquote>${lines(block.lines)}</blockquote>`;
      default:
        return html`<p>${lines(block.lines)}</p>`;
    }
  })}`;
}

/** The plain text of a body (Markdown marks removed), for previews and labels. */
export function plainText(source: string | null | undefined): string {
  if (!source) return '';
  return source
    .replace(/@\[([^\]]+)\]\(mem_[^)]+\)/g, '@$1')
    .replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
    .replace(/(\*\*|\*|_|^#{1,3}\s+|^\s*>\s?|^\s*[-*+]\s+)/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}
