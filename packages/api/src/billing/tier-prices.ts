import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { type BillingInterval, tenantBilling, tierPrices, type TierPriceRow } from '../db/schema/index.js';
import { ID_PREFIXES } from '../lib/ids.js';
import type { ServiceDeps } from '../services/service-deps.js';

/** Public id prefix of tier prices (`tpr_…`). */
export const TIER_PRICE_PREFIX = ID_PREFIXES.tierPrice;

/** A recurring price a tier is sold at, as staff set it. */
export interface TierPriceInput {
  interval: BillingInterval;
  amount: number;
}

/** What {@link setTierPrices} changed: the tier's active prices now, and the rows it added and archived. */
export interface TierPriceChange {
  prices: TierPriceRow[];
  created: TierPriceRow[];
  archived: TierPriceRow[];
}

/** Month before year: the order prices are listed in. */
const INTERVAL_ORDER: Record<BillingInterval, number> = { month: 0, year: 1 };

function sorted(rows: TierPriceRow[]): TierPriceRow[] {
  return [...rows].sort((a, b) => INTERVAL_ORDER[a.interval] - INTERVAL_ORDER[b.interval]);
}

/** The active prices of each of `tierIds` (month first), inside the caller's transaction. */
export async function activeTierPrices(
  tx: Tx,
  tenantId: string,
  tierIds: string[],
): Promise<Map<string, TierPriceRow[]>> {
  const out = new Map<string, TierPriceRow[]>();
  if (tierIds.length === 0) return out;
  const rows = await tx
    .select()
    .from(tierPrices)
    .where(and(eq(tierPrices.tenantId, tenantId), inArray(tierPrices.tierId, tierIds), eq(tierPrices.active, true)))
    .orderBy(asc(tierPrices.id));
  for (const row of rows) out.set(row.tierId, [...(out.get(row.tierId) ?? []), row]);
  for (const [tierId, list] of out) out.set(tierId, sorted(list));
  return out;
}

/**
 * The currency new tier prices are created in: the tenant's billing currency once
 * billing is set up (every Stripe Price of a tenant is in one currency), else the tier's own.
 */
export async function tierPriceCurrency(tx: Tx, tenantId: string, tierCurrency: string): Promise<string> {
  const [row] = await tx
    .select({ currency: tenantBilling.currency })
    .from(tenantBilling)
    .where(eq(tenantBilling.tenantId, tenantId));
  return row?.currency ?? tierCurrency;
}

/**
 * Makes `desired` the tier's active prices, inside the caller's transaction: a price
 * whose amount and currency are unchanged is kept (with its Stripe Price), a changed
 * one is archived and replaced by a new row (Stripe Prices are immutable: the catalog
 * sync creates the new one and archives the old), an interval left out is archived.
 * Subscribers keep the archived price until staff migrate them.
 */
export async function setTierPrices(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  tierId: string,
  desired: TierPriceInput[],
  currency: string,
): Promise<TierPriceChange> {
  const current = (await activeTierPrices(tx, tenantId, [tierId])).get(tierId) ?? [];
  const now = deps.clock.now();
  const kept: TierPriceRow[] = [];
  const toArchive: TierPriceRow[] = [];
  const toCreate: TierPriceInput[] = [];
  for (const want of desired) {
    const existing = current.find((row) => row.interval === want.interval);
    if (existing && existing.amount === want.amount && existing.currency === currency) kept.push(existing);
    else toCreate.push(want);
  }
  for (const row of current) if (!kept.includes(row)) toArchive.push(row);

  const archived = await archiveTierPrices(tx, tenantId, toArchive, now);
  // Archived first: the partial unique index allows one active price per (tier, interval).
  const created =
    toCreate.length === 0
      ? []
      : await tx
          .insert(tierPrices)
          .values(
            toCreate.map((want) => ({
              tenantId,
              id: deps.ids.generate(TIER_PRICE_PREFIX),
              tierId,
              interval: want.interval,
              amount: want.amount,
              currency,
              createdAt: now,
              updatedAt: now,
            })),
          )
          .returning();
  return { prices: sorted([...kept, ...created]), created, archived };
}

/** Marks rows archived (inactive, `archived_at` now); returns them as they are after. */
export async function archiveTierPrices(
  tx: Tx,
  tenantId: string,
  rows: TierPriceRow[],
  now: Date,
): Promise<TierPriceRow[]> {
  if (rows.length === 0) return [];
  return tx
    .update(tierPrices)
    .set({ active: false, archivedAt: now, updatedAt: now })
    .where(
      and(
        eq(tierPrices.tenantId, tenantId),
        inArray(
          tierPrices.id,
          rows.map((row) => row.id),
        ),
      ),
    )
    .returning();
}

/**
 * Replaces every active price of the tenant by a copy in `currency` without a Stripe
 * Price (same amounts), inside the caller's transaction: for a new currency, a new
 * tax behaviour (fixed on a Stripe Price once set) or a new Stripe account (whose
 * catalog is empty). Rows not yet in Stripe and already in `currency` stay. The catalog
 * sync then creates the Prices. Returns the archived rows.
 */
export async function repriceTenant(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  currency: string,
): Promise<TierPriceRow[]> {
  const active = await tx
    .select()
    .from(tierPrices)
    .where(and(eq(tierPrices.tenantId, tenantId), eq(tierPrices.active, true)));
  // A row not yet in Stripe and already in the currency is what the copy would be: keep it.
  const stale = active.filter((row) => row.stripePriceId !== null || row.currency !== currency);
  const now = deps.clock.now();
  const archived = await archiveTierPrices(tx, tenantId, stale, now);
  if (archived.length > 0) {
    await tx.insert(tierPrices).values(
      archived.map((row) => ({
        tenantId,
        id: deps.ids.generate(TIER_PRICE_PREFIX),
        tierId: row.tierId,
        interval: row.interval,
        amount: row.amount,
        currency,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
  return archived;
}
