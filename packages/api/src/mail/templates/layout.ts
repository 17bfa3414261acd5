import type { TenantBranding } from '../../db/schema/index.js';
import { DEFAULT_BRANDING } from '../../services/tenants.js';
import { escapeHtml, hexColor, safeHttpUrl } from './escape.js';

/**
 * A mail as structure, before markup. Templates build one from plain-text
 * strings; {@link renderHtml} and {@link renderText} turn it into both bodies,
 * so the two always say the same thing and escaping happens in one place.
 */
export interface MailDocument {
  lang: string;
  subject: string;
  /** Preview line mail clients show after the subject; hidden in the body. */
  preheader: string;
  heading: string;
  blocks: MailBlock[];
  footer: string;
}

/** One part of a mail body. */
export type MailBlock =
  | { kind: 'paragraph'; text: string; muted?: boolean }
  /** Text someone else wrote (an invitation's message), set apart; line breaks kept. */
  | { kind: 'quote'; label: string; text: string }
  /** The call to action. `url` must have passed {@link safeHttpUrl}. */
  | { kind: 'action'; label: string; url: string; fallback: string }
  | { kind: 'code'; label: string; code: string }
  | { kind: 'facts'; rows: [label: string, value: string][] }
  /** A data table (a report): headings and rows of plain-text cells. */
  | { kind: 'table'; columns: string[]; rows: string[][] };

/** The tenant as a mail shows it. */
export interface MailBrand {
  name: string;
  branding: TenantBranding;
}

/** Branding values after validation, ready to put into `style` attributes. */
interface Theme {
  primary: string;
  onPrimary: string;
  background: string;
  text: string;
  muted: string;
  border: string;
  link: string;
  font: string;
  radius: number;
  logoUrl: string | null;
}

/** `font-family:…;` for a style attribute. */
function fontCss(theme: Theme): string {
  // theme.font matched a list of plain characters with no `"`, `<` or `&`, so it
  // is safe in a double-quoted attribute as it is; escaping it would turn its
  // single quotes into entities, which some mail clients mishandle in styles.
  return `font-family:${theme.font};`;
}

/** Email-safe font stack used when the tenant's is missing or not a plain font list. */
const FALLBACK_FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/**
 * Resolves a tenant's branding into colors the mail can use. The API validates
 * branding on write, but this reads the database, so it checks again and falls
 * back to the defaults for anything malformed instead of trusting it.
 */
export function themeOf(branding: TenantBranding): Theme {
  const primary = hexColor(branding.color_primary) ?? DEFAULT_BRANDING.color_primary;
  const background = hexColor(branding.color_background) ?? DEFAULT_BRANDING.color_background;
  const text = hexColor(branding.color_text) ?? DEFAULT_BRANDING.color_text;
  const font =
    typeof branding.font_family === 'string' && /^[\w\s,'"-]{1,200}$/.test(branding.font_family)
      ? // Escaped double quotes (&quot;) inside a style attribute are valid HTML but trip up some
        // mail clients; single quotes mean the same to CSS.
        branding.font_family.replaceAll('"', "'")
      : FALLBACK_FONT;
  const radius =
    typeof branding.radius === 'number' && Number.isFinite(branding.radius)
      ? Math.min(Math.max(Math.round(branding.radius), 0), 24)
      : 8;
  return {
    primary,
    onPrimary: contrastRatio(primary, '#ffffff') >= contrastRatio(primary, '#111111') ? '#ffffff' : '#111111',
    background,
    text,
    muted: mix(text, background, 0.35),
    border: mix(text, background, 0.85),
    // Links in the primary color only where they stay readable on the background.
    link: contrastRatio(primary, background) >= 3 ? primary : text,
    font,
    radius,
    logoUrl: typeof branding.logo_url === 'string' ? safeHttpUrl(branding.logo_url) : null,
  };
}

/**
 * The HTML body: nested tables and inline styles only, the subset that renders
 * alike in Outlook, Gmail and Apple Mail. Every value from `doc` and the brand is
 * escaped here; nothing else produces markup.
 */
export function renderHtml(doc: MailDocument, brand: MailBrand): string {
  const theme = themeOf(brand.branding);
  const e = escapeHtml;
  const base = fontCss(theme);
  const header = theme.logoUrl
    ? `<img src="${e(theme.logoUrl)}" alt="${e(brand.name)}" height="40" style="display:block;height:40px;max-width:240px;border:0;outline:none;text-decoration:none;">`
    : `<span style="${base}color:${theme.text};font-size:18px;font-weight:bold;">${e(brand.name)}</span>`;
  const blocks = doc.blocks.map((block) => renderHtmlBlock(block, theme, base)).join('\n');

  return `<!DOCTYPE html>
<html lang="${e(doc.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light only">
<title>${e(doc.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:${theme.background};">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${e(doc.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${theme.background};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:${theme.background};border:1px solid ${theme.border};border-radius:${theme.radius}px;">
<tr><td style="padding:24px 32px 0 32px;">${header}</td></tr>
<tr><td style="padding:24px 32px 32px 32px;${base}color:${theme.text};font-size:16px;line-height:24px;">
<h1 style="margin:0 0 16px 0;${base}color:${theme.text};font-size:22px;line-height:30px;font-weight:bold;">${e(doc.heading)}</h1>
${blocks}
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;">
<tr><td style="padding:16px 32px;${base}color:${theme.muted};font-size:12px;line-height:18px;">${e(doc.footer)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function renderHtmlBlock(block: MailBlock, theme: Theme, base: string): string {
  const e = escapeHtml;
  const body = `${base}color:${theme.text};font-size:16px;line-height:24px;`;
  const small = `${base}color:${theme.muted};font-size:14px;line-height:21px;`;
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px 0;${block.muted ? small : body}">${e(block.text)}</p>`;
    case 'quote':
      return `<p style="margin:0 0 8px 0;${body}">${e(block.label)}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;"><tr><td style="border-left:4px solid ${theme.primary};padding:4px 0 4px 16px;${body}font-style:italic;">${multiline(block.text)}</td></tr></table>`;
    case 'action': {
      const url = e(block.url);
      // A "bulletproof" button: the colored cell is the button, so it shows even where padding on links is ignored.
      return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;"><tr>
<td align="center" bgcolor="${theme.primary}" style="background-color:${theme.primary};border-radius:${theme.radius}px;">
<a href="${url}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 24px;${base}font-size:16px;line-height:20px;font-weight:bold;color:${theme.onPrimary};text-decoration:none;border-radius:${theme.radius}px;">${e(block.label)}</a>
</td></tr></table>
<p style="margin:0 0 16px 0;${small}">${e(block.fallback)}<br><a href="${url}" target="_blank" rel="noopener" style="color:${theme.link};word-break:break-all;">${url}</a></p>`;
    }
    case 'code':
      return `<p style="margin:0 0 8px 0;${body}">${e(block.label)}</p>
<p style="margin:0 0 16px 0;font-family:Menlo, Consolas, monospace;color:${theme.text};font-size:24px;line-height:32px;letter-spacing:4px;font-weight:bold;">${e(block.code)}</p>`;
    case 'facts':
      return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;">${block.rows
        .map(
          ([label, value]) =>
            `<tr><td style="padding:2px 16px 2px 0;${small}vertical-align:top;">${e(label)}</td><td style="padding:2px 0;${body}">${e(value)}</td></tr>`,
        )
        .join('')}</table>`;
    case 'table': {
      const cell = 'padding:4px 12px 4px 0;text-align:left;vertical-align:top;';
      const head = block.columns
        .map(
          (label) =>
            `<th style="${cell}${small}font-weight:bold;border-bottom:1px solid ${theme.border};">${e(label)}</th>`,
        )
        .join('');
      const rows = block.rows
        .map((row) => `<tr>${row.map((value) => `<td style="${cell}${body}">${e(value)}</td>`).join('')}</tr>`)
        .join('\n');
      return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;border-collapse:collapse;">\n<tr>${head}</tr>\n${rows}\n</table>`;
    }
  }
}

/** Escaped text with its line breaks as `<br>`. */
function multiline(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => escapeHtml(line))
    .join('<br>');
}

/** The plain-text body: the same document, readable in any client and by screen readers. */
export function renderText(doc: MailDocument, brand: MailBrand): string {
  const parts: string[] = [brand.name, '', doc.heading, ''];
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'paragraph':
        parts.push(block.text, '');
        break;
      case 'quote':
        parts.push(block.label, ...block.text.split(/\r\n|\r|\n/).map((line) => `> ${line}`), '');
        break;
      case 'action':
        parts.push(`${block.label}:`, block.url, '');
        break;
      case 'code':
        parts.push(`${block.label} ${block.code}`, '');
        break;
      case 'facts':
        parts.push(...block.rows.map(([label, value]) => `${label}: ${value}`), '');
        break;
      case 'table':
        parts.push(...textTable(block.columns, block.rows), '');
        break;
    }
  }
  parts.push('-- ', doc.footer, '');
  return parts.join('\n');
}

/** A table as aligned plain-text lines: headings, a rule, the rows (columns padded to their widest cell). */
function textTable(columns: string[], rows: string[][]): string[] {
  const widths = columns.map((label, i) => Math.max(label.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

// --- color helpers -----------------------------------------------------------

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** `a` moved `ratio` of the way towards `b`. Mail clients lack color-mix(), so shades are computed here. */
function mix(a: string, b: string, ratio: number): string {
  const [x, y] = [rgb(a), rgb(b)];
  return `#${x
    .map((channel, i) =>
      Math.round(channel + (y[i]! - channel) * ratio)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** WCAG 2 contrast ratio of two six-digit hex colors. */
function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = rgb(hex).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [l1, l2] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}
