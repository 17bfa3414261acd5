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
import { startLazyElements } from '@memberkit/elements-core';
import { elementLoaders } from './element-loaders.js';

/** Loads the given elements now, without waiting for their tags to appear. */
export const preload = startLazyElements(elementLoaders, 'member-provider');
