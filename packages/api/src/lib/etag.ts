/**
 * Whether an `If-None-Match` value names `etag`: one of its comma-separated tags,
 * compared weakly (a `W/` prefix ignored, RFC 9110 §13.1.2), or `*`.
 * @example
 * matchesEtag('W/"abc", "def"', '"abc"') // true
 */
export function matchesEtag(ifNoneMatch: string | null | undefined, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return (ifNoneMatch ?? '').split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === bare;
  });
}
