import type { FieldError } from '../lib/errors.js';
import { ApiError } from '../lib/errors.js';
import { BillingErrors } from './billing-errors.js';

/** Why `value` cannot be a page Stripe sends the member back to, or null when it can. */
function redirectProblem(value: string, allowedOrigins: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Must be an absolute URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Must be an http(s) URL.';
  // Userinfo makes URLs whose apparent host differs from the real one (https://site.example@evil.example).
  if (url.username || url.password) return 'Must not contain a user name or password.';
  if (!allowedOrigins.includes(url.origin)) {
    return `The origin ${url.origin} is not among the tenant's allowed origins (or those of the publishable key you signed in through).`;
  }
  return null;
}

/**
 * Checks the pages Stripe Checkout returns the member to: each must be on an
 * origin the member's session may be used from (the tenant's allowed origins
 * and those of the publishable key it signed in through), so a checkout cannot
 * be turned into an open redirect.
 * @throws ApiError 422 REDIRECT_URL_NOT_ALLOWED naming each refused field.
 */
export function checkRedirectUrls(urls: Record<string, string>, allowedOrigins: readonly string[]): void {
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(urls)) {
    const problem = redirectProblem(value, allowedOrigins);
    if (problem) errors.push({ field, message: problem });
  }
  if (errors.length === 0) return;
  throw new ApiError(
    BillingErrors.REDIRECT_URL_NOT_ALLOWED,
    `${errors.map((e) => `${e.field}: ${e.message}`).join(' ')}`,
    { errors },
  );
}
