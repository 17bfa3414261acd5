/**
 * How a widget sends the browser to another page (Stripe Checkout, a hosted
 * invoice). A property of the element rather than a call to `location.assign`, so a
 * single-page app can route itself and tests can see where a widget would go
 * without leaving the test page.
 */
export type Navigate = (url: string) => void;

/** The browser's own navigation. */
export const assignLocation: Navigate = (url) => window.location.assign(url);

/** The page the widget is on, without a fragment: where Checkout returns to by default. */
export function currentPageUrl(): string {
  const url = new URL(window.location.href);
  url.hash = '';
  return url.toString();
}
