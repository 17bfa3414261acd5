import { and, asc, sql } from 'drizzle-orm';
import { members, type CustomFieldRow, type MemberRow } from '../db/schema/index.js';
import { csvLines, type CsvCell } from '../lib/csv-write.js';
import { memberFilterConditions, type MemberFilter } from './member-filters.js';
import { selectCustomFields } from './custom-fields.js';
import type { ServiceDeps } from './service-deps.js';

export type ExportFormat = 'csv' | 'ndjson';

const BATCH = 1000;

/** Columns of a CSV export; the import reads the same names back. */
export function exportColumns(defs: CustomFieldRow[]): string[] {
  return [
    'id',
    'email',
    'first_name',
    'last_name',
    'status',
    'tier_id',
    'tags',
    'created_at',
    'updated_at',
    'last_active_at',
    ...defs.map((d) => `custom_fields.${d.key}`),
  ];
}

function csvCells(m: MemberRow, defs: CustomFieldRow[]): CsvCell[] {
  const custom = defs.map((d) => {
    const value = m.customFields[d.key];
    return Array.isArray(value) ? value.join(';') : (value as CsvCell);
  });
  return [
    m.id,
    m.email,
    m.firstName,
    m.lastName,
    m.status,
    m.tierId,
    m.tags.join(';'),
    m.createdAt.toISOString(),
    m.updatedAt.toISOString(),
    m.lastActiveAt?.toISOString() ?? null,
    ...custom,
  ];
}

function jsonRow(m: MemberRow): string {
  return `${JSON.stringify({
    id: m.id,
    email: m.email,
    first_name: m.firstName,
    last_name: m.lastName,
    status: m.status,
    tier_id: m.tierId,
    tags: m.tags,
    custom_fields: m.customFields,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    last_active_at: m.lastActiveAt?.toISOString() ?? null,
  })}\n`;
}

/**
 * Streams every member matching `filter` as CSV or NDJSON, oldest first. Reads
 * 1,000 members at a time by keyset, each batch in its own short transaction,
 * and only when the client has taken the previous one: memory stays flat and no
 * transaction stays open while a slow client downloads.
 */
export async function exportMembers(
  deps: ServiceDeps,
  tenantId: string,
  filter: MemberFilter,
  format: ExportFormat,
): Promise<ReadableStream<Uint8Array>> {
  const defs = await deps.db.withTenant(tenantId, (tx) => selectCustomFields(tx, tenantId));
  // Validate the filter now, so a bad one is a 422 before any byte is sent.
  await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select({ id: members.id })
      .from(members)
      .where(memberFilterConditions(tenantId, filter, defs))
      .limit(0),
  );
  const encoder = new TextEncoder();
  let after: [string, string] | null = null;
  let headerSent = format !== 'csv';
  let done = false;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLines([exportColumns(defs)])));
          return;
        }
        if (done) return;
        const cursor = after;
        const rows = await deps.db.withTenant(tenantId, (tx) =>
          tx
            .select({ member: members, key: sql<string>`${members.createdAt}::text` })
            .from(members)
            .where(
              and(
                memberFilterConditions(tenantId, filter, defs),
                cursor
                  ? sql`(${members.createdAt}, ${members.id}) > (${cursor[0]}::timestamptz, ${cursor[1]})`
                  : undefined,
              ),
            )
            .orderBy(asc(members.createdAt), asc(members.id))
            .limit(BATCH),
        );
        if (rows.length > 0) {
          const text =
            format === 'csv'
              ? csvLines(rows.map((r) => csvCells(r.member, defs)))
              : rows.map((r) => jsonRow(r.member)).join('');
          controller.enqueue(encoder.encode(text));
          const last = rows.at(-1)!;
          after = [last.key, last.member.id];
        }
        if (rows.length < BATCH) {
          done = true;
          controller.close();
        }
      },
    },
    { highWaterMark: 1 },
  );
}
