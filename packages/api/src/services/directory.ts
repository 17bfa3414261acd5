import { and, asc, eq, sql } from 'drizzle-orm';
import { members, tenants, tiers } from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { visibleCustomFields } from './custom-field-values.js';
import { selectCustomFields } from './custom-fields.js';
import { memberFilterConditions } from './member-filters.js';
import type { ServiceDeps } from './service-deps.js';

export const DirectoryErrors = defineErrorCodes({
  DIRECTORY_DISABLED: { status: 403, title: 'Member directory disabled' },
});

export interface DirectoryEntry {
  id: string;
  firstName: string;
  lastName: string;
  tier: { id: string; name: string } | null;
  customFields: Record<string, unknown>;
  joinedAt: Date;
}

export interface DirectoryQuery {
  search?: string;
  /** Who reads: visitors see `public` fields, signed-in members `public` and `members` ones. */
  audience: 'public' | 'members';
  limit: number;
  /** `(last_name, id)` of the last entry of the previous page. */
  after?: [string, string];
}

/**
 * A page of the tenant's member directory: active members by last name, with
 * only what the audience may see. Search matches names only — never email, so
 * the directory cannot be used to test whether an address belongs to a member —
 * through the trigram index on the search text, then rechecked on the names.
 */
export async function listDirectory(
  deps: ServiceDeps,
  tenantId: string,
  query: DirectoryQuery,
): Promise<{ entries: DirectoryEntry[]; hasMore: boolean }> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const [tenant] = await tx.select({ site: tenants.siteSettings }).from(tenants).where(eq(tenants.id, tenantId));
    if (tenant?.site.directory?.enabled !== true)
      throw new ApiError(DirectoryErrors.DIRECTORY_DISABLED, 'This organization has no member directory.');
    const defs = await selectCustomFields(tx, tenantId);
    const words = (query.search ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
    const names = sql`lower(${members.firstName} || ' ' || ${members.lastName})`;
    // As in the members search: 3+ characters anywhere in a name, shorter words at the start of a name part.
    const nameChecks = words.map((w) =>
      w.length >= 3
        ? sql`strpos(${names}, ${w}) > 0`
        : sql`strpos(' ' || translate(${names}, '-', ' '), ${` ${w}`}) > 0`,
    );
    const keyset = query.after
      ? sql`(${members.lastName}, ${members.id}) > (${query.after[0]}, ${query.after[1]})`
      : undefined;
    const rows = await tx
      .select({ member: members, tierName: tiers.name })
      .from(members)
      .leftJoin(tiers, and(eq(tiers.tenantId, members.tenantId), eq(tiers.id, members.tierId)))
      .where(
        and(
          memberFilterConditions(
            tenantId,
            { status: ['active'], ...(query.search ? { search: query.search } : {}) },
            defs,
          ),
          ...nameChecks,
          keyset,
        ),
      )
      .orderBy(asc(members.lastName), asc(members.id))
      .limit(query.limit + 1);
    const hasMore = rows.length > query.limit;
    return {
      hasMore,
      entries: rows.slice(0, query.limit).map(({ member, tierName }) => ({
        id: member.id,
        firstName: member.firstName,
        lastName: member.lastName,
        tier: member.tierId && tierName !== null ? { id: member.tierId, name: tierName } : null,
        customFields: visibleCustomFields(defs, member.customFields, query.audience),
        joinedAt: member.createdAt,
      })),
    };
  });
}
