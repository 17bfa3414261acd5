/**
 * @memberkit/elements-core: what `@memberkit/widgets` and `@memberkit/admin-elements`
 * share. Every export here is a stable API (semver): see README.md for the contract.
 */
export { MemberkitElement, defineElement, type EmitOptions } from './memberkit-element.js';
export { startLazyElements, type ElementLoader } from './lazy-elements.js';
export {
  defaultTheme,
  themeContext,
  themeFromBranding,
  themeKeys,
  themeProperties,
  themeValue,
  type ColorScheme,
  type MemberkitTheme,
} from './theme.js';
