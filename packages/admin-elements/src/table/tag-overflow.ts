/**
 * How many of a member's tags a table row shows before the rest collapse into a
 * "+N" chip. A count, not a measured width: the same tags give the same row in
 * every font and at every window size, and a row never wraps to a second line.
 */
export const VISIBLE_TAGS = 2;

/**
 * Splits tags into those a row shows and those its "+N" chip lists.
 * @example
 * splitTags(['a', 'b', 'c', 'd', 'e']); // { shown: ['a', 'b'], hidden: ['c', 'd', 'e'] }: "a" "b" "+3"
 */
export function splitTags(tags: readonly string[], visible = VISIBLE_TAGS): { shown: string[]; hidden: string[] } {
  if (tags.length <= visible) return { shown: [...tags], hidden: [] };
  return { shown: tags.slice(0, visible), hidden: tags.slice(visible) };
}
