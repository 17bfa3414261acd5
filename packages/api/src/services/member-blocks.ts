import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { memberBlocks, members } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { MessagingErrors } from './conversation-errors.js';
import type { ServiceDeps } from './service-deps.js';

/** A block as the API returns it. */
export interface MemberBlockDto {
  object: 'member_block';
  member_id: string;
  name: string;
  created_at: string;
}

/** A live member of the tenant, or 404 `MEMBER_NOT_FOUND`. */
export async function requireLiveMember(tx: Tx, tenantId: string, memberId: string): Promise<{ name: string }> {
  const [row] = memberId.startsWith('mem_')
    ? await tx
        .select({ first: members.firstName, last: members.lastName })
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId), isNull(members.deletedAt)))
        .limit(1)
    : [];
  if (!row) throw new ApiError(MessagingErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);
  return { name: `${row.first} ${row.last}`.trim() };
}

/**
 * Whether any two of `memberIds` block each other (either way). A block stops
 * direct messages both ways and keeps them out of new groups together.
 */
export async function anyBlockBetween(tx: Tx, tenantId: string, memberIds: readonly string[]): Promise<boolean> {
  const ids = [...new Set(memberIds)];
  if (ids.length < 2) return false;
  const [row] = await tx
    .select({ memberId: memberBlocks.memberId })
    .from(memberBlocks)
    .where(
      and(
        eq(memberBlocks.tenantId, tenantId),
        inArray(memberBlocks.memberId, ids),
        inArray(memberBlocks.blockedMemberId, ids),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Whether `a` and `b` block each other either way (for sends to a new member in a group). */
export async function blockedWithAny(tx: Tx, tenantId: string, memberId: string, others: readonly string[]) {
  if (others.length === 0) return false;
  const [row] = await tx
    .select({ memberId: memberBlocks.memberId })
    .from(memberBlocks)
    .where(
      and(
        eq(memberBlocks.tenantId, tenantId),
        or(
          and(eq(memberBlocks.memberId, memberId), inArray(memberBlocks.blockedMemberId, [...others])),
          and(eq(memberBlocks.blockedMemberId, memberId), inArray(memberBlocks.memberId, [...others])),
        ),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The members `memberId` blocks, newest first, `limit + 1` after `after` (a blocked member id of the previous page). */
export async function listBlocks(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  page: { limit: number; after?: string },
): Promise<(MemberBlockDto & { id: string })[]> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const rows = await tx
      .select({
        blocked: memberBlocks.blockedMemberId,
        createdAt: memberBlocks.createdAt,
        first: members.firstName,
        last: members.lastName,
      })
      .from(memberBlocks)
      .innerJoin(
        members,
        and(eq(members.tenantId, memberBlocks.tenantId), eq(members.id, memberBlocks.blockedMemberId)),
      )
      .where(
        and(
          eq(memberBlocks.tenantId, tenantId),
          eq(memberBlocks.memberId, memberId),
          page.after ? lt(memberBlocks.blockedMemberId, page.after) : undefined,
        ),
      )
      .orderBy(desc(memberBlocks.blockedMemberId))
      .limit(page.limit + 1);
    return rows.map((r) => ({
      id: r.blocked,
      object: 'member_block' as const,
      member_id: r.blocked,
      name: `${r.first} ${r.last}`.trim(),
      created_at: r.createdAt.toISOString(),
    }));
  });
}

/** Blocks `blockedId` for `memberId` (idempotent). Blocking oneself is a 422. */
export async function blockMember(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  blockedId: string,
): Promise<MemberBlockDto> {
  if (memberId === blockedId)
    throw new ApiError(MessagingErrors.INVALID_CONVERSATION, 'A member cannot block themselves.');
  return deps.db.withTenant(tenantId, async (tx) => {
    const { name } = await requireLiveMember(tx, tenantId, blockedId);
    await tx
      .insert(memberBlocks)
      .values({ tenantId, memberId, blockedMemberId: blockedId, createdAt: deps.clock.now() })
      .onConflictDoNothing();
    const [row] = await tx
      .select({ createdAt: memberBlocks.createdAt })
      .from(memberBlocks)
      .where(
        and(
          eq(memberBlocks.tenantId, tenantId),
          eq(memberBlocks.memberId, memberId),
          eq(memberBlocks.blockedMemberId, blockedId),
        ),
      );
    return {
      object: 'member_block',
      member_id: blockedId,
      name,
      created_at: (row?.createdAt ?? deps.clock.now()).toISOString(),
    };
  });
}

/** Lifts a block (idempotent: lifting one that does not exist is fine, an unknown member a 404). */
export async function unblockMember(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  blockedId: string,
): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    const deleted = await tx
      .delete(memberBlocks)
      .where(
        and(
          eq(memberBlocks.tenantId, tenantId),
          eq(memberBlocks.memberId, memberId),
          eq(memberBlocks.blockedMemberId, blockedId),
        ),
      )
      .returning({ id: memberBlocks.blockedMemberId });
    if (deleted.length === 0) await requireLiveMember(tx, tenantId, blockedId);
  });
}
