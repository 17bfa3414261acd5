import { customFields, members, tiers, type CustomFieldRow } from '../../src/db/schema/index.js';
import type { TestContext } from '../../src/testing/index.js';

/** Defines custom fields for a tenant straight in the database (the fields API has its own tests). */
export async function defineFields(t: TestContext, tenantId: string, fields: Partial<CustomFieldRow>[]): Promise<void> {
  await t.db.withTenant(tenantId, (tx) =>
    tx.insert(customFields).values(
      fields.map((f, i) => ({
        tenantId,
        key: f.key!,
        label: f.label ?? { en: f.key! },
        type: f.type ?? 'text',
        options: f.options ?? [],
        required: f.required ?? false,
        visibility: f.visibility ?? 'staff',
        memberEditable: f.memberEditable ?? false,
        sortOrder: i,
      })),
    ),
  );
}

/** Creates a tier straight in the database and returns its id. */
export async function insertTier(
  t: TestContext,
  tenantId: string,
  values: { name?: string; capacity?: number | null; archived?: boolean } = {},
): Promise<string> {
  const id = t.deps.ids.generate('tier');
  await t.db.withTenant(tenantId, (tx) =>
    tx.insert(tiers).values({
      tenantId,
      id,
      name: values.name ?? 'Tier',
      interval: 'free',
      capacity: values.capacity ?? null,
      archivedAt: values.archived ? new Date() : null,
    }),
  );
  return id;
}

/** Inserts `count` members quickly (one statement per 1,000), with predictable names and emails. */
export async function insertMembers(
  t: TestContext,
  tenantId: string,
  count: number,
  make: (i: number) => Partial<typeof members.$inferInsert> = () => ({}),
): Promise<string[]> {
  const ids: string[] = [];
  const base = Date.now() - count * 1000;
  for (let start = 0; start < count; start += 1000) {
    const rows: (typeof members.$inferInsert)[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const id = t.deps.ids.generate('mem');
      ids.push(id);
      rows.push({
        tenantId,
        id,
        email: `member${i}@example.org`,
        firstName: `First${i}`,
        lastName: `Last${String(i).padStart(6, '0')}`,
        status: 'active' as const,
        createdAt: new Date(base + i * 1000),
        updatedAt: new Date(base + i * 1000),
        ...make(i),
      });
    }
    await t.db.withTenant(tenantId, (tx) => tx.insert(members).values(rows));
  }
  return ids;
}
