/** Imports the module that defines one element. */
export type ElementLoader = () => Promise<unknown>;

/**
 * Loads elements lazily for a script-tag bundle: watches the page for the given
 * tags (now and as they are added later, e.g. by a single-page app) and imports
 * each element's chunk the first time its tag shows up. The provider loads
 * first, so elements find it when they connect.
 *
 * @returns `preload(...tags)`, to load elements before their tags appear.
 * @example
 * export const preload = startLazyElements({ 'member-provider': () => import('../provider/member-provider.js'), … }, 'member-provider');
 */
export function startLazyElements(
  loaders: Record<string, ElementLoader>,
  provider: string,
): (...tags: string[]) => Promise<unknown[]> {
  const requested = new Map<string, Promise<unknown>>();

  function load(tag: string): Promise<unknown> {
    let pending = requested.get(tag);
    if (pending) return pending;
    const loader = loaders[tag];
    if (!loader || customElements.get(tag)) return Promise.resolve();
    const first = tag !== provider && document.querySelector(provider) ? load(provider) : Promise.resolve();
    pending = first.then(loader).catch((error: unknown) => {
      requested.delete(tag);
      console.error(`memberkit: could not load <${tag}>`, error);
    });
    requested.set(tag, pending);
    return pending;
  }

  const selector = Object.keys(loaders).join(',');
  function scan(root: ParentNode): void {
    if (root instanceof Element && root.matches(selector)) void load(root.localName);
    for (const element of Array.from(root.querySelectorAll(selector))) void load(element.localName);
  }

  scan(document);
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of Array.from(record.addedNodes)) if (node instanceof Element) scan(node);
  }).observe(document.documentElement, { childList: true, subtree: true });

  return (...tags) => Promise.all(tags.map(load));
}
