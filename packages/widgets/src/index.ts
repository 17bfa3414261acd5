/** @memberkit/widgets: embeddable Memberkit web components. Importing it registers the elements. */
export { MemberProvider } from './provider/member-provider.js';
export { defaultTheme, themeContext, themeProperties, type MemberkitTheme } from './provider/theme.js';
export { MemberkitElement, defineElement, type EmitOptions } from './internal/memberkit-element.js';
