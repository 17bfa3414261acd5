/**
 * The Markdown subset of feed posts and comments (emphasis, links, lists, headings,
 * quotes, and member mentions `@[Name](mem_…)`). The server stores the text as
 * written; the elements render it without raw HTML. Here: what the server needs to
 * read from it (mentions, a plain-text excerpt for notifications).
 */

/** `@[Ada Lovelace](mem_01jdx3v4k7m9q2w8e5r6t0y1zc)`: a label without brackets, a member id. */
const MENTION = /@\[([^\]\n]{1,100})\]\((mem_[0-9a-hjkmnp-tv-z]{26})\)/g;

/** One mention in a text. */
export interface Mention {
  name: string;
  memberId: string;
}

/**
 * The members a text mentions, each once, in order of first mention.
 * @example
 * mentionsIn('Welcome @[Ada](mem_01jdx3v4k7m9q2w8e5r6t0y1zc)!') // [{ name: 'Ada', memberId: 'mem_01jdx…' }]
 */
export function mentionsIn(text: string): Mention[] {
  const seen = new Set<string>();
  const out: Mention[] = [];
  for (const match of text.matchAll(MENTION)) {
    const [, name, memberId] = match;
    if (!name || !memberId || seen.has(memberId)) continue;
    seen.add(memberId);
    out.push({ name, memberId });
  }
  return out;
}

/**
 * A short plain-text version of Markdown for notification bodies and previews:
 * mentions become their names, links their text, markup characters go, whitespace
 * collapses; cut at `max` characters with an ellipsis.
 */
export function markdownExcerpt(text: string, max = 200): string {
  const plain = text
    .replace(MENTION, (_m, name: string) => `@${name}`)
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__|\*|_|~~|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= max ? plain : `${plain.slice(0, max - 1).trimEnd()}…`;
}
