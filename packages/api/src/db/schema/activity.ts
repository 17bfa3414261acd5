import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { platformRole, tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { timestamptz } from './timestamps.js';

/** Who recorded an event: an integrator's secret key, the member themselves (a member token), or Memberkit. */
export const ACTIVITY_SOURCES = ['api', 'member', 'platform'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

/**
 * `tier_key` of rollups and events: the member's tier when the event was ingested,
 * `''` for none (a key column cannot be NULL). Figures by tier use the tier at the
 * time of the activity: a member active under two tiers in a period counts as active
 * in each, and once in the total.
 */
export const NO_TIER = '';

/** `tier_key` of {@link activityActiveCounts} rows counting members whatever their tier. */
export const ALL_TIERS = '*';

/**
 * Raw activity, append-only. Declaratively partitioned by month of `occurred_at`
 * (the migration creates it `PARTITION BY RANGE`; `memberkit_ensure_activity_partitions`
 * adds months, each with row-level security forced like the parent). The primary key
 * carries `occurred_at` because a partitioned table's keys must; ingest deduplicates
 * client ids through {@link activityIngestKeys}. No foreign key to members: erasure
 * blanks `properties` explicitly, and a foreign-key check per row would halve ingest.
 */
export const activityEvents = pgTable(
  'activity_events',
  {
    tenantId: tenantIdColumn(),
    occurredAt: timestamptz('occurred_at').notNull(),
    id: text('id').notNull(),
    memberId: text('member_id').notNull(),
    type: text('type').notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    tierKey: text('tier_key').notNull().default(NO_TIER),
    source: text('source', { enum: ACTIVITY_SOURCES }).notNull(),
    receivedAt: timestamptz('received_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'activity_events_pkey', columns: [t.tenantId, t.occurredAt, t.id] }),
    index('activity_events_member_idx').on(t.tenantId, t.memberId, t.occurredAt.desc(), t.id.desc()),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Client-chosen event ids already ingested: a repeated id is accepted and counted
 * once. Kept for the dedupe window (35 days, pruned by the retention job), longer
 * than any client retries; events without an id get a fresh `evt_` id and no row here.
 */
export const activityIngestKeys = pgTable(
  'activity_ingest_keys',
  {
    tenantId: tenantIdColumn(),
    eventId: text('event_id').notNull(),
    occurredAt: timestamptz('occurred_at').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'activity_ingest_keys_pkey', columns: [t.tenantId, t.eventId] }),
    index('activity_ingest_keys_created_idx').on(t.tenantId, t.createdAt),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** What one ingested batch adds to the rollups, pre-aggregated by the ingest. */
export interface ActivityRollupDelta {
  /** `[member_id, local day YYYY-MM-DD, type, tier_key, events]` */
  rows: [string, string, string, string, number][];
}

/**
 * Rollup work: each committed ingest writes one row (in its transaction) with its
 * events pre-aggregated; the rollup worker claims rows `FOR UPDATE SKIP LOCKED`
 * across tenants, merges them, applies them to the rollup tables and deletes them in
 * one transaction. The oldest row's age is the rollup lag.
 */
export const activityRollupQueue = pgTable(
  'activity_rollup_queue',
  {
    tenantId: tenantIdColumn(),
    id: bigserial('id', { mode: 'number' }).notNull(),
    delta: jsonb('delta').$type<ActivityRollupDelta>().notNull(),
    events: integer('events').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'activity_rollup_queue_pkey', columns: [t.tenantId, t.id] }),
    index('activity_rollup_queue_created_idx').on(t.tenantId, t.createdAt),
    tenantIsolationPolicy(t.tenantId),
    // The rollup worker claims every tenant's work as the platform role, then enters each tenant.
    pgPolicy('rollup_worker', {
      as: 'permissive',
      for: 'all',
      to: platformRole,
      using: sql`true`,
      withCheck: sql`true`,
    }),
  ],
).enableRLS();

/** Events per local day, type and tier: every event count (any interval is a sum of days). */
export const activityDailyCounts = pgTable(
  'activity_daily_counts',
  {
    tenantId: tenantIdColumn(),
    day: date('day', { mode: 'string' }).notNull(),
    type: text('type').notNull(),
    tierKey: text('tier_key').notNull(),
    events: bigint('events', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'activity_daily_counts_pkey', columns: [t.tenantId, t.day, t.type, t.tierKey] }),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Each member's events per local day and tier (all types): per-member windows
 * (segments, scores, streaks: sum over the member's rows) and distinct members over
 * any range of days. A member has one row per day unless their tier changed that day.
 */
export const activityMemberDays = pgTable(
  'activity_member_days',
  {
    tenantId: tenantIdColumn(),
    day: date('day', { mode: 'string' }).notNull(),
    memberId: text('member_id').notNull(),
    tierKey: text('tier_key').notNull(),
    events: integer('events').notNull(),
  },
  (t) => [
    primaryKey({ name: 'activity_member_days_pkey', columns: [t.tenantId, t.day, t.memberId, t.tierKey] }),
    index('activity_member_days_member_idx').on(t.tenantId, t.memberId, t.day),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** Each member's events per local day and type: distinct members per event type. */
export const activityMemberDayTypes = pgTable(
  'activity_member_day_types',
  {
    tenantId: tenantIdColumn(),
    day: date('day', { mode: 'string' }).notNull(),
    type: text('type').notNull(),
    memberId: text('member_id').notNull(),
    tierKey: text('tier_key').notNull(),
    events: integer('events').notNull(),
  },
  (t) => [
    primaryKey({ name: 'activity_member_day_types_pkey', columns: [t.tenantId, t.day, t.type, t.memberId, t.tierKey] }),
    index('activity_member_day_types_member_idx').on(t.tenantId, t.memberId, t.day),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export const ACTIVITY_GRAINS = ['day', 'week', 'month'] as const;
export type ActivityGrain = (typeof ACTIVITY_GRAINS)[number];

/**
 * Each member's events per local ISO week (starting Monday) and calendar month and
 * tier, `period` being the first day: the rows active-member counts per week and
 * month and retention cohorts are counted from.
 */
export const activityMemberPeriods = pgTable(
  'activity_member_periods',
  {
    tenantId: tenantIdColumn(),
    grain: text('grain', { enum: ['week', 'month'] }).notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    memberId: text('member_id').notNull(),
    tierKey: text('tier_key').notNull(),
    events: integer('events').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'activity_member_periods_pkey',
      columns: [t.tenantId, t.grain, t.period, t.memberId, t.tierKey],
    }),
    index('activity_member_periods_member_idx').on(t.tenantId, t.memberId, t.grain, t.period),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Distinct active members per day, week and month, per tier and over all tiers
 * (`tier_key` {@link ALL_TIERS}): counted when a member's first row of the period (for
 * that tier, or at all) is written, never by scanning. The rollup worker applies one
 * tenant's work at a time (an advisory lock), so "first" is exact.
 */
export const activityActiveCounts = pgTable(
  'activity_active_counts',
  {
    tenantId: tenantIdColumn(),
    grain: text('grain', { enum: ACTIVITY_GRAINS }).notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    tierKey: text('tier_key').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [
    primaryKey({ name: 'activity_active_counts_pkey', columns: [t.tenantId, t.grain, t.period, t.tierKey] }),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Retention: members of a sign-up cohort (local week or month of `members.created_at`)
 * active in a later period, counted when the member's first row of that period is
 * written. `join_tier_key` is the tier the member signed up with (`members.join_tier_id`),
 * the same tier cohort sizes are counted by, so a share never passes 100 %.
 */
export const activityCohortCounts = pgTable(
  'activity_cohort_counts',
  {
    tenantId: tenantIdColumn(),
    grain: text('grain', { enum: ['week', 'month'] }).notNull(),
    cohort: date('cohort', { mode: 'string' }).notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    joinTierKey: text('join_tier_key').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'activity_cohort_counts_pkey',
      columns: [t.tenantId, t.grain, t.cohort, t.period, t.joinTierKey],
    }),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();
