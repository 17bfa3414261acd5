/**
 * The script-tag entry (`memberkit-widgets.js`): Lit included, elements loaded lazily.
 * It watches the page for `member-*` tags (now and as they are added later, e.g. by
 * a single-page app) and imports each element's chunk the first time its tag shows
 * up. Usage:
 *
 * ```html
 * <script type="module" src="https://api.example.org/widgets/v1/memberkit-widgets.js"></script>
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org">
 *   <member-signup></member-signup>
 * </member-provider>
 * ```
 */
import { elementLoaders } from './element-loaders.js';

const requested = new Map<string, Promise<unknown>>();

/** Loads the element for `tag` once; the provider first, so widgets find it when they connect. */
function load(tag: string): Promise<unknown> {
  let pending = requested.get(tag);
  if (pending) return pending;
  const loader = elementLoaders[tag];
  if (!loader || customElements.get(tag)) return Promise.resolve();
  const provider = tag !== 'member-provider' && document.querySelector('member-provider') ? load('member-provider') : Promise.resolve();
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

function start(): void {
  scan(document);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of Array.from(record.addedNodes)) {
        if (node instanceof Element) scan(node);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}

/** Loads the given elements now, without waiting for their tags to appear. */
export function preload(...tags: string[]): Promise<unknown[]> {
  return Promise.all(tags.map(load));
}

start();
