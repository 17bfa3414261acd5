import { sql } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import type { ActivityRollupDelta, ActivitySource } from '../db/schema/activity.js';
import { NO_TIER } from '../db/schema/activity.js';
import { ApiError, defineErrorCodes, type FieldError } from '../lib/errors.js';
import { ulidBody } from '../lib/ids.js';
import { DEFAULT_TIME_ZONE, localDay } from '../lib/time-zone.js';
import {
  ensureActivityPartitions,
  forgetActivityPartitions,
  isMissingPartition,
  partitionMonth,
} from './activity-partitions.js';
import { LAST_ACTIVE_THROTTLE_MS } from './member-activity.js';
import type { ServiceDeps } from './service-deps.js';

export type { ActivitySource } from '../db/schema/activity.js';

/** Errors of the activity ingest as a whole (a bad item alone is reported in its result). */
export const ActivityErrors = defineErrorCodes({
  ACTIVITY_BATCH_EMPTY: { status: 422, title: 'No events in the batch' },
  ACTIVITY_BATCH_TOO_LARGE: { status: 422, title: 'Too many events in one batch' },
  ACTIVITY_BATCH_REJECTED: { status: 422, title: 'The atomic batch has invalid events' },
});

/**
 * Why one event of a batch was rejected (`error.code` of its result):
 * - `INVALID_EVENT_TYPE`: not `namespace.name` (lower case, digits, `_`, ≤ 64 characters) or not in a client namespace
 * - `RESERVED_EVENT_TYPE`: `member.*` is recorded by Memberkit only
 * - `INVALID_EVENT_ID`: `id` not 1–128 of `A–Z a–z 0–9 _ . : -`
 * - `INVALID_OCCURRED_AT`: not an ISO 8601 date-time
 * - `EVENT_TOO_OLD`: more than 7 days back; `EVENT_IN_FUTURE`: more than 5 minutes ahead
 * - `INVALID_PROPERTIES`: not a flat object of strings, numbers, booleans and nulls
 * - `PROPERTIES_TOO_LARGE`: over 4 KB as JSON
 * - `MEMBER_ID_REQUIRED`: no `member_id` (only member tokens may leave it out: it is their member)
 * - `MEMBER_NOT_FOUND`: no such member in the tenant (or deleted)
 * - `MEMBER_NOT_ALLOWED`: a member token sends events of its own member only
 */
export const ACTIVITY_ITEM_ERROR_CODES = [
  'INVALID_EVENT_TYPE',
  'RESERVED_EVENT_TYPE',
  'INVALID_EVENT_ID',
  'INVALID_OCCURRED_AT',
  'EVENT_TOO_OLD',
  'EVENT_IN_FUTURE',
  'INVALID_PROPERTIES',
  'PROPERTIES_TOO_LARGE',
  'MEMBER_ID_REQUIRED',
  'MEMBER_NOT_FOUND',
  'MEMBER_NOT_ALLOWED',
] as const;
export type ActivityItemErrorCode = (typeof ACTIVITY_ITEM_ERROR_CODES)[number];

/** Limits of the ingest. */
export const ACTIVITY_LIMITS = {
  maxBatch: 1000,
  maxTypeLength: 64,
  maxPropertiesBytes: 4096,
  maxPastMs: 7 * 24 * 60 * 60 * 1000,
  maxFutureMs: 5 * 60 * 1000,
} as const;

/** Namespaces clients may send (`x.*` is the tenant's own); `member.*` is the platform's. */
export const CLIENT_EVENT_NAMESPACES = ['page', 'event', 'course', 'content', 'x'] as const;
export const PLATFORM_EVENT_NAMESPACE = 'member';

const TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const EVENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const MEMBER_ID_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** One event as a client sends it. */
export interface ActivityInput {
  /** The client's id: makes the event idempotent (a repeat is reported `duplicate` and counted once). */
  id?: string;
  type: string;
  member_id: string;
  /** Default: the time of ingest. */
  occurred_at?: string | Date;
  properties?: Record<string, unknown>;
}

export interface ActivityItemError {
  code: ActivityItemErrorCode;
  message: string;
  /** The event's field at fault (`type`, `occurred_at`, …). */
  field: string;
}

export interface ActivityItemResult {
  /** Position in the batch. */
  index: number;
  /** The event's id: the client's, or the generated `evt_…`; null for a rejected event without one. */
  id: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  error?: ActivityItemError;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  items: ActivityItemResult[];
}

export interface IngestOptions {
  source: ActivitySource;
  /** Set for a member token: every event must be this member's. */
  memberId?: string;
  /** Any invalid event fails the whole batch (422 ACTIVITY_BATCH_REJECTED), nothing written. */
  atomic?: boolean;
  /** Skips the 7-days-back window (demo seed, tests, bench generator); every other rule holds. */
  backfill?: boolean;
}

/** An event ready to be written: validated, its tier and local day known. */
export interface PreparedActivity {
  id: string;
  memberId: string;
  type: string;
  occurredAtMs: number;
  /** `properties` as JSON text. */
  properties: string;
  tierKey: string;
  /** Local day in the tenant's zone. */
  day: string;
}

/** A fresh event id, `evt_` + a ULID of the event's time. */
export function generateEventId(timeMs: number): string {
  return `evt_${ulidBody(timeMs)}`;
}

/** Checks an event type's shape (and, for clients, its namespace); null when fine. */
export function checkEventType(type: unknown, source: ActivitySource): ActivityItemError | null {
  if (typeof type !== 'string' || type.length > ACTIVITY_LIMITS.maxTypeLength || !TYPE_PATTERN.test(type)) {
    return {
      code: 'INVALID_EVENT_TYPE',
      field: 'type',
      message: 'type must be namespace.name: lower-case letters, digits and _, dot-separated, at most 64 characters.',
    };
  }
  const namespace = type.slice(0, type.indexOf('.'));
  if (source === 'platform') return null;
  if (namespace === PLATFORM_EVENT_NAMESPACE) {
    return { code: 'RESERVED_EVENT_TYPE', field: 'type', message: 'member.* events are recorded by Memberkit only.' };
  }
  if (!(CLIENT_EVENT_NAMESPACES as readonly string[]).includes(namespace)) {
    return {
      code: 'INVALID_EVENT_TYPE',
      field: 'type',
      message: `Unknown namespace ${namespace}: use page.*, event.*, course.*, content.* or x.* for your own.`,
    };
  }
  return null;
}

const encoder = new TextEncoder();

/** Checks `properties` (flat JSON object ≤ 4 KB); returns its JSON text or an error. */
export function checkProperties(properties: unknown): { json: string } | { error: ActivityItemError } {
  if (properties === undefined || properties === null) return { json: '{}' };
  if (
    typeof properties !== 'object' ||
    Array.isArray(properties) ||
    Object.getPrototypeOf(properties) !== Object.prototype
  ) {
    return { error: { code: 'INVALID_PROPERTIES', field: 'properties', message: 'properties must be a JSON object.' } };
  }
  for (const [key, value] of Object.entries(properties)) {
    const flat =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && !value.includes('\u0000'));
    if (!flat || key.length === 0 || key.length > 64 || key.includes('\u0000')) {
      return {
        error: {
          code: 'INVALID_PROPERTIES',
          field: `properties.${key.slice(0, 64)}`,
          message: 'properties must be flat: keys of 1–64 characters, values strings, numbers, booleans or null.',
        },
      };
    }
  }
  const json = JSON.stringify(properties);
  // UTF-8 bytes (at most 3 per UTF-16 unit): short JSON skips the encoding.
  const bytes = json.length * 3 <= ACTIVITY_LIMITS.maxPropertiesBytes ? json.length : encoder.encode(json).length;
  if (bytes > ACTIVITY_LIMITS.maxPropertiesBytes) {
    return {
      error: {
        code: 'PROPERTIES_TOO_LARGE',
        field: 'properties',
        message: `properties are ${bytes} bytes as JSON; at most ${ACTIVITY_LIMITS.maxPropertiesBytes}.`,
      },
    };
  }
  return { json };
}

/** Parses `occurred_at` and checks the window; the instant in ms or an error. */
export function checkOccurredAt(
  value: unknown,
  nowMs: number,
  backfill: boolean,
): { ms: number } | { error: ActivityItemError } {
  if (value === undefined || value === null) return { ms: nowMs };
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'string' && ISO_DATE_TIME.test(value)) ms = Date.parse(value);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) {
    return {
      error: {
        code: 'INVALID_OCCURRED_AT',
        field: 'occurred_at',
        message: 'occurred_at must be an ISO 8601 date-time with a time zone, e.g. 2026-12-07T09:30:00Z.',
      },
    };
  }
  if (ms > nowMs + ACTIVITY_LIMITS.maxFutureMs) {
    return {
      error: { code: 'EVENT_IN_FUTURE', field: 'occurred_at', message: 'occurred_at is more than 5 minutes ahead.' },
    };
  }
  if (!backfill && ms < nowMs - ACTIVITY_LIMITS.maxPastMs) {
    return { error: { code: 'EVENT_TOO_OLD', field: 'occurred_at', message: 'occurred_at is more than 7 days back.' } };
  }
  return { ms };
}

interface Candidate {
  index: number;
  input: ActivityInput;
  clientId: string | null;
  id: string;
  occurredAtMs: number;
  properties: string;
}

/**
 * Ingests a batch of activity events for one tenant (`POST /v1/activity`, the demo
 * seed, the bench). Each event is validated; in a non-atomic batch the bad ones are
 * reported `rejected` and the rest written, with `atomic` any bad event fails the
 * whole batch (`ACTIVITY_BATCH_REJECTED`, 422, listing them) and nothing is written.
 *
 * Writes, in one transaction: the client ids into `activity_ingest_keys` (a known id
 * is a `duplicate`: accepted, not written again), the new events into
 * `activity_events` (one multi-row statement), one `activity_rollup_queue` row with
 * the batch's aggregated delta, and members' `last_active_at` (throttled). The
 * month partitions the batch needs are ensured before, in their own transaction.
 *
 * @example
 * const result = await ingestActivity(deps, tenantId, [
 *   { id: 'ev-1', type: 'event.attended', member_id: 'mem_…', properties: { event: 'agm-2026' } },
 * ], { source: 'api' });
 */
export async function ingestActivity(
  deps: ServiceDeps,
  tenantId: string,
  events: ActivityInput[],
  options: IngestOptions,
): Promise<IngestResult> {
  if (events.length === 0) throw new ApiError(ActivityErrors.ACTIVITY_BATCH_EMPTY, 'Send at least one event.');
  if (events.length > ACTIVITY_LIMITS.maxBatch) {
    throw new ApiError(
      ActivityErrors.ACTIVITY_BATCH_TOO_LARGE,
      `A batch holds at most ${ACTIVITY_LIMITS.maxBatch} events; this one has ${events.length}. Split it.`,
    );
  }
  const nowMs = deps.clock.now().getTime();
  const items: ActivityItemResult[] = new Array(events.length);
  const candidates: Candidate[] = [];
  const reject = (index: number, id: string | null, error: ActivityItemError) => {
    items[index] = { index, id, status: 'rejected', error };
  };

  // Shape checks, no database.
  const seenClientIds = new Map<string, number>();
  const inBatchDuplicates: [number, number][] = [];
  for (let index = 0; index < events.length; index++) {
    const input = events[index]!;
    const rawId = input?.id;
    const clientId = rawId === undefined || rawId === null ? null : rawId;
    if (clientId !== null && (typeof clientId !== 'string' || !EVENT_ID_PATTERN.test(clientId))) {
      reject(index, null, {
        code: 'INVALID_EVENT_ID',
        field: 'id',
        message: 'id must be 1–128 characters of A–Z, a–z, 0–9, _ . : -',
      });
      continue;
    }
    const typeError = checkEventType(input?.type, options.source);
    if (typeError) {
      reject(index, clientId, typeError);
      continue;
    }
    const memberId = input.member_id;
    if (memberId === undefined || memberId === null || memberId === '') {
      reject(index, clientId, { code: 'MEMBER_ID_REQUIRED', field: 'member_id', message: 'member_id is required.' });
      continue;
    }
    if (typeof memberId !== 'string' || !MEMBER_ID_PATTERN.test(memberId)) {
      reject(index, clientId, { code: 'MEMBER_NOT_FOUND', field: 'member_id', message: 'No such member.' });
      continue;
    }
    if (options.memberId !== undefined && memberId !== options.memberId) {
      reject(index, clientId, {
        code: 'MEMBER_NOT_ALLOWED',
        field: 'member_id',
        message: 'A member token sends events of its own member only.',
      });
      continue;
    }
    const when = checkOccurredAt(input.occurred_at, nowMs, options.backfill === true);
    if ('error' in when) {
      reject(index, clientId, when.error);
      continue;
    }
    const props = checkProperties(input.properties);
    if ('error' in props) {
      reject(index, clientId, props.error);
      continue;
    }
    if (clientId !== null) {
      // The same id twice in a batch: the first counts, the rest are duplicates of it.
      const first = seenClientIds.get(clientId);
      if (first !== undefined) {
        items[index] = { index, id: clientId, status: 'duplicate' };
        inBatchDuplicates.push([index, first]);
        continue;
      }
      seenClientIds.set(clientId, index);
    }
    candidates.push({
      index,
      input,
      clientId,
      id: clientId ?? generateEventId(when.ms),
      occurredAtMs: when.ms,
      properties: props.json,
    });
  }

  const shapeRejected = items.some((item) => item?.status === 'rejected');
  if (options.atomic && shapeRejected) throw batchRejected(items);

  const months = new Set(candidates.map((c) => partitionMonth(c.occurredAtMs)));
  const write = () =>
    deps.db.withTenant(tenantId, async (tx) => {
      const zone = await tenantTimeZone(tx, tenantId);
      const memberIds = [...new Set(candidates.map((c) => c.input.member_id))];
      const tiers = await memberTiers(tx, tenantId, memberIds);
      const ready: Candidate[] = [];
      for (const c of candidates) {
        if (tiers.has(c.input.member_id)) ready.push(c);
        else reject(c.index, c.clientId, { code: 'MEMBER_NOT_FOUND', field: 'member_id', message: 'No such member.' });
      }
      if (options.atomic && ready.length < candidates.length) throw batchRejected(items);

      // Client ids seen before (35-day window) are duplicates, accepted but not written again.
      const withClientId = ready.filter((c) => c.clientId !== null);
      let fresh: Set<string> | null = null;
      if (withClientId.length > 0) {
        const rows = await executeRows<{ event_id: string }>(
          tx.execute(sql`insert into activity_ingest_keys (tenant_id, event_id, occurred_at)
            select ${tenantId}, k.id, k.at
            from unnest(${sql.param(withClientId.map((c) => c.clientId))}::text[],
                        ${sql.param(withClientId.map((c) => new Date(c.occurredAtMs).toISOString()))}::timestamptz[]) as k(id, at)
            -- In id order: two batches retrying overlapping ids wait on each other, never deadlock.
            order by k.id
            on conflict do nothing
            returning event_id`),
        );
        fresh = new Set(rows.map((r) => r.event_id));
      }
      const prepared: PreparedActivity[] = [];
      for (const c of ready) {
        if (c.clientId !== null && !fresh?.has(c.clientId)) {
          items[c.index] = { index: c.index, id: c.id, status: 'duplicate' };
          continue;
        }
        items[c.index] = { index: c.index, id: c.id, status: 'accepted' };
        prepared.push({
          id: c.id,
          memberId: c.input.member_id,
          type: c.input.type,
          occurredAtMs: c.occurredAtMs,
          properties: c.properties,
          tierKey: tiers.get(c.input.member_id) ?? NO_TIER,
          day: localDay(c.occurredAtMs, zone),
        });
      }
      await appendActivity(tx, tenantId, prepared, options.source);
      await touchLastActiveBatch(tx, tenantId, prepared, nowMs);
    });

  if (candidates.length > 0) {
    await ensureActivityPartitions(deps.db, tenantId, months);
    try {
      await write();
    } catch (error) {
      if (!isMissingPartition(error)) throw error;
      // A partition this process believed in is gone (dropped by retention elsewhere): ask again, once.
      forgetActivityPartitions(deps.db);
      await ensureActivityPartitions(deps.db, tenantId, months);
      await write();
    }
  }

  // A repeat within the batch of an event rejected later (its member) shares the rejection.
  for (const [index, first] of inBatchDuplicates) {
    const error = items[first]?.error;
    if (error) items[index] = { index, id: items[index]!.id, status: 'rejected', error };
  }
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const item of items) {
    if (item.status === 'accepted') accepted++;
    else if (item.status === 'duplicate') duplicates++;
    else rejected++;
  }
  return { accepted, duplicates, rejected, items };
}

/** The 422 of an atomic batch: every rejected event, as `events[i].field`. */
function batchRejected(items: (ActivityItemResult | undefined)[]): ApiError {
  const errors: FieldError[] = [];
  for (const item of items) {
    if (item?.status === 'rejected' && item.error) {
      errors.push({
        field: `events[${item.index}].${item.error.field}`,
        message: `${item.error.code}: ${item.error.message}`,
      });
    }
  }
  return new ApiError(
    ActivityErrors.ACTIVITY_BATCH_REJECTED,
    `${errors.length} of the batch's events are invalid; nothing was written (atomic batch).`,
    { errors },
  );
}

/** The tenant's time zone, read in its own transaction. */
export async function tenantTimeZone(tx: Tx, tenantId: string): Promise<string> {
  const [row] = await executeRows<{ time_zone: string }>(
    tx.execute(sql`select time_zone from tenants where id = ${tenantId}`),
  );
  return row?.time_zone ?? DEFAULT_TIME_ZONE;
}

/** Tier keys (current tier, `''` none) of the tenant's members among `ids` that exist and are not deleted. */
export async function memberTiers(tx: Tx, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await executeRows<{ id: string; tier_id: string | null }>(
    tx.execute(sql`select id, tier_id from members
      where tenant_id = ${tenantId} and id = any(${sql.param(ids)}::text[]) and deleted_at is null`),
  );
  return new Map(rows.map((r) => [r.id, r.tier_id ?? NO_TIER]));
}

/**
 * The one write path of activity: inserts `rows` into `activity_events` (one
 * statement over arrays) and one `activity_rollup_queue` row with their delta
 * aggregated by member, day, type and tier. In the caller's transaction; the
 * partitions must exist. Used by the ingest and by platform events.
 */
export async function appendActivity(
  tx: Tx,
  tenantId: string,
  rows: PreparedActivity[],
  source: ActivitySource,
): Promise<void> {
  if (rows.length === 0) return;
  const n = rows.length;
  const occurred = new Array<string>(n);
  const ids = new Array<string>(n);
  const memberIds = new Array<string>(n);
  const types = new Array<string>(n);
  const properties = new Array<string>(n);
  const tierKeys = new Array<string>(n);
  const delta = new Map<string, [string, string, string, string, number]>();
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    occurred[i] = new Date(r.occurredAtMs).toISOString();
    ids[i] = r.id;
    memberIds[i] = r.memberId;
    types[i] = r.type;
    properties[i] = r.properties;
    tierKeys[i] = r.tierKey;
    const key = `${r.memberId}\u0000${r.day}\u0000${r.type}\u0000${r.tierKey}`;
    const entry = delta.get(key);
    if (entry) entry[4] += 1;
    else delta.set(key, [r.memberId, r.day, r.type, r.tierKey, 1]);
  }
  await tx.execute(sql`insert into activity_events (tenant_id, occurred_at, id, member_id, type, properties, tier_key, source)
    select ${tenantId}, e.occurred_at, e.id, e.member_id, e.type, e.properties::jsonb, e.tier_key, ${source}
    from unnest(${sql.param(occurred)}::timestamptz[], ${sql.param(ids)}::text[], ${sql.param(memberIds)}::text[],
                ${sql.param(types)}::text[], ${sql.param(properties)}::text[], ${sql.param(tierKeys)}::text[])
      as e(occurred_at, id, member_id, type, properties, tier_key)`);
  const body: ActivityRollupDelta = { rows: [...delta.values()] };
  await tx.execute(sql`insert into activity_rollup_queue (tenant_id, delta, events)
    values (${tenantId}, ${JSON.stringify(body)}::jsonb, ${n})`);
}

/**
 * `last_active_at` for a batch, set-based: per member the latest event (never past
 * now), written only when unset or older than the throttle window by it, never
 * backwards — `touchLastActive`'s rule in one statement for the whole batch.
 */
async function touchLastActiveBatch(tx: Tx, tenantId: string, rows: PreparedActivity[], nowMs: number): Promise<void> {
  if (rows.length === 0) return;
  const latest = new Map<string, number>();
  for (const r of rows) {
    const at = Math.min(r.occurredAtMs, nowMs);
    const prev = latest.get(r.memberId);
    if (prev === undefined || at > prev) latest.set(r.memberId, at);
  }
  const ids = [...latest.keys()];
  const ats = ids.map((id) => new Date(latest.get(id)!).toISOString());
  // Concurrent batches share members: rows are locked in id order, and a row another transaction holds (a
  // concurrent batch, a staff edit) is skipped rather than waited for — that writer moves it on, and the
  // next batch catches up within the throttle window. No deadlock, no convoy behind a busy member.
  await tx.execute(sql`with due as (
      select m.id, v.at from members m
      join unnest(${sql.param(ids)}::text[], ${sql.param(ats)}::timestamptz[]) as v(id, at) on m.id = v.id
      where m.tenant_id = ${tenantId} and m.deleted_at is null
        and (m.last_active_at is null or m.last_active_at < v.at - ${`${LAST_ACTIVE_THROTTLE_MS} milliseconds`}::interval)
      order by m.id
      for update of m skip locked
    )
    update members m set last_active_at = due.at from due where m.tenant_id = ${tenantId} and m.id = due.id`);
}
