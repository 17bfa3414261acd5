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
import { startLazyElements } from '@memberkit/elements-core';
import { elementLoaders } from './element-loaders.js';

/** Loads the given elements now, without waiting for their tags to appear. */
export const preload = startLazyElements(elementLoaders, 'member-admin-provider');
