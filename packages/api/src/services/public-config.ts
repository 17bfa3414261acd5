import { and, asc, eq, isNull } from 'drizzle-orm';
import {
  oidcProviders as oidcProvidersTable,
  tenants,
  tiers,
  type CustomFieldRow,
  type TenantRow,
  type TierPriceRow,
  type TierRow,
} from '../db/schema/index.js';
import { activeTierPrices } from '../billing/tier-prices.js';
import { ApiError } from '../lib/errors.js';
import { selectCustomFields } from './custom-fields.js';
import type { ServiceDeps } from './service-deps.js';
import { TenantErrors } from './tenants.js';
import { memberCountColumn } from './tiers.js';

/** What a browser on the tenant's site may know about the tenant, as stored. */
export interface PublicConfigData {
  tenant: TenantRow;
  /** Custom fields shown to visitors or members (never staff-only ones). */
  fields: CustomFieldRow[];
  /** Tiers offered for sign-up (active, not archived), in display order, with how many members hold each. */
  tiers: { tier: TierRow; memberCount: number; prices: TierPriceRow[] }[];
  /** Enabled OIDC providers: id and name only. */
  oidcProviders: { id: string; name: string }[];
}

/**
 * The tenant's public configuration, read in one transaction. Staff-only fields,
 * archived or inactive tiers, disabled providers, keys and origins are left out;
 * the route decides how it is written.
 */
export async function getPublicConfig(deps: ServiceDeps, tenantId: string): Promise<PublicConfigData> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) throw new ApiError(TenantErrors.TENANT_NOT_FOUND, `No tenant ${tenantId}.`);
    const fields = (await selectCustomFields(tx, tenantId)).filter((f) => f.visibility !== 'staff');
    const offered = await tx
      .select({ tier: tiers, memberCount: memberCountColumn })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.active, true), isNull(tiers.archivedAt)))
      .orderBy(asc(tiers.sortOrder), asc(tiers.id));
    const prices = await activeTierPrices(
      tx,
      tenantId,
      offered.map(({ tier }) => tier.id),
    );
    const oidcProviders = await tx
      .select({ id: oidcProvidersTable.id, name: oidcProvidersTable.name })
      .from(oidcProvidersTable)
      .where(and(eq(oidcProvidersTable.tenantId, tenantId), eq(oidcProvidersTable.enabled, true)))
      .orderBy(asc(oidcProvidersTable.name), asc(oidcProvidersTable.id));
    return {
      tenant,
      fields,
      tiers: offered.map((row) => ({ ...row, prices: prices.get(row.tier.id) ?? [] })),
      oidcProviders,
    };
  });
}
