import { and, asc, eq, getTableColumns, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { invites, members, type TierPriceRow, tiers, type TierRow } from '../db/schema/index.js';
import { activeTierPrices, setTierPrices, type TierPriceInput, tierPriceCurrency } from '../billing/tier-prices.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf } from './audit.js';
import type { AuditContext } from './audit-context.js';
import { publishMemberChanges } from './member-changes.js';
import type { ServiceDeps } from './service-deps.js';

/** Error codes of tiers, raised by this module and by services that assign tiers ({@link lockTierForAssignment}). */
export const TierErrors = defineErrorCodes({
  TIER_NOT_FOUND: { status: 404, title: 'Tier not found' },
  TIER_IN_USE: { status: 409, title: 'Tier in use' },
  TIER_CAPACITY_BELOW_MEMBERS: { status: 409, title: "Capacity below the tier's member count" },
  TIER_ARCHIVED: { status: 409, title: 'Tier archived' },
  TIER_FULL: { status: 409, title: 'Tier full' },
});

/** Billing intervals of a tier. `free` tiers cost nothing; the others need a positive price. */
export const TIER_INTERVALS = ['month', 'year', 'one_time', 'free'] as const;
export type TierInterval = (typeof TIER_INTERVALS)[number];

/** A tier with the number of non-deleted members holding it and its active recurring prices (month first). */
export type TierWithCount = TierRow & { memberCount: number; prices: TierPriceRow[] };

/**
 * What a create or update changed in the tier's catalog, for the Stripe sync that
 * runs after the change commits (billing/catalog-sync.ts): prices archived, and
 * whether prices or the Product's name, description or archived state changed.
 */
export interface TierCatalogChange {
  archived: TierPriceRow[];
  pricesChanged: boolean;
  productChanged: boolean;
}

/** A created or updated tier, with what its change means for the Stripe catalog. */
export type ChangedTier = TierWithCount & { catalog: TierCatalogChange };

/** Recurring intervals: the ones a tier's `prices` can be at. */
const RECURRING: readonly TierInterval[] = ['month', 'year'];

/**
 * Why `prices` do not fit a tier billed `interval`, or null: a free or one-time tier
 * has no recurring prices, a monthly or yearly tier has one for its own interval.
 */
function pricesProblem(interval: TierInterval, prices: TierPriceInput[]): string | null {
  if (!RECURRING.includes(interval))
    return prices.length === 0 ? null : `A tier billed "${interval}" has no recurring prices.`;
  return prices.some((p) => p.interval === interval)
    ? null
    : `Must include a price for the tier's interval "${interval}".`;
}

/** A new tier, with every default already applied except `sortOrder` (absent: after the last tier). */
export interface NewTier {
  name: string;
  description: string | null;
  /** `description` by locale (BCP 47 tag → text). */
  descriptionTranslations: Record<string, string>;
  features: string[];
  priceAmount: number;
  currency: string;
  interval: TierInterval;
  capacity: number | null;
  active: boolean;
  sortOrder?: number;
  /** Free days before the first charge (0 = none). */
  trialDays?: number;
  /** Recurring prices; absent: one from `priceAmount` for a monthly or yearly tier. */
  prices?: TierPriceInput[];
}

/** Changes to a tier; absent fields stay as they are. `archived` sets or clears `archived_at`. */
export interface TierPatch {
  name?: string;
  description?: string | null;
  /** Replaces every translation. */
  descriptionTranslations?: Record<string, string>;
  features?: string[];
  priceAmount?: number;
  currency?: string;
  interval?: TierInterval;
  capacity?: number | null;
  active?: boolean;
  sortOrder?: number;
  archived?: boolean;
  trialDays?: number;
  /** Replaces the active recurring prices: an unchanged amount keeps its price, a new one archives it. */
  prices?: TierPriceInput[];
}

/** Filters of {@link listTiers}. */
export interface TierFilter {
  includeArchived: boolean;
  active?: boolean;
}

/** Keyset position: the list continues after this `(sort_order, id)`. */
export interface TierPosition {
  sortOrder: number;
  id: string;
}

/**
 * Why `amount` is wrong for `interval`, or null when they fit: a free tier costs
 * 0, any other costs more than 0 (a paid tier at 0 would be a free tier that
 * billing would still try to charge).
 */
export function priceProblem(interval: TierInterval, amount: number): string | null {
  if (interval === 'free') return amount === 0 ? null : 'A free tier must have amount 0.';
  return amount > 0
    ? null
    : `A tier billed "${interval}" needs an amount greater than 0; use interval "free" for a free tier.`;
}

function notFound(tierId: string): ApiError {
  return new ApiError(TierErrors.TIER_NOT_FOUND, `No tier ${tierId}.`);
}

/** Non-deleted members holding the tier: what `member_count`, capacity and deletion are about. */
function holdersOf(tenantId: string | SQL, tierId: string | SQL): SQL {
  return sql`${members.tenantId} = ${tenantId} and ${members.tierId} = ${tierId} and ${members.deletedAt} is null`;
}

/** Counts the non-deleted members holding a tier, inside the caller's transaction. */
export async function countTierMembers(tx: Tx, tenantId: string, tierId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(members).where(holdersOf(tenantId, tierId));
  return row?.n ?? 0;
}

/** `member_count` of a tier row, as a correlated subquery (served by the members (tenant_id, tier_id, …) index). */
export const memberCountColumn = sql<number>`(select count(*)::int from ${members} where ${holdersOf(sql`${tiers.tenantId}`, sql`${tiers.id}`)})`;
const tierColumns = getTableColumns(tiers);

/** The fields of a tier as audit diffs show them (API names, not column names). */
function auditFields(row: TierRow, prices?: TierPriceRow[]): Record<string, unknown> {
  return {
    ...(prices
      ? { prices: prices.map((p) => ({ interval: p.interval, amount: p.amount, currency: p.currency })) }
      : {}),
    trial_days: row.trialDays,
    name: row.name,
    description: row.description,
    description_translations: row.descriptionTranslations,
    features: row.features,
    price: { amount: row.priceAmount, currency: row.currency },
    interval: row.interval,
    capacity: row.capacity,
    active: row.active,
    sort_order: row.sortOrder,
    archived: row.archivedAt !== null,
  };
}

async function selectTierForUpdate(tx: Tx, tenantId: string, tierId: string): Promise<TierRow | undefined> {
  const [row] = await tx
    .select()
    .from(tiers)
    .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)))
    .for('update');
  return row;
}

/** Creates a tier; `sortOrder` defaults to just after the tenant's last tier. Audited as `tier.created`. */
export async function createTier(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: NewTier,
): Promise<ChangedTier> {
  const problem = priceProblem(input.interval, input.priceAmount);
  if (problem) throw validationError([{ field: 'price.amount', message: problem }]);
  const desired =
    input.prices ??
    (RECURRING.includes(input.interval)
      ? [{ interval: input.interval as 'month' | 'year', amount: input.priceAmount }]
      : []);
  const pricesWrong = pricesProblem(input.interval, desired);
  if (pricesWrong) throw validationError([{ field: 'prices', message: pricesWrong }]);
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    // With billing set up, every tier is priced in the tenant's billing currency.
    const currency = await tierPriceCurrency(tx, tenantId, input.currency);
    const [row] = await tx
      .insert(tiers)
      .values({
        tenantId,
        id: deps.ids.generate('tier'),
        name: input.name,
        description: input.description,
        descriptionTranslations: input.descriptionTranslations,
        features: input.features,
        priceAmount: input.priceAmount,
        currency,
        interval: input.interval,
        capacity: input.capacity,
        active: input.active,
        trialDays: input.trialDays ?? 0,
        sortOrder:
          input.sortOrder ??
          sql`(select coalesce(max(${tiers.sortOrder}) + 1, 0) from ${tiers} where ${tiers.tenantId} = ${tenantId})`,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const { prices } = await setTierPrices(tx, deps, tenantId, row!.id, desired, currency);
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'tier.created', targetType: 'tier', targetId: row!.id, diff: auditFields(row!, prices) },
    ]);
    const catalog = { archived: [], pricesChanged: prices.length > 0, productChanged: false };
    return { ...row!, memberCount: 0, prices, catalog };
  });
}

/**
 * A page of tiers in display order (`sort_order`, then id), with member counts.
 * Returns up to `limit + 1` rows: the extra one only tells that another page exists.
 */
export function listTiers(
  deps: ServiceDeps,
  tenantId: string,
  filter: TierFilter,
  page: { limit: number; after?: TierPosition },
): Promise<TierWithCount[]> {
  const conditions: (SQL | undefined)[] = [
    eq(tiers.tenantId, tenantId),
    filter.includeArchived ? undefined : isNull(tiers.archivedAt),
    filter.active !== undefined ? eq(tiers.active, filter.active) : undefined,
    // A row comparison, so the (tenant_id, sort_order, id) index serves the keyset directly.
    page.after ? sql`(${tiers.sortOrder}, ${tiers.id}) > (${page.after.sortOrder}, ${page.after.id})` : undefined,
  ];
  return deps.db.withTenant(tenantId, async (tx) => {
    const rows = await tx
      .select({ ...tierColumns, memberCount: memberCountColumn })
      .from(tiers)
      .where(and(...conditions))
      .orderBy(asc(tiers.sortOrder), asc(tiers.id))
      .limit(page.limit + 1);
    const prices = await activeTierPrices(
      tx,
      tenantId,
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({ ...row, prices: prices.get(row.id) ?? [] }));
  });
}

/** One tier with its member count, archived or not; 404 TIER_NOT_FOUND when the tenant has no such tier. */
export async function getTier(deps: ServiceDeps, tenantId: string, tierId: string): Promise<TierWithCount> {
  const row = await deps.db.withTenant(tenantId, async (tx) => {
    const [found] = await tx
      .select({ ...tierColumns, memberCount: memberCountColumn })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)));
    if (!found) return undefined;
    return { ...found, prices: (await activeTierPrices(tx, tenantId, [tierId])).get(tierId) ?? [] };
  });
  if (!row) throw notFound(tierId);
  return row;
}

/**
 * Changes a tier. The price rule is checked on the result (changing only
 * `interval` to `free` on a paid tier is a 422 on `price.amount`), and capacity
 * cannot drop below the members holding the tier (409). A patch that changes
 * nothing writes nothing. Audited as `tier.updated` with a field diff.
 */
export async function updateTier(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  tierId: string,
  patch: TierPatch,
): Promise<ChangedTier> {
  return deps.db.withTenant(tenantId, async (tx) => {
    // Locked so capacity is checked against a member count no assignment can change meanwhile (see lockTierForAssignment).
    const current = await selectTierForUpdate(tx, tenantId, tierId);
    if (!current) throw notFound(tierId);

    const next = {
      name: patch.name ?? current.name,
      description: patch.description !== undefined ? patch.description : current.description,
      descriptionTranslations: patch.descriptionTranslations ?? current.descriptionTranslations,
      features: patch.features ?? current.features,
      priceAmount: patch.priceAmount ?? current.priceAmount,
      currency: patch.currency ?? current.currency,
      interval: patch.interval ?? current.interval,
      capacity: patch.capacity !== undefined ? patch.capacity : current.capacity,
      active: patch.active ?? current.active,
      sortOrder: patch.sortOrder ?? current.sortOrder,
      trialDays: patch.trialDays ?? current.trialDays,
      // Archiving an archived tier keeps the moment it was first archived.
      archivedAt:
        patch.archived === undefined
          ? current.archivedAt
          : patch.archived
            ? (current.archivedAt ?? deps.clock.now())
            : null,
    };
    const billingCurrency = await tierPriceCurrency(tx, tenantId, next.currency);
    if (patch.currency !== undefined && patch.currency !== billingCurrency)
      throw validationError([
        {
          field: 'price.currency',
          message: `The tenant bills in ${billingCurrency}; change the currency of every price with PUT /v1/tenant/billing.`,
        },
      ]);
    const pricesBefore = (await activeTierPrices(tx, tenantId, [tierId])).get(tierId) ?? [];
    // A new interval without a new amount takes the price the tier already has for it.
    if (patch.interval !== undefined && patch.priceAmount === undefined && !patch.prices) {
      const existing = pricesBefore.find((p) => p.interval === next.interval);
      if (existing) next.priceAmount = existing.amount;
    }
    const desired = desiredPrices(patch, current, next, pricesBefore);
    if (desired) {
      const wrong = pricesProblem(next.interval, desired);
      if (wrong) throw validationError([{ field: patch.prices ? 'prices' : 'interval', message: wrong }]);
      // `price` mirrors the price of the tier's own interval.
      const own = desired.find((p) => p.interval === next.interval);
      if (patch.prices && own) next.priceAmount = own.amount;
    }
    const problem = priceProblem(next.interval, next.priceAmount);
    if (problem) throw validationError([{ field: 'price.amount', message: problem }]);

    const memberCount = await countTierMembers(tx, tenantId, tierId);
    // Only lowering is refused: raising the capacity of a tier already over it (an import, say) must stay possible.
    const lowered = next.capacity !== null && (current.capacity === null || next.capacity < current.capacity);
    if (lowered && next.capacity !== null && next.capacity < memberCount) {
      throw new ApiError(
        TierErrors.TIER_CAPACITY_BELOW_MEMBERS,
        `Tier ${tierId} has ${memberCount} members; its capacity cannot be lowered to ${next.capacity}. Move members to another tier first, or set a capacity of at least ${memberCount}.`,
      );
    }

    const priceChange = desired
      ? await setTierPrices(tx, deps, tenantId, tierId, desired, billingCurrency)
      : { prices: pricesBefore, created: [], archived: [] };
    const catalog: TierCatalogChange = {
      archived: priceChange.archived,
      pricesChanged: priceChange.created.length > 0 || priceChange.archived.length > 0,
      productChanged:
        next.name !== current.name ||
        next.description !== current.description ||
        (next.archivedAt === null) !== (current.archivedAt === null),
    };
    const diff = diffOf(auditFields(current, pricesBefore), auditFields({ ...current, ...next }, priceChange.prices));
    if (Object.keys(diff).length === 0) return { ...current, memberCount, prices: pricesBefore, catalog };

    const [updated] = await tx
      .update(tiers)
      .set({ ...next, updatedAt: deps.clock.now() })
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)))
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'tier.updated', targetType: 'tier', targetId: tierId, diff },
    ]);
    return { ...updated!, memberCount, prices: priceChange.prices, catalog };
  });
}

/**
 * The recurring prices a patch asks for, or null when it leaves them alone: `prices`
 * as sent; otherwise a changed `price.amount`, `interval` or `currency` moves the
 * price of the tier's own interval (a monthly tier made yearly drops its monthly price).
 */
function desiredPrices(
  patch: TierPatch,
  current: TierRow,
  next: { priceAmount: number; interval: TierInterval; currency: string },
  before: TierPriceRow[],
): TierPriceInput[] | null {
  if (patch.prices) return patch.prices;
  const changed =
    next.priceAmount !== current.priceAmount ||
    next.interval !== current.interval ||
    next.currency !== current.currency;
  if (!changed) return null;
  if (!RECURRING.includes(next.interval)) return [];
  const kept = before
    .filter((p) => p.interval !== next.interval && p.interval !== current.interval)
    .map((p) => ({ interval: p.interval, amount: p.amount }));
  return [...kept, { interval: next.interval as 'month' | 'year', amount: next.priceAmount }];
}

/**
 * Deletes a tier nobody uses. A tier held by a non-deleted member or offered by
 * a pending invite is refused with 409 TIER_IN_USE: archive it instead. Soft-
 * deleted members and accepted or revoked invites that still name the tier lose
 * that reference (the tier no longer exists to point to). Audited as `tier.deleted`.
 */
export async function deleteTier(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  tierId: string,
): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    // The lock makes concurrent assignments (which lock the tier too) wait, then find no tier.
    const current = await selectTierForUpdate(tx, tenantId, tierId);
    if (!current) throw notFound(tierId);

    const memberCount = await countTierMembers(tx, tenantId, tierId);
    const [pending] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(invites)
      .where(and(eq(invites.tenantId, tenantId), eq(invites.tierId, tierId), eq(invites.status, 'pending')));
    const pendingInvites = pending?.n ?? 0;
    if (memberCount > 0 || pendingInvites > 0) {
      const uses = [
        memberCount > 0 ? `${memberCount} ${memberCount === 1 ? 'member holds' : 'members hold'} it` : null,
        pendingInvites > 0
          ? `${pendingInvites} pending ${pendingInvites === 1 ? 'invite offers' : 'invites offer'} it`
          : null,
      ].filter((u) => u !== null);
      throw new ApiError(
        TierErrors.TIER_IN_USE,
        `Tier ${tierId} is in use (${uses.join(' and ')}), so it cannot be deleted. Archive it instead with PATCH /v1/tiers/${tierId} {"archived": true}: existing members keep it, and it is no longer offered or assignable.`,
      );
    }

    const detachedMembers = await tx
      .update(members)
      .set({ tierId: null })
      .where(and(eq(members.tenantId, tenantId), eq(members.tierId, tierId)))
      .returning({ id: members.id });
    const detachedInvites = await tx
      .update(invites)
      .set({ tierId: null })
      .where(and(eq(invites.tenantId, tenantId), eq(invites.tierId, tierId), ne(invites.status, 'pending')))
      .returning({ id: invites.id });
    await tx.delete(tiers).where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)));
    await publishMemberChanges(
      deps,
      tx,
      tenantId,
      detachedMembers.map((m) => ({ memberId: m.id, type: 'member.tier_changed' })),
    );

    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'tier.deleted',
        targetType: 'tier',
        targetId: tierId,
        diff: {
          ...auditFields(current),
          ...(detachedMembers.length > 0 ? { detached_deleted_members: detachedMembers.length } : {}),
          ...(detachedInvites.length > 0 ? { detached_closed_invites: detachedInvites.length } : {}),
        },
      },
    ]);
  });
}

/**
 * Locks a tier for giving it to a member, inside the caller's transaction, and
 * checks that it can take one more: it exists, is not archived, and is below its
 * capacity. The row stays locked until the caller's transaction ends, so
 * concurrent assignments to the same tier run one after another and cannot
 * overshoot the capacity; tier updates and deletions wait as well.
 *
 * Call it only when the member does not already hold the tier (a member already
 * holding it is counted, so re-assigning to a full tier would fail). `active`
 * is not checked: inactive tiers are not offered at sign-up, but staff may still
 * assign them.
 * @throws ApiError 404 TIER_NOT_FOUND, 409 TIER_ARCHIVED, 409 TIER_FULL
 * @example
 * await deps.db.withTenant(tenantId, async (tx) => {
 *   if (input.tierId && input.tierId !== current.tierId) await lockTierForAssignment(tx, tenantId, input.tierId);
 *   await tx.update(members).set({ tierId: input.tierId }).where(…);
 * });
 */
export async function lockTierForAssignment(tx: Tx, tenantId: string, tierId: string): Promise<TierRow> {
  const tier = await selectTierForUpdate(tx, tenantId, tierId);
  if (!tier) throw notFound(tierId);
  if (tier.archivedAt !== null) {
    throw new ApiError(
      TierErrors.TIER_ARCHIVED,
      `Tier ${tierId} is archived and cannot be assigned; unarchive it or choose another tier.`,
    );
  }
  if (tier.capacity !== null) {
    const count = await countTierMembers(tx, tenantId, tierId);
    if (count >= tier.capacity) {
      throw new ApiError(
        TierErrors.TIER_FULL,
        `Tier ${tierId} is full (${count} of ${tier.capacity} places taken); raise its capacity or choose another tier.`,
      );
    }
  }
  return tier;
}
