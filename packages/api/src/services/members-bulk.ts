import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { members, tiers, type MemberRow, type MemberStatus } from '../db/schema/index.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf, type AuditEntryInput } from './audit.js';
import type { AuditContext } from './audit-context.js';
import type { MemberFilter } from './member-filters.js';
import { canTransition, transitionMessage } from './member-status.js';
import {
  memberFields,
  normalizeTags,
  recordMemberEvents,
  resolveMemberFilter,
  type MemberEventInput,
} from './members.js';
import { selectCustomFields } from './custom-fields.js';
import type { ServiceDeps } from './service-deps.js';
import { publishMemberChanges } from './member-changes.js';
import { countTierMembers } from './tiers.js';

/** Most members one bulk request may touch. */
export const BULK_MAX = 10_000;

export type BulkAction =
  | { action: 'update_status'; status: MemberStatus }
  | { action: 'change_tier'; tierId: string | null }
  | { action: 'add_tags'; tags: string[] }
  | { action: 'remove_tags'; tags: string[] }
  | { action: 'delete' };

export type BulkTarget = { memberIds: string[] } | { filter: MemberFilter };

export interface BulkItemResult {
  id: string;
  status: 'ok' | 'error' | 'not_found' | 'skipped';
  error?: { code: string; message: string };
}

export interface BulkResult {
  applied: boolean;
  totals: { requested: number; succeeded: number; failed: number; not_found: number };
  results: BulkItemResult[];
}

interface Change {
  before: MemberRow;
  after: Pick<MemberRow, 'status' | 'tierId' | 'tags' | 'deletedAt'>;
}

/** What one member becomes under the action, or why it cannot. */
function plan(action: BulkAction, member: MemberRow, now: Date): Change | { code: string; message: string } {
  const after = { status: member.status, tierId: member.tierId, tags: member.tags, deletedAt: member.deletedAt };
  switch (action.action) {
    case 'update_status':
      if (!canTransition(member.status, action.status))
        return { code: 'MEMBER_INVALID_TRANSITION', message: transitionMessage(member.status, action.status) };
      return { before: member, after: { ...after, status: action.status } };
    case 'change_tier':
      return { before: member, after: { ...after, tierId: action.tierId } };
    case 'add_tags':
      return { before: member, after: { ...after, tags: normalizeTags([...member.tags, ...action.tags]) } };
    case 'remove_tags': {
      const removed = new Set(action.tags);
      return { before: member, after: { ...after, tags: member.tags.filter((t) => !removed.has(t)) } };
    }
    case 'delete':
      return { before: member, after: { ...after, deletedAt: now } };
  }
}

/**
 * Whether a tier can take `incoming` more members: locks the tier row (so
 * concurrent moves into it serialize) and compares with its capacity.
 */
async function checkTierRoom(tx: Tx, tenantId: string, tierId: string, incoming: number): Promise<string | null> {
  const [tier] = await tx
    .select()
    .from(tiers)
    .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)))
    .for('update');
  if (!tier) throw validationError([{ field: 'params.tier_id', message: `No tier ${tierId}.` }]);
  if (tier.archivedAt) throw validationError([{ field: 'params.tier_id', message: `Tier ${tierId} is archived.` }]);
  if (tier.capacity === null) return null;
  const room = tier.capacity - (await countTierMembers(tx, tenantId, tierId));
  return incoming > room ? `The tier has room for ${Math.max(room, 0)} more members; ${incoming} would join.` : null;
}

/** Writes planned changes set-wise: one UPDATE per 1,000 members, from a JSON recordset. */
async function writeChanges(tx: Tx, tenantId: string, changes: Change[], now: Date): Promise<void> {
  for (let i = 0; i < changes.length; i += 1000) {
    const rows = changes.slice(i, i + 1000).map((c) => ({
      id: c.before.id,
      status: c.after.status,
      tier_id: c.after.tierId,
      tags: c.after.tags,
      deleted_at: c.after.deletedAt?.toISOString() ?? null,
    }));
    await tx.execute(sql`
      update members m
      set status = v.status, tier_id = v.tier_id, tags = v.tags, deleted_at = v.deleted_at, updated_at = ${now}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id text, status text, tier_id text, tags text[], deleted_at timestamptz)
      where m.tenant_id = ${tenantId} and m.id = v.id`);
  }
}

/** Thrown inside the transaction to roll an atomic bulk action back while keeping its report. */
class RollBack extends Error {
  constructor(readonly result: BulkResult) {
    super('bulk action rolled back');
  }
}

/**
 * Applies one action to many members (ids or a filter, up to 10,000) in one
 * transaction. Atomic by default: if any member fails or is not found, nothing
 * changes and the report says why for each one. Non-atomic applies what it can.
 * Ids of other tenants are invisible here (row-level security) and reported as
 * not found.
 */
export async function bulkUpdateMembers(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  target: BulkTarget,
  action: BulkAction,
  atomic: boolean,
): Promise<BulkResult> {
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      let ids: string[];
      if ('memberIds' in target) {
        ids = [...new Set(target.memberIds)];
      } else {
        const matched = await resolveMemberFilter(
          tx,
          tenantId,
          target.filter,
          await selectCustomFields(tx, tenantId, { lock: 'share' }),
          BULK_MAX,
        );
        if (matched.length > BULK_MAX) {
          throw validationError([
            {
              field: 'filter',
              message: `Matches more than ${BULK_MAX} members; narrow the filter or send member_ids.`,
            },
          ]);
        }
        ids = matched.map((m) => m.id);
      }
      const found = new Map<string, MemberRow>();
      for (let i = 0; i < ids.length; i += 1000) {
        const chunk = ids.slice(i, i + 1000);
        const rows = await tx
          .select()
          .from(members)
          .where(and(eq(members.tenantId, tenantId), inArray(members.id, chunk), isNull(members.deletedAt)))
          .for('update');
        for (const row of rows) found.set(row.id, row);
      }

      const now = deps.clock.now();
      const results: BulkItemResult[] = [];
      const changes: Change[] = [];
      for (const id of ids) {
        const member = found.get(id);
        if (!member) {
          results.push({ id, status: 'not_found', error: { code: 'MEMBER_NOT_FOUND', message: `No member ${id}.` } });
          continue;
        }
        const outcome = plan(action, member, now);
        if ('code' in outcome) results.push({ id, status: 'error', error: outcome });
        else {
          changes.push(outcome);
          results.push({ id, status: 'ok' });
        }
      }

      if (action.action === 'change_tier' && action.tierId) {
        const incoming = changes.filter((c) => c.before.tierId !== action.tierId).length;
        const full = await checkTierRoom(tx, tenantId, action.tierId, incoming);
        if (full) {
          for (const r of results)
            if (r.status === 'ok') Object.assign(r, { status: 'error', error: { code: 'TIER_FULL', message: full } });
          changes.length = 0;
        }
      }

      const failed = results.filter((r) => r.status === 'error').length;
      const notFound = results.filter((r) => r.status === 'not_found').length;
      const report = (applied: boolean): BulkResult => ({
        applied,
        totals: { requested: ids.length, succeeded: applied ? changes.length : 0, failed, not_found: notFound },
        results: applied ? results : results.map((r) => (r.status === 'ok' ? { id: r.id, status: 'skipped' } : r)),
      });
      if (atomic && (failed > 0 || notFound > 0)) throw new RollBack(report(false));

      const effective = changes.filter((c) => Object.keys(diffOf(c.before, c.after)).length > 0);
      await writeChanges(tx, tenantId, effective, now);
      const events: MemberEventInput[] = [];
      const audit: AuditEntryInput[] = [];
      for (const c of effective) {
        const id = c.before.id;
        if (c.after.deletedAt && !c.before.deletedAt) {
          events.push({ memberId: id, type: 'deleted', from: c.before.status });
          audit.push({ action: 'member.deleted', targetType: 'member', targetId: id, diff: { via: 'bulk' } });
          continue;
        }
        if (c.after.status !== c.before.status)
          events.push({ memberId: id, type: 'status_changed', from: c.before.status, to: c.after.status });
        if (c.after.tierId !== c.before.tierId)
          events.push({ memberId: id, type: 'tier_changed', from: c.before.tierId, to: c.after.tierId });
        const diff = diffOf(memberFields(c.before), memberFields({ ...c.before, ...c.after }));
        audit.push({ action: 'member.updated', targetType: 'member', targetId: id, diff: { ...diff, via: 'bulk' } });
      }
      await recordMemberEvents(tx, deps, tenantId, ctx, events);
      // Tag changes have no lifecycle event; staff tables still show them live.
      const lifecycle = new Set(events.map((e) => e.memberId));
      await publishMemberChanges(
        deps,
        tx,
        tenantId,
        effective
          .filter((c) => !lifecycle.has(c.before.id))
          .map((c) => ({ memberId: c.before.id, type: 'member.updated' })),
      );
      await appendAudit(tx, deps, tenantId, ctx, audit);
      return report(true);
    });
  } catch (error) {
    if (error instanceof RollBack) return error.result;
    throw error;
  }
}
