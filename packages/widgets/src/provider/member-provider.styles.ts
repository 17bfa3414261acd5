import { css, unsafeCSS } from 'lit';
import { defaultTheme, themeKeys, themeProperties, themeValue } from '@memberkit/elements-core';

// Built from `defaultTheme` (constant data, not user input) so the defaults live in one place.
const tokenDefaults = unsafeCSS(
  themeKeys.map((key) => `${themeProperties[key]}: ${themeValue(key, defaultTheme[key])};`).join('\n'),
);

/**
 * Styles of `<member-provider>`. Token defaults sit on `:host`, so page CSS that targets
 * `member-provider` overrides them; the `theme` property (inline) wins over both.
 */
export const memberProviderStyles = css`
  :host {
    display: contents;
    ${tokenDefaults}
  }

  :host([hidden]) {
    display: none;
  }

  :host([color-scheme='dark']) {
    color-scheme: dark;
  }
`;
