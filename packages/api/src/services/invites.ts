import { and, desc, eq, gt, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../db/database.js';
import { invites, mailOutbox, members, tenants, tiers, type InviteRow } from '../db/schema/index.js';
import { sha256Hex, timingSafeEqual } from '../lib/crypto.js';
import { randomBase62 } from '../lib/encoding.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf, type AuditEntryInput } from './audit.js';
import type { AuditContext } from './audit-context.js';
import type { ServiceDeps } from './service-deps.js';

/** A stored invitation. */
export type { InviteRow } from '../db/schema/index.js';

/** Error codes of the invites resource. The tier codes match `TierErrors` so clients see one code per problem. */
export const InviteErrors = defineErrorCodes({
  INVITE_NOT_FOUND: { status: 404, title: 'Invite not found' },
  INVITE_PENDING: { status: 409, title: 'An invite to this address is already pending' },
  INVITE_NOT_PENDING: { status: 409, title: 'Invite is no longer pending' },
  MEMBER_EXISTS: { status: 409, title: 'Already a member' },
  TIER_NOT_FOUND: { status: 404, title: 'Tier not found' },
  TIER_ARCHIVED: { status: 409, title: 'Tier is archived' },
});

/** How long an invite link works after it was (re)sent. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Characters of an invite token: 40 base62 characters, about 238 bits. */
export const INVITE_TOKEN_LENGTH = 40;
const TOKEN_PATTERN = new RegExp(`^[0-9A-Za-z]{${INVITE_TOKEN_LENGTH}}$`);

/** Largest number of addresses one bulk request may invite. */
export const MAX_BULK_INVITES = 1000;

/**
 * The status a client sees. `expired` is not stored: it is a pending invite
 * whose `expires_at` has passed, so it never needs a job to flip it.
 */
export const INVITE_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/** Why one address of a bulk request was not invited. */
export const BULK_INVITE_ERROR_CODES = ['INVALID_EMAIL', 'DUPLICATE_EMAIL', 'MEMBER_EXISTS', 'INVITE_PENDING'] as const;
export type BulkInviteErrorCode = (typeof BULK_INVITE_ERROR_CODES)[number];

/** The outcome for one address of {@link createInvitesBulk}, in request order. */
export type BulkInviteOutcome =
  | { input: string; invite: InviteRow; error?: undefined }
  | { input: string; invite?: undefined; error: { code: BulkInviteErrorCode; message: string } };

/** Input of {@link createInvite}. */
export interface NewInvite {
  email: string;
  tierId?: string | null;
  message?: string | null;
  /** Language of the invitation mail; the tenant's default locale when omitted. */
  locale?: string | null;
}

/** Filters of {@link listInvites}. */
export interface InviteFilter {
  status?: InviteStatus;
  /** Exact address, compared case-insensitively. */
  email?: string;
}

/** The status of `row` at `now`. */
export function inviteStatusOf(row: Pick<InviteRow, 'status' | 'expiresAt'>, now: Date): InviteStatus {
  if (row.status === 'pending' && row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return row.status;
}

const EmailFormat = z.email();

/**
 * Trims and lower-cases an address and checks its shape; null when it is not
 * an email address. Lower-casing the local part is technically lossy, but every
 * provider that matters treats it case-insensitively, and members are unique on
 * `lower(email)` too.
 */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && EmailFormat.safeParse(email).success ? email : null;
}

/**
 * Creates an invite and queues its mail, in one transaction with its audit
 * entry. The token exists in plaintext only in the queued mail; the invite
 * stores its SHA-256.
 * @throws ApiError MEMBER_EXISTS, INVITE_PENDING, TIER_NOT_FOUND, TIER_ARCHIVED, VALIDATION_FAILED
 */
export async function createInvite(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: NewInvite,
): Promise<InviteRow> {
  const email = normalizeEmail(input.email);
  if (!email) throw validationError([{ field: 'email', message: 'Must be an email address.' }]);
  return deps.db.withTenant(tenantId, async (tx) => {
    const batch = await prepareBatch(tx, tenantId, input);
    const [outcome] = await inviteAddresses(tx, deps, tenantId, ctx, batch, [input.email]);
    if (outcome?.invite) return outcome.invite;
    const error = outcome?.error;
    if (error?.code === 'MEMBER_EXISTS') throw new ApiError(InviteErrors.MEMBER_EXISTS, error.message);
    if (error?.code === 'INVITE_PENDING') throw new ApiError(InviteErrors.INVITE_PENDING, error.message);
    throw validationError([{ field: 'email', message: error?.message ?? 'Must be an email address.' }]);
  });
}

/**
 * Invites many addresses in one transaction. Not all-or-nothing: each address
 * is invited or reported with the reason it was not (invalid, repeated in the
 * list, already a member, already invited). Request-wide problems (unknown or
 * archived tier, unsupported locale) fail the whole request.
 */
export async function createInvitesBulk(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  input: Omit<NewInvite, 'email'> & { emails: string[] },
): Promise<BulkInviteOutcome[]> {
  if (input.emails.length > MAX_BULK_INVITES) {
    throw validationError([{ field: 'emails', message: `At most ${MAX_BULK_INVITES} addresses per request.` }]);
  }
  return deps.db.withTenant(tenantId, async (tx) => {
    const batch = await prepareBatch(tx, tenantId, input);
    return inviteAddresses(tx, deps, tenantId, ctx, batch, input.emails);
  });
}

/** A tenant's invites, newest first (ids are time-ordered ULIDs); `afterId` is the keyset cursor. Fetches `limit + 1`. */
export function listInvites(
  deps: ServiceDeps,
  tenantId: string,
  filter: InviteFilter,
  page: { limit: number; afterId?: string },
): Promise<InviteRow[]> {
  const now = deps.clock.now();
  const email = filter.email?.trim().toLowerCase();
  const conditions: (SQL | undefined)[] = [
    eq(invites.tenantId, tenantId),
    filter.status ? statusCondition(filter.status, now) : undefined,
    email ? eq(sql`lower(${invites.email})`, email) : undefined,
    page.afterId ? lt(invites.id, page.afterId) : undefined,
  ];
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(invites)
      .where(and(...conditions))
      .orderBy(desc(invites.id))
      .limit(page.limit + 1),
  );
}

/** One invite of the tenant. @throws ApiError INVITE_NOT_FOUND */
export async function getInvite(deps: ServiceDeps, tenantId: string, inviteId: string): Promise<InviteRow> {
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(invites)
      .where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId))),
  );
  if (!row) throw notFound(inviteId);
  return row;
}

/**
 * Revokes a pending (or expired) invite: its link stops working and a not yet
 * sent invitation mail is withdrawn. Revoking a revoked invite returns it
 * unchanged, as a repeated DELETE should.
 * @throws ApiError INVITE_NOT_FOUND, INVITE_NOT_PENDING (accepted)
 */
export async function revokeInvite(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  inviteId: string,
): Promise<InviteRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await lockInvite(tx, tenantId, inviteId);
    if (current.status === 'revoked') return current;
    if (current.status === 'accepted') {
      throw new ApiError(
        InviteErrors.INVITE_NOT_PENDING,
        `Invite ${inviteId} was already accepted; remove the member instead.`,
      );
    }
    const now = deps.clock.now();
    const [revoked] = await tx
      .update(invites)
      .set({ status: 'revoked', revokedAt: now })
      .where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId)))
      .returning();
    await withdrawUnsentMail(tx, tenantId, inviteId);
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'invite.revoked',
        targetType: 'invite',
        targetId: inviteId,
        diff: diffOf(
          { status: inviteStatusOf(current, now), revoked_at: null },
          { status: 'revoked', revoked_at: now.toISOString() },
        ),
      },
    ]);
    return revoked!;
  });
}

/**
 * Sends a pending (or expired) invite again with a new token and a new expiry.
 * The old token stops working at once (its hash is replaced) and a not yet sent
 * earlier mail, whose link would now be dead, is withdrawn.
 * @throws ApiError INVITE_NOT_FOUND, INVITE_NOT_PENDING (accepted or revoked)
 */
export async function resendInvite(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  inviteId: string,
): Promise<InviteRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await lockInvite(tx, tenantId, inviteId);
    if (current.status !== 'pending') {
      throw new ApiError(
        InviteErrors.INVITE_NOT_PENDING,
        `Invite ${inviteId} is ${current.status}; only pending or expired invites can be resent.`,
      );
    }
    const [tenant] = await tx
      .select({ name: tenants.name, defaultLocale: tenants.defaultLocale })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    const [tier] = current.tierId
      ? await tx
          .select({ name: tiers.name })
          .from(tiers)
          .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, current.tierId)))
      : [];
    const locale = (await previousMailLocale(tx, tenantId, inviteId)) ?? tenant!.defaultLocale;

    const now = deps.clock.now();
    const token = randomBase62(INVITE_TOKEN_LENGTH);
    const [updated] = await tx
      .update(invites)
      .set({
        tokenHash: await sha256Hex(token),
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
        sendCount: sql`${invites.sendCount} + 1`,
        lastSentAt: now,
      })
      .where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId)))
      .returning();
    const row = updated!;
    await withdrawUnsentMail(tx, tenantId, inviteId);
    await tx
      .insert(mailOutbox)
      .values(inviteMail(deps, row, token, { tenantName: tenant!.name, tierName: tier?.name ?? null, locale }, now));
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'invite.resent',
        targetType: 'invite',
        targetId: inviteId,
        diff: diffOf(
          {
            expires_at: current.expiresAt.toISOString(),
            send_count: current.sendCount,
            last_sent_at: current.lastSentAt.toISOString(),
          },
          {
            expires_at: row.expiresAt.toISOString(),
            send_count: row.sendCount,
            last_sent_at: row.lastSentAt.toISOString(),
          },
        ),
      },
    ]);
    return row;
  });
}

/**
 * Finds the pending, unexpired invite a token belongs to, for accepting it.
 * Only the token's hash is looked up, and the stored hash is compared in
 * constant time as a second check (the index lookup alone would already match).
 * Runs in the caller's tenant transaction so acceptance can be atomic with it.
 *
 * @param options.now  the time to judge expiry by; the transaction's `now()` when omitted
 * @param options.lock lock the invite row (`FOR UPDATE`) so two acceptances of one token cannot both pass
 * @returns the invite, or null when the token is malformed, unknown, used, revoked or expired
 * @example
 * const invite = await findInviteByToken(tx, tenantId, token, { now: deps.clock.now(), lock: true });
 * if (!invite) throw new ApiError(…INVITE_TOKEN_INVALID…);
 */
export async function findInviteByToken(
  tx: Tx,
  tenantId: string,
  token: string,
  options: { now?: Date; lock?: boolean } = {},
): Promise<InviteRow | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const hash = await sha256Hex(token);
  const query = tx
    .select()
    .from(invites)
    .where(
      and(
        eq(invites.tenantId, tenantId),
        eq(invites.tokenHash, hash),
        eq(invites.status, 'pending'),
        gt(invites.expiresAt, options.now ?? sql`now()`),
      ),
    )
    .limit(1);
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row || !timingSafeEqual(row.tokenHash, hash)) return null;
  return row;
}

// ---------------------------------------------------------------------------

/** What every invite of one request shares: tier, message, mail locale and the names the mail shows. */
interface Batch {
  tier: { id: string; name: string } | null;
  message: string | null;
  locale: string;
  tenantName: string;
}

async function prepareBatch(tx: Tx, tenantId: string, input: Omit<NewInvite, 'email'>): Promise<Batch> {
  const [tenant] = await tx
    .select({ name: tenants.name, defaultLocale: tenants.defaultLocale, locales: tenants.locales })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`tenant ${tenantId} is not visible in its own transaction`);
  const locale = input.locale ?? tenant.defaultLocale;
  if (!tenant.locales.includes(locale)) {
    throw validationError([
      { field: 'locale', message: `Must be one of the tenant's supported locales (${tenant.locales.join(', ')}).` },
    ]);
  }
  return {
    tier: input.tierId ? await usableTier(tx, tenantId, input.tierId) : null,
    message: input.message ?? null,
    locale,
    tenantName: tenant.name,
  };
}

async function usableTier(tx: Tx, tenantId: string, tierId: string): Promise<{ id: string; name: string }> {
  // FOR SHARE: the tier cannot be archived or deleted while invites to it are being written.
  const [tier] = await tx
    .select({ id: tiers.id, name: tiers.name, archivedAt: tiers.archivedAt })
    .from(tiers)
    .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, tierId)))
    .for('share');
  if (!tier) throw new ApiError(InviteErrors.TIER_NOT_FOUND, `No tier ${tierId}.`);
  if (tier.archivedAt)
    throw new ApiError(InviteErrors.TIER_ARCHIVED, `Tier ${tierId} is archived; invite to an active tier.`);
  return { id: tier.id, name: tier.name };
}

/**
 * The heart of both create endpoints: checks each address against the list
 * itself, the tenant's members and its pending invites, then writes the
 * invites, their mails and their audit entries with one statement each.
 */
async function inviteAddresses(
  tx: Tx,
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  batch: Batch,
  inputs: string[],
): Promise<BulkInviteOutcome[]> {
  type Slot = { input: string; email: string | null; error?: { code: BulkInviteErrorCode; message: string } };
  const firstIndex = new Map<string, number>();
  const slots: Slot[] = inputs.map((input, index) => {
    const email = normalizeEmail(input);
    if (!email) return { input, email, error: { code: 'INVALID_EMAIL', message: 'Not an email address.' } };
    const first = firstIndex.get(email);
    if (first !== undefined) {
      return {
        input,
        email,
        error: { code: 'DUPLICATE_EMAIL', message: `The same address as emails[${first}]; it is invited once.` },
      };
    }
    firstIndex.set(email, index);
    return { input, email };
  });

  const candidates = [...firstIndex.keys()];
  const memberEmails = new Set<string>();
  const pending = new Map<string, Pick<InviteRow, 'id' | 'expiresAt'>>();
  if (candidates.length > 0) {
    const memberRows = await tx
      .select({ email: sql<string>`lower(${members.email})` })
      .from(members)
      .where(
        and(
          eq(members.tenantId, tenantId),
          isNull(members.deletedAt),
          inArray(sql`lower(${members.email})`, candidates),
        ),
      );
    for (const row of memberRows) memberEmails.add(row.email);
    const pendingRows = await tx
      .select({ email: sql<string>`lower(${invites.email})`, id: invites.id, expiresAt: invites.expiresAt })
      .from(invites)
      .where(
        and(
          eq(invites.tenantId, tenantId),
          eq(invites.status, 'pending'),
          inArray(sql`lower(${invites.email})`, candidates),
        ),
      );
    for (const row of pendingRows) pending.set(row.email, row);
  }

  const now = deps.clock.now();
  const pendingError = (email: string) => {
    const existing = pending.get(email);
    const which = existing ? `Invite ${existing.id}` : 'An invite';
    const state =
      existing && existing.expiresAt.getTime() <= now.getTime()
        ? 'has expired but still holds the address'
        : 'is already pending';
    const resend = existing ? `POST /v1/invites/${existing.id}/resend` : 'the resend endpoint';
    return {
      code: 'INVITE_PENDING' as const,
      message: `${which} to ${email} ${state}; resend it (${resend}) instead of creating another.`,
    };
  };

  const toInsert: { slot: Slot; token: string; values: typeof invites.$inferInsert }[] = [];
  for (const slot of slots) {
    if (slot.error || !slot.email) continue;
    if (memberEmails.has(slot.email)) {
      slot.error = { code: 'MEMBER_EXISTS', message: `${slot.email} is already a member of this tenant.` };
      continue;
    }
    if (pending.has(slot.email)) {
      slot.error = pendingError(slot.email);
      continue;
    }
    const token = randomBase62(INVITE_TOKEN_LENGTH);
    toInsert.push({
      slot,
      token,
      values: {
        tenantId,
        id: deps.ids.generate('inv'),
        email: slot.email,
        tierId: batch.tier?.id ?? null,
        message: batch.message,
        tokenHash: await sha256Hex(token),
        status: 'pending',
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
        sendCount: 1,
        lastSentAt: now,
        createdBy: ctx.actorId,
        createdAt: now,
      },
    });
  }

  const created = new Map<string, InviteRow>();
  if (toInsert.length > 0) {
    // ON CONFLICT DO NOTHING instead of catching a unique violation: an error
    // would abort the whole transaction, and a concurrent request may have
    // invited one of these addresses since the check above.
    // Rows go in sorted by address so that two requests inviting overlapping
    // addresses take the unique-index locks in the same order and cannot deadlock.
    const ordered = toInsert.map((i) => i.values).sort((x, y) => (x.email < y.email ? -1 : x.email > y.email ? 1 : 0));
    const rows = await tx.insert(invites).values(ordered).onConflictDoNothing().returning();
    for (const row of rows) created.set(row.id, row);
  }

  const mails: (typeof mailOutbox.$inferInsert)[] = [];
  const audit: AuditEntryInput[] = [];
  const outcomes = new Map<Slot, BulkInviteOutcome>();
  for (const { slot, token, values } of toInsert) {
    const row = created.get(values.id!);
    if (!row) {
      slot.error = pendingError(slot.email!);
      continue;
    }
    mails.push(
      inviteMail(
        deps,
        row,
        token,
        { tenantName: batch.tenantName, tierName: batch.tier?.name ?? null, locale: batch.locale },
        now,
      ),
    );
    audit.push({
      action: 'invite.created',
      targetType: 'invite',
      targetId: row.id,
      diff: diffOf(
        {},
        {
          email: row.email,
          tier_id: row.tierId,
          message: row.message,
          status: 'pending',
          expires_at: row.expiresAt.toISOString(),
        },
      ),
    });
    outcomes.set(slot, { input: slot.input, invite: row });
  }
  if (mails.length > 0) await tx.insert(mailOutbox).values(mails);
  await appendAudit(tx, deps, tenantId, ctx, audit);

  return slots.map((slot) => outcomes.get(slot) ?? { input: slot.input, error: slot.error! });
}

/**
 * The queued invitation mail. This row is the ONLY place the plaintext token
 * ever lives: the delivery worker must scrub `data.token` (and may drop the row)
 * once the mail is sent, so a database dump holds no usable invite links.
 */
function inviteMail(
  deps: ServiceDeps,
  invite: InviteRow,
  token: string,
  names: { tenantName: string; tierName: string | null; locale: string },
  now: Date,
): typeof mailOutbox.$inferInsert {
  return {
    tenantId: invite.tenantId,
    id: deps.ids.generate('mail'),
    template: 'invite',
    toAddress: invite.email,
    locale: names.locale,
    data: {
      invite_id: invite.id,
      token,
      tenant_name: names.tenantName,
      tier_name: names.tierName,
      message: invite.message,
      expires_at: invite.expiresAt.toISOString(),
    },
    status: 'pending',
    nextAttemptAt: now,
    createdAt: now,
  };
}

/**
 * Deletes the invite's mails that were not picked up yet: after a resend or a
 * revocation their link is dead, and deleting them also deletes the old
 * plaintext token. Mails already being sent are left to the worker.
 */
async function withdrawUnsentMail(tx: Tx, tenantId: string, inviteId: string): Promise<void> {
  await tx
    .delete(mailOutbox)
    .where(
      and(
        eq(mailOutbox.tenantId, tenantId),
        eq(mailOutbox.status, 'pending'),
        eq(mailOutbox.template, 'invite'),
        sql`${mailOutbox.data}->>'invite_id' = ${inviteId}`,
      ),
    );
}

/**
 * The locale of the invite's latest mail, so a resend speaks the invitee's
 * language. The invite itself has no locale column (yet); once sent mails are
 * purged this falls back to the tenant default.
 */
async function previousMailLocale(tx: Tx, tenantId: string, inviteId: string): Promise<string | null> {
  const [mail] = await tx
    .select({ locale: mailOutbox.locale })
    .from(mailOutbox)
    .where(
      and(
        eq(mailOutbox.tenantId, tenantId),
        eq(mailOutbox.template, 'invite'),
        sql`${mailOutbox.data}->>'invite_id' = ${inviteId}`,
      ),
    )
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .limit(1);
  return mail?.locale ?? null;
}

async function lockInvite(tx: Tx, tenantId: string, inviteId: string): Promise<InviteRow> {
  const [row] = await tx
    .select()
    .from(invites)
    .where(and(eq(invites.tenantId, tenantId), eq(invites.id, inviteId)))
    .for('update');
  if (!row) throw notFound(inviteId);
  return row;
}

function statusCondition(status: InviteStatus, now: Date): SQL {
  switch (status) {
    case 'pending':
      return and(eq(invites.status, 'pending'), gt(invites.expiresAt, now))!;
    case 'expired':
      return and(eq(invites.status, 'pending'), lte(invites.expiresAt, now))!;
    default:
      return eq(invites.status, status);
  }
}

function notFound(inviteId: string): ApiError {
  return new ApiError(InviteErrors.INVITE_NOT_FOUND, `No invite ${inviteId}.`);
}
