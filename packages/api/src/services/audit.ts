import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { auditChainHeads, auditLog, type AuditLogRow } from '../db/schema/index.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { sha256Hex } from '../lib/crypto.js';
import type { AuditContext } from './audit-context.js';
import type { ServiceDeps } from './service-deps.js';

/** The hash a tenant's first entry chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** Keys never written into a diff, whatever a caller passes. */
const SECRET_KEYS = /password|secret|token|hash|key$/i;

export interface AuditEntryInput {
  action: string;
  targetType: string;
  targetId: string;
  diff?: Record<string, unknown>;
}

/** Drops secret-looking keys from a diff at any depth. */
export function scrubSecrets(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(key)) continue;
    out[key] = v && typeof v === 'object' && !Array.isArray(v) ? scrubSecrets(v as Record<string, unknown>) : v;
  }
  return out;
}

/** `{ field: { from, to } }` for each field whose value changed. */
export function diffOf(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (canonicalJson(before[key]) !== canonicalJson(after[key])) out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}

interface HashedFields {
  seq: number;
  id: string;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  diff: Record<string, unknown>;
  requestId: string | null;
  ip: string | null;
  occurredAt: Date;
}

/** The hash of one entry: SHA-256 over the previous hash and the entry's canonical JSON. */
export function entryHash(prevHash: string, e: HashedFields): Promise<string> {
  return sha256Hex(
    `${prevHash}\n${canonicalJson({
      seq: e.seq,
      id: e.id,
      actor_type: e.actorType,
      actor_id: e.actorId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      diff: e.diff,
      request_id: e.requestId,
      ip: e.ip,
      occurred_at: e.occurredAt.toISOString(),
    })}`,
  );
}

/**
 * Appends entries to the tenant's audit chain inside the caller's transaction,
 * so an entry exists exactly when its change does. The chain head row is locked
 * for the rest of the transaction: appends of one tenant are serialized.
 */
export async function appendAudit(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  tenantId: string,
  ctx: AuditContext,
  entries: AuditEntryInput[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(auditChainHeads).values({ tenantId, lastSeq: 0, lastHash: GENESIS_HASH }).onConflictDoNothing();
  const [head] = await tx.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenantId)).for('update');
  let seq = head!.lastSeq;
  let prevHash = head!.lastHash;
  const occurredAt = deps.clock.now();
  const rows: (typeof auditLog.$inferInsert)[] = [];
  for (const entry of entries) {
    seq += 1;
    const fields: HashedFields = {
      seq,
      id: deps.ids.generate('aud'),
      actorType: ctx.actorType,
      actorId: ctx.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      diff: scrubSecrets(entry.diff ?? {}),
      requestId: ctx.requestId,
      ip: ctx.ip,
      occurredAt,
    };
    const hash = await entryHash(prevHash, fields);
    rows.push({ tenantId, ...fields, prevHash, hash });
    prevHash = hash;
  }
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(auditLog).values(rows.slice(i, i + 1000));
  await tx
    .update(auditChainHeads)
    .set({ lastSeq: seq, lastHash: prevHash, updatedAt: occurredAt })
    .where(eq(auditChainHeads.tenantId, tenantId));
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** Audit entries, newest first, filtered; `beforeSeq` is the keyset cursor. */
export function listAudit(deps: ServiceDeps, tenantId: string, filter: AuditFilter, page: { limit: number; beforeSeq?: number }): Promise<AuditLogRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(auditLog.tenantId, tenantId),
    filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
    filter.from ? gte(auditLog.occurredAt, filter.from) : undefined,
    filter.to ? lte(auditLog.occurredAt, filter.to) : undefined,
    page.beforeSeq !== undefined ? lt(auditLog.seq, page.beforeSeq) : undefined,
  ];
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.seq))
      .limit(page.limit + 1),
  );
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  /** The first entry whose hash or link does not match, when invalid. */
  first_invalid_seq: number | null;
  reason: string | null;
}

/**
 * Recomputes the tenant's chain from the first entry: a changed field, a
 * deleted or inserted entry, or a head that does not match the last entry makes
 * it invalid. Reads in batches, so any length fits in memory.
 */
export async function verifyAuditChain(deps: ServiceDeps, tenantId: string): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const invalid = (seq: number, reason: string): ChainVerification => ({ valid: false, checked, first_invalid_seq: seq, reason });
  for (;;) {
    const batch = await deps.db.withTenant(tenantId, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, tenantId), gte(auditLog.seq, expectedSeq)))
        .orderBy(asc(auditLog.seq))
        .limit(1000),
    );
    for (const row of batch) {
      if (row.seq !== expectedSeq) return invalid(expectedSeq, `entry ${expectedSeq} is missing`);
      if (row.prevHash !== prevHash) return invalid(row.seq, 'the link to the previous entry does not match');
      if ((await entryHash(prevHash, row)) !== row.hash) return invalid(row.seq, 'the entry was changed after it was written');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (batch.length < 1000) break;
  }
  const [head] = await deps.db.withTenant(tenantId, (tx) => tx.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenantId)));
  if (head && (head.lastSeq !== checked || head.lastHash !== prevHash)) {
    return invalid(checked + 1, 'entries after the last one found are missing');
  }
  return { valid: true, checked, first_invalid_seq: null, reason: null };
}

/** Number of audit entries of a tenant (for tests and the console). */
export async function countAudit(deps: ServiceDeps, tenantId: string): Promise<number> {
  const [row] = await deps.db.withTenant(tenantId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.tenantId, tenantId)));
  return row?.n ?? 0;
}
