import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolationPolicy } from './roles.js';

/** How a member came to the tenant, recorded once at creation (`members.source`). */
export const MEMBER_SOURCES = ['signup', 'invite', 'import', 'staff', 'api', 'oidc'] as const;
export type MemberSource = (typeof MEMBER_SOURCES)[number];

/**
 * Membership changes per local day (tenant time zone), tier and source: the growth
 * rollup. Written by `recordMemberEvents` in the transaction of each lifecycle event,
 * so it never disagrees with `member_events`. The status columns are deltas: the
 * members in a status at the end of a day are the sum of its deltas up to that day;
 * `deleted` counts soft-deleted members the same way. `joined`, `churned` (into
 * inactive or suspended from pending or active, or deleted while pending or active)
 * and `reactivated` (back to pending or active, or restored) count transitions.
 * A tier change moves the member's status count from the old tier to the new one.
 */
export const membershipDaily = pgTable(
  'membership_daily',
  {
    tenantId: tenantIdColumn(),
    day: date('day', { mode: 'string' }).notNull(),
    tierKey: text('tier_key').notNull(),
    source: text('source', { enum: MEMBER_SOURCES }).notNull(),
    joined: integer('joined').notNull().default(0),
    churned: integer('churned').notNull().default(0),
    reactivated: integer('reactivated').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    active: integer('active').notNull().default(0),
    inactive: integer('inactive').notNull().default(0),
    suspended: integer('suspended').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'membership_daily_pkey', columns: [t.tenantId, t.day, t.tierKey, t.source] }),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();
