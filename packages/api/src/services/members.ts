import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import {
  memberEvents,
  members,
  type CustomFieldRow,
  type MemberEventType,
  type MemberRow,
  type MemberSource,
  type MemberStatus,
} from '../db/schema/index.js';
import { ApiError, defineErrorCodes, type FieldError } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf, type AuditEntryInput } from './audit.js';
import type { AuditContext } from './audit-context.js';
import { applyCustomFields } from './custom-field-values.js';
import { selectCustomFields } from './custom-fields.js';
import { memberFilterConditions, type MemberFilter } from './member-filters.js';
import { applyMembershipEvents } from './membership-rollup.js';
import { recordPlatformActivity, type PlatformActivityInput } from './platform-activity.js';
import { canTransition, transitionMessage } from './member-status.js';
import type { ServiceDeps } from './service-deps.js';
import { lockTierForAssignment } from './tiers.js';
import { LIVE_TYPE_OF, publishMemberChanges } from './member-changes.js';
import { memberFields } from './member-dto.js';
import { recordMemberMilestones } from './member-milestones.js';

export { memberFields };

/** A stored member and the statuses it can have. */
export { MEMBER_STATUSES, type MemberRow, type MemberStatus } from '../db/schema/index.js';

export const MemberErrors = defineErrorCodes({
  MEMBER_NOT_FOUND: { status: 404, title: 'Member not found' },
  MEMBER_EMAIL_TAKEN: { status: 409, title: 'Email already in use' },
  MEMBER_INVALID_TRANSITION: { status: 409, title: 'Status change not allowed' },
  MEMBER_NOT_DELETED: { status: 409, title: 'Member is not deleted' },
  MEMBER_RESTORE_EXPIRED: { status: 410, title: 'Restore window has passed' },
  MEMBER_ERASED: { status: 410, title: 'Member was erased' },
});

/**
 * The address an erased member is left with (GDPR erasure, `eraseMember`). The
 * database's audit redaction function (migration 0012) and the retention job
 * recognise erased members by it.
 */
export function erasedAddress(memberId: string): string {
  return `erased+${memberId}@erased.invalid`;
}

/** How long a deleted member can be restored. */
export const RESTORE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface MemberInput {
  email: string;
  firstName: string;
  lastName: string;
  status?: MemberStatus;
  tierId?: string | null;
  customFields?: Record<string, unknown>;
  tags?: string[];
}

export type MemberPatch = Partial<MemberInput>;

/** Tags as stored: trimmed, de-duplicated, in the order given. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}

export interface MemberEventInput {
  memberId: string;
  type: MemberEventType;
  from?: string | null;
  to?: string | null;
  /** When it happened, if not now: a backdated member's creation (growth counts joins on the creation day anyway). */
  occurredAt?: Date;
}

/**
 * Records lifecycle events (kept for analytics) in the caller's transaction, after the
 * member rows were changed, and adds their growth deltas to `membership_daily` in the
 * same transaction (see {@link applyMembershipEvents}).
 */
export async function recordMemberEvents(
  tx: Tx,
  deps: MemberEventDeps,
  tenantId: string,
  ctx: AuditContext,
  events: MemberEventInput[],
): Promise<void> {
  const occurredAt = deps.clock.now();
  for (let i = 0; i < events.length; i += 1000) {
    await tx.insert(memberEvents).values(
      events.slice(i, i + 1000).map((e) => ({
        tenantId,
        id: deps.ids.generate('mev'),
        memberId: e.memberId,
        type: e.type,
        fromValue: e.from ?? null,
        toValue: e.to ?? null,
        actorType: ctx.actorType,
        actorId: ctx.actorId,
        occurredAt: e.occurredAt ?? occurredAt,
      })),
    );
  }
  await applyMembershipEvents(tx, tenantId, occurredAt, events);
  await publishMemberChanges(
    deps,
    tx,
    tenantId,
    events.map((e) => ({ memberId: e.memberId, type: LIVE_TYPE_OF[e.type] })),
  );
  await recordMemberMilestones(deps, tx, tenantId, events);
  const activity: PlatformActivityInput[] = [];
  for (const e of events) {
    if (e.type === 'status_changed')
      activity.push({
        memberId: e.memberId,
        type: 'member.status_changed',
        properties: { from: e.from ?? null, to: e.to ?? null },
      });
    else if (e.type === 'tier_changed')
      activity.push({
        memberId: e.memberId,
        type: 'member.tier_changed',
        properties: { from: e.from ?? null, to: e.to ?? null },
      });
  }
  if (activity.length === 0) return;
  await recordPlatformActivity(tx, { db: deps.db, clock: deps.clock }, tenantId, activity);
}

/** What {@link recordMemberEvents} needs: `db` for the platform activity of status and tier changes. */
export type MemberEventDeps = Pick<ServiceDeps, 'clock' | 'ids' | 'db'>;

function emailTaken(email: string): ApiError {
  return new ApiError(
    MemberErrors.MEMBER_EMAIL_TAKEN,
    `A member with the email ${email} already exists in this tenant.`,
  );
}

function notFound(id: string): ApiError {
  return new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${id}.`);
}

/** A member to store, its values already validated by the caller (custom fields applied, tier checked). */
export interface NewMember {
  email: string;
  firstName: string;
  lastName: string;
  status: MemberStatus;
  tierId: string | null;
  customFields?: Record<string, unknown>;
  tags?: string[];
  /** When the member joined, if not now: the demo's history (growth counts the join on this day). */
  createdAt?: Date;
  /** How this member came, where one call stores members of several sources (else the call's `source`). */
  source?: MemberSource;
}

export interface InsertMembersOptions {
  /** Who creates them: an audit context, or `'self'` when each new member signs themselves up. */
  actor: AuditContext | 'self';
  /** The lifecycle event each new member records: `created`, or `imported` by a bulk import. */
  event: 'created' | 'imported';
  /** Write a `member.created` audit entry with the member's fields (staff and API creates do). */
  audit: boolean;
  /**
   * Leave out members whose email the tenant already uses (the import's duplicates) instead of
   * failing with the unique violation (`members_tenant_email_key`) the caller maps to its answer.
   */
  skipTakenEmails?: boolean;
  /**
   * How the members came (`members.source`, growth by source). Default: `import` for an
   * `imported` event, `signup` when members sign themselves up, `api` for secret keys, else `staff`.
   */
  source?: MemberSource;
}

/** The source {@link insertMembers} records when the caller names none. */
function defaultSource(options: InsertMembersOptions): MemberSource {
  if (options.event === 'imported') return 'import';
  if (options.actor === 'self') return 'signup';
  return options.actor.actorType === 'api_key' ? 'api' : 'staff';
}

/** The audit context of a member acting on their own account. */
export function selfContext(memberId: string): AuditContext {
  return { actorType: 'member', actorId: memberId, requestId: null, ip: null };
}

/**
 * The one way members are stored, in the caller's transaction: ids, defaults,
 * tags as stored, timestamps, each new member's lifecycle event (kept for
 * analytics) and, when asked, its audit entry. Staff and API creates, imports,
 * sign-ups, accepted invitations and OIDC sign-ins all come through here; each
 * caller adds only what is its own (credentials, consent, the invite). Returns
 * the stored rows, in input order, without those skipped.
 */
export async function insertMembers(
  tx: Tx,
  deps: MemberEventDeps,
  tenantId: string,
  input: NewMember[],
  options: InsertMembersOptions,
): Promise<MemberRow[]> {
  if (input.length === 0) return [];
  const now = deps.clock.now();
  const source = options.source ?? defaultSource(options);
  const insert = tx.insert(members).values(
    input.map((m) => ({
      tenantId,
      id: deps.ids.generate('mem'),
      email: m.email,
      firstName: m.firstName,
      lastName: m.lastName,
      status: m.status,
      tierId: m.tierId,
      joinTierId: m.tierId,
      source: m.source ?? source,
      customFields: m.customFields ?? {},
      tags: normalizeTags(m.tags ?? []),
      createdAt: m.createdAt ?? now,
      updatedAt: m.createdAt ?? now,
    })),
  );
  const rows = await (options.skipTakenEmails ? insert.onConflictDoNothing() : insert).returning();
  const { actor } = options;
  const eventsOf = (row: MemberRow): MemberEventInput[] => [
    { memberId: row.id, type: options.event, to: row.status, occurredAt: row.createdAt },
  ];
  const auditOf = (row: MemberRow): AuditEntryInput[] =>
    options.audit
      ? [{ action: 'member.created', targetType: 'member', targetId: row.id, diff: memberFields(row) }]
      : [];
  if (actor === 'self') {
    for (const row of rows) {
      await recordMemberEvents(tx, deps, tenantId, selfContext(row.id), eventsOf(row));
      await appendAudit(tx, deps, tenantId, selfContext(row.id), auditOf(row));
    }
  } else {
    await recordMemberEvents(tx, deps, tenantId, actor, rows.flatMap(eventsOf));
    await appendAudit(tx, deps, tenantId, actor, rows.flatMap(auditOf));
  }
  return rows;
}

/** Creates a member: custom fields validated, tier capacity respected, event and audit entry written with it. */
export async function createMember(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: MemberInput,
): Promise<MemberRow> {
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      // A share lock: a concurrent PUT /v1/tenant/fields waits for this write, then cleans up what it wrote.
      const defs = await selectCustomFields(tx, tenantId, { lock: 'share' });
      const { values, errors } = applyCustomFields(defs, input.customFields, {}, 'create');
      if (errors.length) throw validationError(errors);
      // Any string, even an empty one, must name an existing tier (a falsy check let '' through to the foreign key: a 500).
      if (typeof input.tierId === 'string') await lockTierForAssignment(tx, tenantId, input.tierId);
      const [row] = await insertMembers(
        tx,
        deps,
        tenantId,
        [
          {
            email: input.email,
            firstName: input.firstName,
            lastName: input.lastName,
            status: input.status ?? 'pending',
            tierId: input.tierId ?? null,
            customFields: values,
            tags: input.tags ?? [],
          },
        ],
        { actor: ctx, event: 'created', audit: true },
      );
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'members_tenant_email_key')) throw emailTaken(input.email);
    throw error;
  }
}

async function lockMember(tx: Tx, tenantId: string, id: string): Promise<MemberRow> {
  const [row] = await tx
    .select()
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, id)))
    .for('update');
  if (!row) throw notFound(id);
  return row;
}

/** A member by id, deleted ones included (they show `deleted_at`, so they can be restored). */
export async function getMember(deps: ServiceDeps, tenantId: string, id: string): Promise<MemberRow> {
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, id))),
  );
  if (!row) throw notFound(id);
  return row;
}

/**
 * Updates a member. Status changes follow {@link canTransition}; tier changes
 * respect capacity; each is recorded as a member event. Custom fields merge
 * key by key (`null` removes one).
 */
export async function updateMember(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
  patch: MemberPatch,
): Promise<MemberRow> {
  try {
    return await deps.db.withTenant(tenantId, (tx) => applyMemberPatch(tx, deps, tenantId, ctx, id, patch));
  } catch (error) {
    if (isUniqueViolation(error, 'members_tenant_email_key')) throw emailTaken(patch.email ?? '');
    throw error;
  }
}

/**
 * {@link updateMember} in the caller's transaction, for callers that write more with
 * it (a member's own profile edit and its activity event). A taken email surfaces as
 * the unique violation (`members_tenant_email_key`).
 */
export async function applyMemberPatch(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'ids' | 'db'>,
  tenantId: string,
  ctx: AuditContext,
  id: string,
  patch: MemberPatch,
): Promise<MemberRow> {
  const current = await lockMember(tx, tenantId, id);
  if (current.deletedAt) throw notFound(id);
  const errors: FieldError[] = [];
  let custom = current.customFields;
  if (patch.customFields) {
    const applied = applyCustomFields(
      await selectCustomFields(tx, tenantId, { lock: 'share' }),
      patch.customFields,
      current.customFields,
      'update',
    );
    errors.push(...applied.errors);
    custom = applied.values;
  }
  if (errors.length) throw validationError(errors);
  if (patch.status && !canTransition(current.status, patch.status)) {
    throw new ApiError(MemberErrors.MEMBER_INVALID_TRANSITION, transitionMessage(current.status, patch.status));
  }
  const tierChanges = patch.tierId !== undefined && patch.tierId !== current.tierId;
  if (tierChanges && typeof patch.tierId === 'string') await lockTierForAssignment(tx, tenantId, patch.tierId);

  const next = {
    email: patch.email ?? current.email,
    firstName: patch.firstName ?? current.firstName,
    lastName: patch.lastName ?? current.lastName,
    status: patch.status ?? current.status,
    tierId: patch.tierId !== undefined ? patch.tierId : current.tierId,
    customFields: custom,
    tags: patch.tags ? normalizeTags(patch.tags) : current.tags,
  };
  const diff = diffOf(memberFields(current), memberFields(next));
  if (Object.keys(diff).length === 0) return current;
  const [row] = await tx
    .update(members)
    .set({ ...next, updatedAt: deps.clock.now() })
    .where(and(eq(members.tenantId, tenantId), eq(members.id, id)))
    .returning();
  const events: MemberEventInput[] = [];
  if (next.status !== current.status)
    events.push({ memberId: id, type: 'status_changed', from: current.status, to: next.status });
  if (tierChanges) events.push({ memberId: id, type: 'tier_changed', from: current.tierId, to: next.tierId });
  await recordMemberEvents(tx, deps, tenantId, ctx, events);
  // Names, email, custom fields, tags: no lifecycle event, but staff tables show them.
  if (events.length === 0) await publishMemberChanges(deps, tx, tenantId, [{ memberId: id, type: 'member.updated' }]);
  await appendAudit(tx, deps, tenantId, ctx, [{ action: 'member.updated', targetType: 'member', targetId: id, diff }]);
  return row!;
}

/** Soft-deletes a member: hidden from lists, restorable for 30 days. Deleting twice is a no-op. */
export async function deleteMember(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
): Promise<MemberRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await lockMember(tx, tenantId, id);
    if (current.deletedAt) return current;
    const now = deps.clock.now();
    const [row] = await tx
      .update(members)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, id)))
      .returning();
    await recordMemberEvents(tx, deps, tenantId, ctx, [{ memberId: id, type: 'deleted', from: current.status }]);
    await appendAudit(tx, deps, tenantId, ctx, [{ action: 'member.deleted', targetType: 'member', targetId: id }]);
    return row!;
  });
}

/** Restores a soft-deleted member within 30 days, unless its email has been taken since. */
export async function restoreMember(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
): Promise<MemberRow> {
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const current = await lockMember(tx, tenantId, id);
      if (!current.deletedAt) throw new ApiError(MemberErrors.MEMBER_NOT_DELETED, `Member ${id} is not deleted.`);
      // Erasure is final: the personal data is gone, there is nothing to give back.
      if (current.email === erasedAddress(id))
        throw new ApiError(MemberErrors.MEMBER_ERASED, `Member ${id} was erased and cannot be restored.`);
      const now = deps.clock.now();
      if (now.getTime() - current.deletedAt.getTime() > RESTORE_WINDOW_MS) {
        throw new ApiError(
          MemberErrors.MEMBER_RESTORE_EXPIRED,
          `Member ${id} was deleted more than 30 days ago and can no longer be restored.`,
        );
      }
      const [row] = await tx
        .update(members)
        .set({ deletedAt: null, updatedAt: now })
        .where(and(eq(members.tenantId, tenantId), eq(members.id, id)))
        .returning();
      await recordMemberEvents(tx, deps, tenantId, ctx, [{ memberId: id, type: 'restored', to: current.status }]);
      await appendAudit(tx, deps, tenantId, ctx, [{ action: 'member.restored', targetType: 'member', targetId: id }]);
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'members_tenant_email_key')) {
      throw new ApiError(
        MemberErrors.MEMBER_EMAIL_TAKEN,
        `Member ${id} cannot be restored: another member now uses its email.`,
      );
    }
    throw error;
  }
}

export const MEMBER_SORTS = ['created_at', 'last_name', 'email', 'last_active_at'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

/** The sort expression of each sort key; each has a `(tenant_id, expr, id)` index. */
const SORT_EXPRESSIONS: Record<MemberSort, { expr: SQL; cast: SQL }> = {
  created_at: { expr: sql`${members.createdAt}`, cast: sql`timestamptz` },
  last_name: { expr: sql`${members.lastName}`, cast: sql`text` },
  email: { expr: sql`lower(${members.email})`, cast: sql`text` },
  last_active_at: { expr: sql`coalesce(${members.lastActiveAt}, '-infinity'::timestamptz)`, cast: sql`timestamptz` },
};

export interface MemberListQuery {
  filter: MemberFilter;
  sort: MemberSort;
  order: 'asc' | 'desc';
  limit: number;
  /** `[sort key as text, id]` of the last row of the previous page. */
  after?: [string, string];
  includeTotal: boolean;
}

export interface MemberPage {
  rows: MemberRow[];
  hasMore: boolean;
  /** Sort key (as text, full precision) and id of the last row: the next cursor. */
  lastKey: [string, string] | null;
  total: number | null;
}

/**
 * A page of members by keyset: `(sort key, id)` strictly after the cursor, so
 * page 5,000 costs what page 1 does. Sort keys travel as Postgres text, keeping
 * microsecond timestamps exact.
 */
export async function listMembers(deps: ServiceDeps, tenantId: string, query: MemberListQuery): Promise<MemberPage> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const defs = query.filter.customFields?.length ? await selectCustomFields(tx, tenantId) : [];
    const where = memberFilterConditions(tenantId, query.filter, defs);
    const { expr, cast } = SORT_EXPRESSIONS[query.sort];
    const direction = query.order === 'asc' ? asc : desc;
    const keyset = query.after
      ? query.order === 'asc'
        ? sql`(${expr}, ${members.id}) > (${query.after[0]}::${cast}, ${query.after[1]})`
        : sql`(${expr}, ${members.id}) < (${query.after[0]}::${cast}, ${query.after[1]})`
      : undefined;
    const rows = await tx
      .select({ member: members, sortKey: sql<string>`(${expr})::text` })
      .from(members)
      .where(and(where, keyset))
      .orderBy(direction(expr), direction(members.id))
      .limit(query.limit + 1);
    const hasMore = rows.length > query.limit;
    const page = hasMore ? rows.slice(0, query.limit) : rows;
    const last = page.at(-1);
    let total: number | null = null;
    if (query.includeTotal) {
      const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(members).where(where);
      total = count?.n ?? 0;
    }
    return { rows: page.map((r) => r.member), hasMore, lastKey: last ? [last.sortKey, last.member.id] : null, total };
  });
}

/** Ids of the members a filter matches, up to `max + 1` (so callers can tell "too many"). */
export function resolveMemberFilter(
  tx: Tx,
  tenantId: string,
  filter: MemberFilter,
  defs: CustomFieldRow[],
  max: number,
): Promise<{ id: string }[]> {
  return tx
    .select({ id: members.id })
    .from(members)
    .where(memberFilterConditions(tenantId, filter, defs))
    .orderBy(asc(members.createdAt), asc(members.id))
    .limit(max + 1);
}
