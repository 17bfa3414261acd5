import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppDeps } from './deps.js';
import type { AppEnv } from './lib/context.js';
import { ApiError, CommonErrors } from './lib/errors.js';
import { registerResponseHeaders } from './lib/openapi.js';
import { createNotFoundHandler, handleError } from './lib/problem-response.js';
import { validationHook } from './lib/validation.js';
import { authenticate } from './middleware/authenticate.js';
import { browserOrigin, preflight } from './middleware/browser-origin.js';
import { compression } from './middleware/compression.js';
import { idempotency } from './middleware/idempotency.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requestLog } from './middleware/request-log.js';
import { refuseIdempotencyKey, streamBodyLimit } from './middleware/streamed-upload.js';
import { registerSecuritySchemes } from './openapi-document.js';
import { apiKeysRouter } from './routes/api-keys/api-keys.index.js';
import { mountMeta } from './routes/meta/meta.index.js';
import { platformTenantsRouter } from './routes/platform-tenants/platform-tenants.index.js';
import { tenantRouter } from './routes/tenant/tenant.index.js';
import { auditLogRouter } from './routes/audit-log/audit-log.index.js';
import { fieldsRouter } from './routes/fields/fields.index.js';
import { invitesRouter } from './routes/invites/invites.index.js';
import { membersRouter } from './routes/members/members.index.js';
import { tiersRouter } from './routes/tiers/tiers.index.js';
import { authRouter } from './routes/auth/auth.index.js';
import { jwksRouter } from './routes/jwks/jwks.index.js';
import { meRouter } from './routes/me/me.index.js';
import { staffRouter } from './routes/staff/staff.index.js';
import { oauthRouter } from './routes/oauth/oauth.index.js';
import { publicRouter } from './routes/public/public.index.js';
import { directoryRouter } from './routes/directory/directory.index.js';
import { oidcRouter } from './routes/oidc/oidc.index.js';
import { createDevMailRouter } from './routes/dev-mail/dev-mail.index.js';
import { activityRouter } from './routes/activity/activity.index.js';
import { activityTimelineRouter } from './routes/activity-timeline/activity-timeline.index.js';
import { engagementRouter } from './routes/analytics-engagement/analytics-engagement.index.js';
import { cohortsRouter } from './routes/analytics-cohorts/analytics-cohorts.index.js';
import { reportsRouter } from './routes/reports/reports.index.js';
import { billingSettingsRouter } from './routes/billing-settings/billing-settings.index.js';
import { stripeWebhooksRouter } from './routes/billing-webhooks/billing-webhooks.index.js';
import { billingPortalRouter } from './routes/billing-portal/billing-portal.index.js';
import { billingUsageRouter } from './routes/billing-usage/billing-usage.index.js';
import { billingStaffRouter } from './routes/billing-staff/billing-staff.index.js';
import { revenueRouter } from './routes/analytics-revenue/analytics-revenue.index.js';
import { realtimeRouter } from './routes/realtime/realtime.index.js';
import { communityRouter } from './routes/community/community.index.js';
import { notificationsRouter } from './routes/notifications/notifications.index.js';
import { feedRouter } from './routes/feed/feed.index.js';
import { messagingRouter } from './routes/messaging/messaging.index.js';

/**
 * Builds the Memberkit API from its dependencies. The same app serves Node
 * (`runtime/node-app.ts` wires its dependencies, `runtime/node-start.ts` serves it)
 * and edge runtimes (`runtime/edge.ts`).
 * @example
 * const app = createApp(deps);
 * const res = await app.request('/v1/tenant', { headers: { Authorization: `Bearer ${secretKey}` } });
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: validationHook,
  });
  registerSecuritySchemes(app);
  registerResponseHeaders(app.openAPIRegistry);

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    c.set('credential', null);
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  });
  app.use('*', compression);
  app.use('*', requestId);
  app.use('*', requestLog);
  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(CommonErrors.PAYLOAD_TOO_LARGE, `The request body exceeds ${maxSize} bytes.`);
      },
    });
  const jsonLimit = limitBody(deps.config.bodyLimitBytes);
  // Imports stream large CSV/NDJSON bodies (never buffered: see streamBodyLimit); everything else is small JSON.
  const importLimit = streamBodyLimit(
    deps.config.importBodyLimitBytes,
    () =>
      new ApiError(
        CommonErrors.PAYLOAD_TOO_LARGE,
        `The request body exceeds ${deps.config.importBodyLimitBytes} bytes.`,
      ),
  );
  const streamsBody = (path: string) => path === '/v1/members/import';
  // An activity batch (1,000 events, properties up to 4 KB each) is larger than other JSON bodies.
  const activityLimit = limitBody(deps.config.activityBodyLimitBytes);
  app.use('/v1/*', (c, next) =>
    streamsBody(c.req.path)
      ? importLimit(c, next)
      : c.req.path === '/v1/activity'
        ? activityLimit(c, next)
        : jsonLimit(c, next),
  );
  app.use('/v1/*', preflight);
  app.use('/v1/*', authenticate);
  app.use('/v1/*', browserOrigin);
  app.use('/v1/*', rateLimit);
  app.use('/v1/*', (c, next) => (streamsBody(c.req.path) ? refuseIdempotencyKey(c, next) : idempotency(c, next)));

  const routed = app
    .route('/', platformTenantsRouter)
    .route('/', tenantRouter)
    .route('/', apiKeysRouter)
    .route('/', fieldsRouter)
    .route('/', tiersRouter)
    .route('/', membersRouter)
    .route('/', invitesRouter)
    .route('/', auditLogRouter)
    .route('/', authRouter)
    .route('/', meRouter)
    .route('/', jwksRouter)
    .route('/', staffRouter)
    .route('/', oauthRouter)
    .route('/', oidcRouter)
    .route('/', publicRouter)
    .route('/', directoryRouter)
    .route('/', activityRouter)
    .route('/', activityTimelineRouter)
    .route('/', engagementRouter)
    .route('/', cohortsRouter)
    .route('/', reportsRouter)
    .route('/', billingSettingsRouter)
    .route('/', stripeWebhooksRouter)
    .route('/', billingPortalRouter)
    .route('/', billingUsageRouter)
    .route('/', billingStaffRouter)
    .route('/', revenueRouter)
    .route('/', realtimeRouter)
    .route('/', communityRouter)
    .route('/', notificationsRouter)
    .route('/', feedRouter)
    .route('/', messagingRouter);
  mountMeta(app);
  // Development only, outside /v1 and the OpenAPI contract: the caught mails' links carry live tokens.
  if (deps.devMail) app.route('/', createDevMailRouter(deps.devMail));

  app.onError(handleError);
  app.notFound(createNotFoundHandler(() => app.routes));
  return routed;
}

export type App = ReturnType<typeof createApp>;
