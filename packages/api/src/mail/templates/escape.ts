const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and for double- or single-quoted
 * attribute values. Every interpolated value of a mail goes through this; the
 * layout builds markup only from constants and escaped values.
 * @example
 * `<p title="${escapeHtml(name)}">${escapeHtml(name)}</p>`
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * The URL, normalized, when it is an absolute `http:` or `https:` URL; null for
 * anything else (`javascript:`, `data:`, relative paths, garbage). Mail links
 * and images are only ever rendered from what this returns. Credentials in the
 * URL are refused too: `https://bank.example@evil.example` is a phishing shape.
 */
export function safeHttpUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.href;
}

/**
 * A CSS hex color as six digits (`#abc` → `#aabbcc`; the alpha of `#rrggbbaa`
 * is dropped, as many mail clients ignore or mangle it), or null when `value`
 * is not a hex color. Colors end up inside `style` attributes, where HTML
 * escaping alone would not stop `red;background:url(…)`: only this shape passes.
 */
export function hexColor(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(value.trim());
  if (!match) return null;
  const digits = match[1]!.toLowerCase();
  if (digits.length === 3) return `#${[...digits].map((d) => d + d).join('')}`;
  return `#${digits.slice(0, 6)}`;
}
