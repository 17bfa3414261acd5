import { createContext } from '@lit/context';

/**
 * Brand tokens, named as in the API's `Branding` (so a tenant's branding can be passed
 * as is). Each becomes a `--mk-*` CSS custom property.
 */
export interface MemberkitTheme {
  /** Buttons, links, focus rings. Any CSS color. */
  color_primary: string;
  /** Surfaces of the elements. */
  color_background: string;
  /** Body text. */
  color_text: string;
  /** Errors and destructive actions. */
  color_danger: string;
  /** A CSS `font-family` list. */
  font_family: string;
  /** Corner radius in CSS pixels. */
  radius: number;
  /** Base spacing unit in CSS pixels; gaps and paddings are multiples of it. */
  spacing: number;
}

/** The tokens used where a theme leaves one out. */
export const defaultTheme: Readonly<MemberkitTheme> = Object.freeze({
  color_primary: '#4f46e5',
  color_background: '#ffffff',
  color_text: '#111827',
  color_danger: '#b91c1c',
  font_family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  radius: 8,
  spacing: 16,
});

/** The CSS custom property each theme key is written to. */
export const themeProperties: Readonly<Record<keyof MemberkitTheme, `--mk-${string}`>> = Object.freeze({
  color_primary: '--mk-color-primary',
  color_background: '--mk-color-background',
  color_text: '--mk-color-text',
  color_danger: '--mk-color-danger',
  font_family: '--mk-font-family',
  radius: '--mk-radius',
  spacing: '--mk-space',
});

/** The theme's keys, in declaration order. */
export const themeKeys = Object.keys(themeProperties) as readonly (keyof MemberkitTheme)[];

/** The CSS value of a theme token: `radius` and `spacing` are in pixels. */
export function themeValue<K extends keyof MemberkitTheme>(key: K, value: MemberkitTheme[K]): string {
  return key === 'radius' || key === 'spacing' ? `${value}px` : String(value);
}

/** How the widgets pick light or dark colours: as the tenant's `branding.dark_mode`. */
export type ColorScheme = 'light' | 'dark' | 'auto';

/**
 * The theme part of a tenant's branding (the public config's `branding`): the tokens
 * it sets, nothing else. Unknown keys and `null`s are dropped.
 */
export function themeFromBranding(branding: Readonly<Record<string, unknown>> | undefined): Partial<MemberkitTheme> {
  const theme: Partial<Record<keyof MemberkitTheme, unknown>> = {};
  for (const key of themeKeys) {
    const value = branding?.[key];
    if (value !== undefined && value !== null && value !== '') theme[key] = value;
  }
  return theme as Partial<MemberkitTheme>;
}

/**
 * Context through which `<member-provider>` hands the complete theme (defaults filled
 * in) to the elements inside it.
 */
export const themeContext = createContext<MemberkitTheme>(Symbol.for('memberkit.theme'));
