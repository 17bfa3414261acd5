import { and, desc, eq, ne, or, lt, sql } from 'drizzle-orm';
import { invoices, type InvoiceRow } from '../db/schema/index.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Where the next page of a member's invoices starts: after this invoice (newest first). */
export interface InvoicePosition {
  /** The invoice's `stripe_created_at` as ISO-8601. */
  createdAt: string;
  id: string;
}

/**
 * The member's own invoices from the local mirror (written by the webhook
 * worker), newest first, drafts left out; `limit + 1` rows so the caller can
 * tell whether another page exists.
 */
export async function listMemberInvoices(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  page: { limit: number; after?: InvoicePosition },
): Promise<InvoiceRow[]> {
  const after = page.after;
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, tenantId),
          eq(invoices.memberId, memberId),
          ne(invoices.status, 'draft'),
          after
            ? or(
                lt(invoices.stripeCreatedAt, sql`${after.createdAt}::timestamptz`),
                and(eq(invoices.stripeCreatedAt, sql`${after.createdAt}::timestamptz`), lt(invoices.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(invoices.stripeCreatedAt), desc(invoices.id))
      .limit(page.limit + 1),
  );
}
