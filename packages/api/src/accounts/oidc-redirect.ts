/**
 * Where an OIDC login may send the browser back to, and how the result travels.
 * The return address is the site that embeds the widget; it must be on one of
 * the origins the publishable key (or its tenant) allows, so the login cannot
 * be turned into an open redirect that hands tokens to a stranger's page.
 */

/** Why a return address was refused, or null when it is acceptable. */
export function returnAddressProblem(value: string, allowedOrigins: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'redirect_uri must be an absolute URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'redirect_uri must be an http(s) URL.';
  // Userinfo makes URLs whose apparent host differs from the real one (https://site.example@evil.example).
  if (url.username || url.password) return 'redirect_uri must not contain a user name or password.';
  // The fragment is where the result goes; one given up front would be ambiguous (RFC 6749 §3.1.2).
  if (url.hash || value.includes('#')) return 'redirect_uri must not contain a fragment.';
  if (!allowedOrigins.includes(url.origin)) {
    return `The origin ${url.origin} is not among the allowed origins of this key; add it to the tenant's allowed_origins.`;
  }
  return null;
}

/**
 * `redirectUri` with `params` as its fragment. Tokens go in the fragment, never
 * the query: browsers do not send fragments to servers, so they stay out of the
 * site's access logs and out of `Referer` headers.
 */
export function withFragment(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  url.hash = new URLSearchParams(params).toString();
  return url.href;
}
