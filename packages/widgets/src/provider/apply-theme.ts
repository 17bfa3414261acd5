import {
  defaultTheme,
  themeFromBranding,
  themeKeys,
  themeProperties,
  themeValue,
  type ColorScheme,
  type MemberkitTheme,
} from '@memberkit/elements-core';

/** Tokens of the dark scheme, used where a tenant kept the light defaults. */
export const darkDefaults: Readonly<Partial<MemberkitTheme>> = Object.freeze({
  color_primary: '#a5b4fc',
  color_background: '#111827',
  color_text: '#f3f4f6',
  color_danger: '#fca5a5',
});

function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/**
 * Resolves a theme for a colour scheme: in dark mode (or `auto` on a dark system) the
 * tokens a tenant left at the light defaults become dark ones, so a tenant only
 * picking `dark_mode` gets readable colours; tokens the tenant chose are kept.
 */
export function resolveTheme(theme: Partial<MemberkitTheme>, scheme: ColorScheme | undefined): MemberkitTheme {
  const resolved: MemberkitTheme = { ...defaultTheme, ...theme };
  const dark = scheme === 'dark' || (scheme === 'auto' && prefersDark());
  if (!dark) return resolved;
  for (const [key, value] of Object.entries(darkDefaults) as [keyof MemberkitTheme, never][]) {
    if (resolved[key] === defaultTheme[key]) resolved[key] = value;
  }
  return resolved;
}

/**
 * Writes a theme to an element as inline `--mk-*` custom properties and returns the
 * complete theme. Only keys the theme sets (or the dark scheme changes) are written:
 * the rest keep the stylesheet defaults, which page CSS can override. `written`
 * tracks which properties this function owns, so a key later left out is removed
 * without touching properties the page set inline itself.
 */
export function applyTheme(
  element: HTMLElement,
  source: Partial<MemberkitTheme> | Readonly<Record<string, unknown>> | undefined,
  written: Set<keyof MemberkitTheme>,
  scheme?: ColorScheme,
): MemberkitTheme {
  const theme = themeFromBranding(source as Readonly<Record<string, unknown>> | undefined);
  const colorScheme = scheme ?? ((source as { dark_mode?: ColorScheme } | undefined)?.dark_mode || undefined);
  const resolved = resolveTheme(theme, colorScheme);
  for (const key of themeKeys) {
    const set = theme[key] !== undefined || resolved[key] !== defaultTheme[key];
    if (set) {
      element.style.setProperty(themeProperties[key], themeValue(key, resolved[key]));
      written.add(key);
    } else if (written.delete(key)) {
      element.style.removeProperty(themeProperties[key]);
    }
  }
  const dark =
    resolved.color_background !== defaultTheme.color_background && colorScheme !== undefined && colorScheme !== 'light';
  if (colorScheme && colorScheme !== 'light') element.setAttribute('color-scheme', dark ? 'dark' : 'light');
  else element.removeAttribute('color-scheme');
  if (dark) element.style.setProperty('--mk-color-on-primary', '#111827');
  else element.style.removeProperty('--mk-color-on-primary');
  return resolved;
}
