import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../deps.js';
import type { Logger } from '../lib/logger.js';
import type { DemoOwner } from './demo-owner.js';
import { createConsoleSession } from './dev-console-session.js';
import { createSiteHandler, type InlineHashes, type StaticMount } from './site.js';

const repoPath = (relative: string) => fileURLToPath(new URL(`../../../../${relative}`, import.meta.url));

// Bundles are versioned by path (/v1/); chunks carry content hashes and never change.
const BUNDLE_CACHE = {
  hashed: 'public, max-age=31536000, immutable',
  other: 'public, max-age=86400, stale-while-revalidate=604800',
};

/**
 * The element bundles every API process serves (production included): site owners
 * load `/widgets/v1/memberkit-widgets.js` and `/admin-elements/v1/memberkit-admin.js`
 * from the API's origin. Built by `npm run build` (or `npm start`) into the packages'
 * `dist/cdn`; a missing build is logged, not fatal.
 */
export function elementBundleMounts(logger: Logger): StaticMount[] {
  const widgets = repoPath('packages/widgets/dist/cdn');
  const admin = repoPath('packages/admin-elements/dist/cdn');
  for (const [what, dir] of [
    ['widgets bundle', widgets],
    ['admin elements bundle', admin],
  ] as const) {
    if (!existsSync(dir))
      logger.warn(`${what} not built: run npm start from the repository root (it builds them first)`, { dir });
  }
  return [
    { prefix: '/widgets/v1/', dir: widgets, cache: BUNDLE_CACHE },
    { prefix: '/admin-elements/v1/', dir: admin, cache: BUNDLE_CACHE },
  ];
}

/** Only the element bundles: what the API serves beside itself in production. */
export function createBundleSite(logger: Logger) {
  return createSiteHandler({ pagesDir: null, mounts: elementBundleMounts(logger), placeholders: () => ({}) });
}

/**
 * The Content-Security-Policy of the example site's and the staff console's pages:
 * scripts only from this origin and the API's (the element bundles) plus the page's
 * own inline scripts by hash, styles from this origin plus inline ones by hash (the
 * elements style their shadow roots with constructed style sheets, which CSP does
 * not govern), requests only to the API, no plugins, no framing, no `<base>`.
 * Images may come from any https origin: tenants set their logo by URL.
 */
export function sitePageCsp(apiUrl: string, inline: InlineHashes): string {
  const api = new URL(apiUrl).origin;
  return [
    "default-src 'none'",
    `script-src 'self' ${api} ${inline.scripts.join(' ')}`.trim(),
    `style-src 'self' ${inline.styles.join(' ')}`.trim(),
    `img-src 'self' ${api} https: data:`,
    "font-src 'self' https: data:",
    `connect-src 'self' ${api}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * What `npm start` serves beside the API in development: the example member
 * site (examples/embed-html) at `/` with the demo tenant's publishable key, the
 * widgets' and admin elements' script-tag bundles, and the staff console at
 * `/admin`, signed in as the demo tenant's owner.
 */
export function createDevSite(options: {
  deps: AppDeps;
  logger: Logger;
  demo: { tenantId: string; publishableKey: string } | null;
  /** The console signs in as this owner; only given on a loopback bind, as the page carries a live token. */
  owner: DemoOwner | null;
}) {
  const pagesDir = repoPath('examples/embed-html');
  const consolePage = repoPath('examples/admin-console/index.html');
  const acceptInvitePage = repoPath('examples/admin-console/accept-invite.html');
  const apiUrl = (request: Request) => new URL(request.url).origin;
  const consoleTokens = options.owner ? createConsoleSession(options.deps, options.owner) : null;
  return createSiteHandler({
    pagesDir: existsSync(pagesDir) ? pagesDir : null,
    mounts: elementBundleMounts(options.logger),
    placeholders: (request) => ({
      MEMBERKIT_API_URL: apiUrl(request),
      MEMBERKIT_PUBLISHABLE_KEY: options.demo?.publishableKey ?? '',
    }),
    contentSecurityPolicy: (request, inline) => sitePageCsp(apiUrl(request), inline),
    pages: [
      // Where staff invitation mails link to: public, like the member site's pages.
      ...(existsSync(acceptInvitePage)
        ? [
            {
              path: '/admin/accept-invite',
              file: acceptInvitePage,
              placeholders: async (request: Request) => ({
                MEMBERKIT_API_URL: apiUrl(request),
                MEMBERKIT_PUBLISHABLE_KEY: options.demo?.publishableKey ?? '',
              }),
            },
          ]
        : []),
      ...(consoleTokens && existsSync(consolePage)
        ? [
            {
              path: '/admin',
              file: consolePage,
              placeholders: async (request: Request) => {
                const session = await consoleTokens(request);
                return {
                  MEMBERKIT_API_URL: apiUrl(request),
                  MEMBERKIT_STAFF_TOKEN: session.accessToken,
                  MEMBERKIT_STAFF_REFRESH_TOKEN: session.refreshToken,
                  MEMBERKIT_PUBLISHABLE_KEY: options.demo?.publishableKey ?? '',
                };
              },
            },
          ]
        : []),
    ],
  });
}
