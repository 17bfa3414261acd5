/**
 * @memberkit/widgets/internal: building blocks shared with `@memberkit/admin-elements`.
 * Not a stable public API.
 */
export { MemberkitElement, defineElement, type EmitOptions } from './memberkit-element.js';
