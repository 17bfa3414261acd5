/**
 * The script-tag entry (`memberkit-admin.js`): Lit included, elements loaded lazily.
 * It watches the page for `member-admin-*` tags (now and as they are added later)
 * and imports each element's chunk the first time its tag shows up.
 *
 * ```html
 * <script type="module" src="https://api.example.org/admin-elements/v1/memberkit-admin.js"></script>
 * <member-admin-provider api-url="https://api.example.org" token="…">
 *   <member-admin-table></member-admin-table>
 * </member-admin-provider>
 * ```
 */
import { elementLoaders } from './element-loaders.js';

const requested = new Map<string, Promise<unknown>>();
const PROVIDER = 'member-admin-provider';

/** Loads the element for `tag` once; the provider first, so elements find it when they connect. */
function load(tag: string): Promise<unknown> {
  let pending = requested.get(tag);
  if (pending) return pending;
  const loader = elementLoaders[tag];
  if (!loader || customElements.get(tag)) return Promise.resolve();
  const provider = tag !== PROVIDER && document.querySelector(PROVIDER) ? load(PROVIDER) : Promise.resolve();
  pending = provider.then(loader).catch((error: unknown) => {
    requested.delete(tag);
    console.error(`memberkit: could not load <${tag}>`, error);
  });
  requested.set(tag, pending);
  return pending;
}

const selector = Object.keys(elementLoaders).join(',');

function scan(root: ParentNode): void {
  if (root instanceof Element && root.matches(selector)) void load(root.localName);
  for (const element of Array.from(root.querySelectorAll(selector))) void load(element.localName);
}

/** Loads the given elements now, without waiting for their tags to appear. */
export function preload(...tags: string[]): Promise<unknown[]> {
  return Promise.all(tags.map(load));
}

scan(document);
new MutationObserver((records) => {
  for (const record of records) for (const node of Array.from(record.addedNodes)) if (node instanceof Element) scan(node);
}).observe(document.documentElement, { childList: true, subtree: true });
