import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import {
  customFields,
  tenants,
  type CustomFieldRow,
  type CustomFieldType,
  type FieldVisibility,
  type LocalizedText,
  type SelectOption,
} from '../db/schema/index.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf } from './audit.js';
import type { AuditContext } from './audit-context.js';
import type { ServiceDeps } from './service-deps.js';

/** A stored custom field definition, its types and visibilities. */
export { CUSTOM_FIELD_TYPES, FIELD_VISIBILITIES, type CustomFieldRow } from '../db/schema/index.js';

/** Most custom fields a tenant may define. */
export const MAX_CUSTOM_FIELDS = 100;

/** One field of the set given to {@link replaceCustomFields}; its position in the set is its `sort_order`. */
export interface CustomFieldDefinition {
  key: string;
  label: LocalizedText;
  type: CustomFieldType;
  /** The choices of `select` and `multi_select` fields; empty for the other types. */
  options: SelectOption[];
  required: boolean;
  visibility: FieldVisibility;
  memberEditable: boolean;
}

/** A rule broken by a field set; `path` is relative to the list (`[2, 'options']`). */
export interface DefinitionProblem {
  path: (string | number)[];
  message: string;
}

const hasOptions = (type: CustomFieldType) => type === 'select' || type === 'multi_select';

/**
 * The rules a field set must follow beyond each field's shape: keys unique,
 * options present exactly for select types and unique, member-editable fields
 * visible to members. Shared by the request schema (errors at the right path)
 * and {@link replaceCustomFields} (which every caller goes through).
 */
export function customFieldProblems(
  fields: readonly Pick<CustomFieldDefinition, 'key' | 'type' | 'options' | 'visibility' | 'memberEditable'>[],
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (fields.length > MAX_CUSTOM_FIELDS) problems.push({ path: [], message: `At most ${MAX_CUSTOM_FIELDS} fields.` });
  const firstIndexOfKey = new Map<string, number>();
  fields.forEach((field, i) => {
    const first = firstIndexOfKey.get(field.key);
    if (first !== undefined)
      problems.push({ path: [i, 'key'], message: `Duplicate key "${field.key}": fields.${first} has it already.` });
    else firstIndexOfKey.set(field.key, i);

    if (hasOptions(field.type) && field.options.length === 0) {
      problems.push({ path: [i, 'options'], message: `A ${field.type} field needs a non-empty list of options.` });
    }
    if (!hasOptions(field.type) && field.options.length > 0) {
      problems.push({
        path: [i, 'options'],
        message: `Only select and multi_select fields have options; omit them for a ${field.type} field.`,
      });
    }
    const firstIndexOfValue = new Map<string, number>();
    field.options.forEach((option, j) => {
      const seen = firstIndexOfValue.get(option.value);
      if (seen !== undefined)
        problems.push({
          path: [i, 'options', j, 'value'],
          message: `Duplicate option value "${option.value}": options.${seen} has it already.`,
        });
      else firstIndexOfValue.set(option.value, j);
    });
    if (field.memberEditable && field.visibility === 'staff') {
      problems.push({
        path: [i, 'member_editable'],
        message: 'Members cannot edit a field they cannot see: set visibility to "members" or "public".',
      });
    }
  });
  return problems;
}

/**
 * The tenant's field definitions in display order, inside the caller's
 * transaction. Services that write member values should read them with
 * `lock: 'share'`: a concurrent {@link replaceCustomFields} that removes or
 * retypes a field then waits for them, and cleans up the values they wrote.
 */
export function selectCustomFields(
  tx: Tx,
  tenantId: string,
  options: { lock?: 'share' } = {},
): Promise<CustomFieldRow[]> {
  const query = tx
    .select()
    .from(customFields)
    .where(eq(customFields.tenantId, tenantId))
    .orderBy(asc(customFields.sortOrder), asc(customFields.key));
  return options.lock ? query.for(options.lock) : query;
}

/** The tenant's field definitions in display order. */
export function listCustomFields(deps: ServiceDeps, tenantId: string): Promise<CustomFieldRow[]> {
  return deps.db.withTenant(tenantId, (tx) => selectCustomFields(tx, tenantId));
}

/** The definition fields compared to tell whether a field changed (API names, as audit diffs show them). */
function definitionOf(field: Pick<CustomFieldRow, keyof CustomFieldDefinition>): Record<string, unknown> {
  return {
    label: field.label,
    type: field.type,
    options: field.options,
    required: field.required,
    visibility: field.visibility,
    member_editable: field.memberEditable,
  };
}

const textArray = (values: readonly string[]): SQL =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** Runs `update members … returning 1` and counts the rows it changed, on every driver. */
async function countUpdated(tx: Tx, update: SQL): Promise<number> {
  const [row] = await executeRows<{ n: number }>(
    tx.execute(sql`with changed as (${update} returning 1) select count(*)::int as n from changed`),
  );
  return row?.n ?? 0;
}

/**
 * Brings members' stored values in line with the new definitions: values of
 * removed or retyped fields are dropped; select values no longer among the
 * options are dropped, multi_select arrays lose the removed options. Soft-
 * deleted members too: a restored member must not come back with invalid values.
 * Returns the number of member updates.
 */
async function reconcileMemberValues(
  tx: Tx,
  tenantId: string,
  now: Date,
  dropKeys: string[],
  narrowed: { key: string; type: 'select' | 'multi_select'; values: string[] }[],
): Promise<number> {
  // `updated_at` moves: the member's representation changed, and sync clients poll on it.
  const touched = sql`updated_at = ${now.toISOString()}::timestamptz`;
  let updates = 0;
  if (dropKeys.length > 0) {
    updates += await countUpdated(
      tx,
      sql`update members set custom_fields = custom_fields - ${textArray(dropKeys)}, ${touched}
          where tenant_id = ${tenantId} and custom_fields ?| ${textArray(dropKeys)}`,
    );
  }
  for (const { key, type, values } of narrowed) {
    const allowed = textArray(values);
    if (type === 'select') {
      updates += await countUpdated(
        tx,
        sql`update members set custom_fields = custom_fields - ${key}::text, ${touched}
            where tenant_id = ${tenantId} and custom_fields ? ${key}::text
              and not coalesce(custom_fields ->> ${key}::text = any(${allowed}), false)`,
      );
    } else {
      // CASE guards jsonb_array_elements from non-array values, which Postgres may otherwise evaluate first.
      updates += await countUpdated(
        tx,
        sql`update members set custom_fields = jsonb_set(custom_fields, array[${key}::text], coalesce((
                select jsonb_agg(e.value order by e.ord)
                from jsonb_array_elements(custom_fields -> ${key}::text) with ordinality as e(value, ord)
                where e.value #>> '{}' = any(${allowed})), '[]'::jsonb)), ${touched}
            where tenant_id = ${tenantId}
              and case when jsonb_typeof(custom_fields -> ${key}::text) = 'array'
                then exists (select 1 from jsonb_array_elements(custom_fields -> ${key}::text) as e(value)
                             where not coalesce(e.value #>> '{}' = any(${allowed}), false))
                else false end`,
      );
    }
  }
  return updates;
}

/**
 * Replaces the tenant's whole field set with `fields`, atomically; each field's
 * position becomes its `sort_order`. Members' values follow in the same
 * transaction: a removed field's values are removed from every member (`custom_fields - key`),
 * a field whose type changes loses its values, and values of removed select
 * options are removed. Fields that did not change keep their `updated_at`. A set
 * equal to the current one writes nothing. Audited as `custom_fields.updated`
 * with the added, removed and changed keys.
 * @throws ApiError 422 naming `fields.<i>.<field>` when the set breaks a rule of {@link customFieldProblems}.
 */
export async function replaceCustomFields(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  fields: CustomFieldDefinition[],
): Promise<CustomFieldRow[]> {
  const problems = customFieldProblems(fields);
  if (problems.length > 0) {
    throw validationError(problems.map((p) => ({ field: ['fields', ...p.path].join('.'), message: p.message })));
  }
  return deps.db.withTenant(tenantId, async (tx) => {
    // Serializes replacements of one tenant's set (two concurrent first PUTs would otherwise both insert).
    // NO KEY UPDATE leaves the tenant's foreign-key readers (every insert into its tables) unblocked.
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('no key update');
    const before = await selectCustomFields(tx, tenantId);
    const beforeByKey = new Map(before.map((row) => [row.key, row]));
    const nextKeys = new Set(fields.map((f) => f.key));

    const added = fields.filter((f) => !beforeByKey.has(f.key));
    const removed = before.filter((row) => !nextKeys.has(row.key));
    const rewritten: { field: CustomFieldDefinition; sortOrder: number; changes: Record<string, unknown> }[] = [];
    fields.forEach((field, sortOrder) => {
      const old = beforeByKey.get(field.key);
      if (!old) return;
      const changes = diffOf(definitionOf(old), definitionOf(field));
      if (Object.keys(changes).length > 0 || old.sortOrder !== sortOrder) rewritten.push({ field, sortOrder, changes });
    });
    if (added.length === 0 && removed.length === 0 && rewritten.length === 0) return before;

    const now = deps.clock.now();
    if (removed.length > 0) {
      await tx.delete(customFields).where(
        and(
          eq(customFields.tenantId, tenantId),
          inArray(
            customFields.key,
            removed.map((r) => r.key),
          ),
        ),
      );
    }
    if (added.length > 0) {
      await tx.insert(customFields).values(
        added.map((field) => ({
          tenantId,
          ...field,
          sortOrder: fields.indexOf(field),
          createdAt: now,
          updatedAt: now,
        })),
      );
    }
    for (const { field, sortOrder } of rewritten) {
      await tx
        .update(customFields)
        .set({ ...field, sortOrder, updatedAt: now })
        .where(and(eq(customFields.tenantId, tenantId), eq(customFields.key, field.key)));
    }

    const retyped = rewritten
      .filter(({ field }) => beforeByKey.get(field.key)!.type !== field.type)
      .map(({ field }) => field.key);
    const narrowed = rewritten.flatMap(({ field }) => {
      const old = beforeByKey.get(field.key)!;
      if (old.type !== field.type || (field.type !== 'select' && field.type !== 'multi_select')) return [];
      const values = field.options.map((o) => o.value);
      return old.options.some((o) => !values.includes(o.value)) ? [{ key: field.key, type: field.type, values }] : [];
    });
    const memberUpdates = await reconcileMemberValues(
      tx,
      tenantId,
      now,
      [...removed.map((r) => r.key), ...retyped],
      narrowed,
    );

    // Survivors' relative order: shifts caused only by additions and removals are not a reordering.
    const orderBefore = before.filter((row) => nextKeys.has(row.key)).map((row) => row.key);
    const orderAfter = fields.filter((f) => beforeByKey.has(f.key)).map((f) => f.key);
    const changed = rewritten
      .filter((r) => Object.keys(r.changes).length > 0)
      .map((r) => ({ field: r.field.key, changes: r.changes }));
    // Lists, not objects keyed by field key: the audit scrubber drops object keys that look like secrets (`api_key`).
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'custom_fields.updated',
        targetType: 'tenant',
        targetId: tenantId,
        diff: {
          added: added.map((f) => f.key),
          removed: removed.map((r) => r.key),
          changed,
          ...(orderBefore.join('\n') !== orderAfter.join('\n')
            ? { reordered: { from: orderBefore, to: orderAfter } }
            : {}),
          member_values_updated: memberUpdates,
        },
      },
    ]);
    return selectCustomFields(tx, tenantId);
  });
}
