/** The drizzle schema: one file per aggregate. */
export * from './roles.js';
export * from './tenants.js';
export * from './api-keys.js';
export * from './tiers.js';
export * from './members.js';
export * from './member-events.js';
export * from './custom-fields.js';
export * from './invites.js';
export * from './mail-outbox.js';
export * from './audit-log.js';
export * from './identity.js';
export * from './idempotency-keys.js';
export * from './activity.js';
export * from './membership-daily.js';
export * from './reports.js';
export * from './billing.js';
