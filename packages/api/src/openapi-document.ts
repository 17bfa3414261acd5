import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './lib/context.js';

export const API_VERSION = '0.1.0';

/** Registers the security schemes routes refer to. */
export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'secretKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A tenant secret key (`sk_…`), from server code only. Its role (admin, manager, viewer) limits what it may do.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'publishableKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      "A publishable key (`pk_…`), safe in browsers; accepted only from the tenant's allowed origins. May also be sent as `X-Memberkit-Publishable-Key`.",
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'memberToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A member's access token from sign-in (ES256 JWT, 10 minutes).",
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'staffToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "A staff user's access token (ES256 JWT, audience `memberkit:staff`, 10 minutes). Same permissions as a secret key of the staff role.",
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'platformKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'The platform operator key (`MEMBERKIT_PLATFORM_KEY`): creates and lists tenants.',
  });
}

/** The OpenAPI 3.1 document of the app, as served at `/openapi.json` and written to `openapi.yaml`. */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Memberkit API',
      version: API_VERSION,
      description:
        'The HTTP API of Memberkit, the embeddable membership platform. Errors are RFC 9457 problem+json with a stable `code`; lists use cursor pagination; POSTs accept an `Idempotency-Key`.',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      contact: { name: 'Memberkit', url: 'https://memberkit.dev' },
    },
    // Relative first (OpenAPI 3.1 §4.8.5: resolved against where the document is served): `/docs` "Try it" calls the
    // server it was loaded from, whatever its host and port; the local default second, for tools reading openapi.yaml.
    servers: [
      { url: '/', description: 'The server this document is served from' },
      { url: 'http://127.0.0.1:8787', description: 'Local development (npm start)' },
    ],
    tags: [
      { name: 'Platform', description: 'Tenant management by the platform operator.' },
      { name: 'Tenant', description: "The calling tenant's own settings." },
      { name: 'API keys', description: 'Secret and publishable keys of the tenant.' },
      { name: 'Members', description: "The tenant's members: CRUD, search, bulk actions, import and export." },
      { name: 'Tiers', description: 'Membership tiers and their prices.' },
      { name: 'Custom fields', description: 'Typed fields the tenant defines for its members.' },
      { name: 'Invites', description: 'Invitations to join, with single-use expiring tokens.' },
      { name: 'Audit log', description: 'Tamper-evident record of every change.' },
      { name: 'Auth', description: 'Member sign-up, sign-in and sessions (browser, publishable key).' },
      { name: 'Me', description: "The signed-in member's own data (member access token)." },
      { name: 'Staff', description: "The tenant's staff users, roles and staff sign-in." },
      {
        name: 'Activity',
        description: 'Member activity: recording events (batches, idempotent by id), timelines and event types.',
      },
      {
        name: 'Analytics',
        description: "Engagement, retention and growth from rollups, days in the tenant's time zone.",
      },
      { name: 'Reports', description: 'Custom report queries, saved reports, CSV export and scheduled report mails.' },
      {
        name: 'Billing',
        description:
          "Payments on Stripe: the tenant's Stripe connection, members' checkout, plan changes with proration previews, payment methods and invoices, metered usage, and staff views of subscriptions, refunds and complimentary memberships.",
      },
      { name: 'Tokens', description: 'Verifying access tokens offline: JWKS, issuer metadata, key rotation.' },
      { name: 'Meta', description: 'Health and documentation.' },
    ],
  });
}
