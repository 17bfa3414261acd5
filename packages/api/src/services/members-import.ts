import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import { members, tiers, type CustomFieldRow, type MemberRow } from '../db/schema/index.js';
import type { FieldError } from '../lib/errors.js';
import { FingerprintSet } from '../lib/fingerprint-set.js';
import { appendAudit } from './audit.js';
import type { AuditContext } from './audit-context.js';
import { applyCustomFields } from './custom-field-values.js';
import { canTransition, transitionMessage } from './member-status.js';
import {
  insertMembers,
  normalizeTags,
  recordMemberEvents,
  type MemberEventInput,
  type MemberInput,
} from './members.js';
import { selectCustomFields } from './custom-fields.js';
import type { ServiceDeps } from './service-deps.js';

/** An input row: its line number and raw values, or why it could not be read (too large, not a JSON object, …). */
export type RawRow =
  | { line: number; values: Record<string, unknown> }
  | { line: number; error: { field: string | null; message: string } };

/** Validates one raw row (the route's schema) into a member input, or field errors. */
export type RowParser = (
  values: Record<string, unknown>,
  defs: CustomFieldRow[],
) => { ok: true; value: MemberInput } | { ok: false; errors: FieldError[] };

export interface ImportOptions {
  onDuplicate: 'skip' | 'update';
  dryRun: boolean;
}

export interface ImportRowError {
  line: number;
  field: string | null;
  message: string;
}

export interface ImportResult {
  dry_run: boolean;
  applied: boolean;
  totals: { rows: number; created: number; updated: number; skipped: number; failed: number };
  errors: ImportRowError[];
  errors_truncated: boolean;
}

const BATCH = 500;
const MAX_REPORTED_ERRORS = 1000;

class RollBack extends Error {
  constructor(readonly result: ImportResult) {
    super('import rolled back');
  }
}

/**
 * Imports members from a stream of rows, in one transaction, in batches of 500:
 * memory stays flat for any number of rows. Every row is validated; if any row
 * fails, nothing is written and every error is reported (the first 1,000 in
 * detail). A dry run does all the work, including duplicate detection against
 * the database, even past bad rows, and then rolls back: its totals say what the
 * good rows would create, update or skip, beside every error. Duplicates by email are skipped or
 * updated, as the caller chooses.
 */
export async function importMembers(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  rows: AsyncIterable<RawRow>,
  parse: RowParser,
  options: ImportOptions,
): Promise<ImportResult> {
  const result: ImportResult = {
    dry_run: options.dryRun,
    applied: false,
    totals: { rows: 0, created: 0, updated: 0, skipped: 0, failed: 0 },
    errors: [],
    errors_truncated: false,
  };
  const fail = (line: number, field: string | null, message: string) => {
    result.totals.failed += 1;
    if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ line, field, message });
    else result.errors_truncated = true;
  };

  try {
    await deps.db.withTenant(tenantId, async (tx) => {
      const defs = await selectCustomFields(tx, tenantId, { lock: 'share' });
      const tierRows = await tx
        .select({ id: tiers.id, archivedAt: tiers.archivedAt })
        .from(tiers)
        .where(eq(tiers.tenantId, tenantId));
      const usableTiers = new Set(tierRows.filter((t) => !t.archivedAt).map((t) => t.id));
      // Emails met so far in the file, as fingerprints: as a Set<string>, the 1.4 million emails of a
      // 100 MB file held over 100 MB live, and the process grew by 435 MB (bench/RESULTS.md).
      const seen = new FingerprintSet();
      let batch: { line: number; input: MemberInput }[] = [];

      const flush = async () => {
        if (batch.length === 0) return;
        // Once any row failed nothing will be written: keep validating, skip the database work. A dry
        // run does it anyway (and rolls it back), to report what the good rows would create or update.
        if (result.totals.failed === 0 || options.dryRun)
          await writeBatch(tx, deps, tenantId, ctx, defs, batch, options, result, fail);
        batch = [];
      };

      for await (const row of rows) {
        result.totals.rows += 1;
        if ('error' in row) {
          fail(row.line, row.error.field, row.error.message);
          continue;
        }
        const parsed = parse(row.values, defs);
        if (!parsed.ok) {
          for (const e of parsed.errors) fail(row.line, e.field, e.message);
          continue;
        }
        const input = parsed.value;
        const key = input.email.toLowerCase();
        if (!seen.add(key)) {
          fail(row.line, 'email', `${input.email} appears more than once in this file.`);
          continue;
        }
        if (input.tierId && !usableTiers.has(input.tierId)) {
          fail(row.line, 'tier_id', `No active tier ${input.tierId}.`);
          continue;
        }
        const custom = applyCustomFields(defs, input.customFields, {}, 'create');
        if (custom.errors.length) {
          for (const e of custom.errors) fail(row.line, e.field, e.message);
          continue;
        }
        batch.push({ line: row.line, input: { ...input, customFields: custom.values } });
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      if (result.totals.failed === 0 || options.dryRun) {
        // Capacity is checked once at the end, on the tenant's real counts.
        const over = await executeRows<{ id: string; name: string; capacity: number; held: number }>(
          tx.execute(sql`
            select t.id, t.name, t.capacity, count(m.id)::int as held
            from tiers t join members m on m.tenant_id = t.tenant_id and m.tier_id = t.id and m.deleted_at is null
            where t.tenant_id = ${tenantId} and t.capacity is not null
            group by t.id, t.name, t.capacity having count(m.id) > t.capacity`),
        );
        for (const t of over)
          fail(0, 'tier_id', `Tier ${t.name} (${t.id}) would hold ${t.held} members; its capacity is ${t.capacity}.`);
      }

      if (result.totals.failed > 0 || options.dryRun) throw new RollBack(result);
      await appendAudit(tx, deps, tenantId, ctx, [
        {
          action: 'members.imported',
          targetType: 'tenant',
          targetId: tenantId,
          diff: { created: result.totals.created, updated: result.totals.updated, skipped: result.totals.skipped },
        },
      ]);
      result.applied = true;
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return result;
}

async function writeBatch(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  defs: CustomFieldRow[],
  batch: { line: number; input: MemberInput }[],
  options: ImportOptions,
  result: ImportResult,
  fail: (line: number, field: string | null, message: string) => void,
): Promise<void> {
  const now = deps.clock.now();
  // Insert first, letting the unique email index find the members that exist (ON CONFLICT: one index
  // probe per row). Looking them up first with `lower(email) IN (…)` depended on the planner: with the
  // tenant's statistics from before the import it scanned the tenant's whole email index for every
  // batch, so a 100 MB import slowed down quadratically. A failure anywhere rolls all of this back.
  const inserted = await insertMembers(
    tx,
    deps,
    tenantId,
    batch.map(({ input }) => ({
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      status: input.status ?? 'pending',
      tierId: input.tierId ?? null,
      customFields: input.customFields ?? {},
      tags: input.tags ?? [],
    })),
    { actor: ctx, event: 'imported', audit: false, skipTakenEmails: true },
  );
  result.totals.created += inserted.length;
  // Emails are unique in the file (case-insensitively), so an email not stored names a duplicate.
  const stored = new Set(inserted.map((m) => m.email.toLowerCase()));
  const duplicates = batch.filter(({ input }) => !stored.has(input.email.toLowerCase()));
  if (duplicates.length === 0) return;
  if (options.onDuplicate === 'skip') {
    result.totals.skipped += duplicates.length;
    return;
  }

  const existing = await tx
    .select()
    .from(members)
    .where(
      and(
        eq(members.tenantId, tenantId),
        isNull(members.deletedAt),
        inArray(
          sql`lower(${members.email})`,
          duplicates.map((b) => b.input.email.toLowerCase()),
        ),
      ),
    )
    .for('update');
  const byEmail = new Map<string, MemberRow>(existing.map((m) => [m.email.toLowerCase(), m]));
  const updates: {
    id: string;
    first_name: string;
    last_name: string;
    status: string;
    tier_id: string | null;
    tags: string[];
    custom_fields: Record<string, unknown>;
  }[] = [];
  // Status and tier changes of updated members are lifecycle events like any other (growth counts them).
  const events: MemberEventInput[] = [];
  for (const { line, input } of duplicates) {
    const current = byEmail.get(input.email.toLowerCase());
    if (!current) {
      // Deleted by someone else between the insert and this read.
      fail(line, 'email', `The member with ${input.email} changed during the import; import the file again.`);
      continue;
    }
    const status = input.status ?? current.status;
    if (!canTransition(current.status, status)) {
      fail(line, 'status', transitionMessage(current.status, status));
      continue;
    }
    const merged = applyCustomFields(defs, input.customFields, current.customFields, 'update');
    const tierId = input.tierId !== undefined ? input.tierId : current.tierId;
    if (status !== current.status)
      events.push({ memberId: current.id, type: 'status_changed', from: current.status, to: status });
    if (tierId !== current.tierId)
      events.push({ memberId: current.id, type: 'tier_changed', from: current.tierId, to: tierId });
    updates.push({
      id: current.id,
      first_name: input.firstName,
      last_name: input.lastName,
      status,
      tier_id: tierId,
      tags: input.tags ? normalizeTags(input.tags) : current.tags,
      custom_fields: merged.values,
    });
  }
  if (result.totals.failed > 0 && !options.dryRun) return;

  if (updates.length) {
    await tx.execute(sql`
      update members m
      set first_name = v.first_name, last_name = v.last_name, status = v.status, tier_id = v.tier_id,
          tags = v.tags, custom_fields = v.custom_fields, updated_at = ${now}
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb)
        as v(id text, first_name text, last_name text, status text, tier_id text, tags text[], custom_fields jsonb)
      where m.tenant_id = ${tenantId} and m.id = v.id`);
    await recordMemberEvents(tx, deps, tenantId, ctx, events);
    result.totals.updated += updates.length;
  }
}
