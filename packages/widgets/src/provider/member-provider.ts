import { provide } from '@lit/context';
import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { MemberkitElement, defineElement } from '../internal/memberkit-element.js';
import { memberProviderStyles } from './member-provider.styles.js';
import { defaultTheme, themeContext, themeKeys, themeProperties, themeValue, type MemberkitTheme } from './theme.js';

/**
 * Wraps the part of a page that uses Memberkit widgets and supplies them with the
 * tenant's theme (later also the client, session and strings) through `@lit/context`.
 * It renders no box of its own (`display: contents`).
 *
 * @slot - The page content holding Memberkit widgets.
 *
 * @cssproperty [--mk-color-primary=#4f46e5] - Buttons, links and focus rings.
 * @cssproperty [--mk-color-background=#ffffff] - Surfaces of the widgets.
 * @cssproperty [--mk-color-text=#111827] - Body text.
 * @cssproperty [--mk-color-danger=#b91c1c] - Errors and destructive actions.
 * @cssproperty [--mk-font-family=system-ui, …] - Font of the widgets.
 * @cssproperty [--mk-radius=8px] - Corner radius.
 *
 * @example
 * <member-provider locale="de">
 *   <member-signup></member-signup>
 * </member-provider>
 * <script type="module">
 *   document.querySelector('member-provider').theme = { color_primary: '#0f766e', radius: 4 };
 * </script>
 */
export class MemberProvider extends MemberkitElement {
  static override styles = memberProviderStyles;

  /**
   * BCP 47 locale of the widgets, e.g. `de` or `pt-BR`. Reflected to the host's `lang`
   * so CSS `:lang()` and assistive technology see it.
   */
  @property() locale?: string;

  /**
   * Brand tokens (a tenant's `branding` fits). Keys left out keep their defaults or
   * the page's CSS. Set it as a property, not an attribute.
   */
  @property({ attribute: false }) theme: Partial<MemberkitTheme> = {};

  /** The complete theme, defaults filled in, for the elements inside. */
  @provide({ context: themeContext })
  protected resolvedTheme: MemberkitTheme = { ...defaultTheme };

  /** Tokens this element wrote inline, so it removes only its own, never the page's. */
  #inlineTokens = new Set<keyof MemberkitTheme>();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') && this.locale) this.lang = this.locale;
    if (changed.has('theme')) this.applyTheme();
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }

  private applyTheme(): void {
    const resolved: MemberkitTheme = { ...defaultTheme };
    const apply = <K extends keyof MemberkitTheme>(key: K): void => {
      const value = this.theme?.[key];
      if (value === undefined || value === null || value === '') {
        if (this.#inlineTokens.delete(key)) this.style.removeProperty(themeProperties[key]);
        return;
      }
      this.style.setProperty(themeProperties[key], themeValue(key, value));
      this.#inlineTokens.add(key);
      resolved[key] = value;
    };
    themeKeys.forEach(apply);
    this.resolvedTheme = resolved;
  }
}

defineElement('member-provider', MemberProvider);

declare global {
  interface HTMLElementTagNameMap {
    'member-provider': MemberProvider;
  }
}
