import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import { executeRows, type Tx } from '../db/database.js';
import { auditChainHeads, auditLog, type AuditLogRow } from '../db/schema/index.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { sha256Hex } from '../lib/crypto.js';
import type { AuditContext } from './audit-context.js';
import { auditLabels, labelOf } from './audit-labels.js';
import type { ServiceDeps } from './service-deps.js';

/** One stored audit-log entry. */
export type { AuditLogRow } from '../db/schema/index.js';

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
export function diffOf(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (canonicalJson(before[key]) !== canonicalJson(after[key]))
      out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}

/** The fields every version of the entry hash covers, personal data aside. */
interface ChainedFields {
  seq: number;
  id: string;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string | null;
  occurredAt: Date;
}

/** A version 1 entry: the diff and IP hashed as they are. */
interface HashedFields extends ChainedFields {
  diff: Record<string, unknown>;
  ip: string | null;
}

/** A version 2 entry: the diff and IP enter the hash as salted commitments. */
interface CommittedFields extends ChainedFields {
  diffCommitment: string;
  ipCommitment: string;
}

/** Hash format of the entries written now (see the audit_log schema). */
export const AUDIT_HASH_VERSION = 2;

function chained(e: ChainedFields) {
  return {
    seq: e.seq,
    id: e.id,
    actor_type: e.actorType,
    actor_id: e.actorId,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    request_id: e.requestId,
    occurred_at: e.occurredAt.toISOString(),
  };
}

/** The hash of a version 1 entry: SHA-256 over the previous hash and the entry's canonical JSON. */
export function entryHash(prevHash: string, e: HashedFields): Promise<string> {
  return sha256Hex(`${prevHash}\n${canonicalJson({ ...chained(e), diff: e.diff, ip: e.ip })}`);
}

/**
 * The hash of a version 2 entry: as version 1, with the diff and the IP replaced by
 * their commitments, so they can be erased without breaking the chain.
 */
export function committedEntryHash(prevHash: string, e: CommittedFields): Promise<string> {
  return sha256Hex(
    `${prevHash}\n${canonicalJson({ ...chained(e), v: 2, diff: e.diffCommitment, ip: e.ipCommitment })}`,
  );
}

/** `sha256(salt, value)`: binds the entry to its value; without the salt, a guess cannot be checked against it. */
export function commitment(salt: string, value: unknown): Promise<string> {
  return sha256Hex(`${salt}\n${canonicalJson(value)}`);
}

/** 128 random bits, hex. */
function newSalt(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
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
    const diff = scrubSecrets(entry.diff ?? {});
    const diffSalt = newSalt();
    const ipSalt = newSalt();
    const fields: CommittedFields = {
      seq,
      id: deps.ids.generate('aud'),
      actorType: ctx.actorType,
      actorId: ctx.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      requestId: ctx.requestId,
      occurredAt,
      diffCommitment: await commitment(diffSalt, diff),
      ipCommitment: await commitment(ipSalt, ctx.ip),
    };
    const hash = await committedEntryHash(prevHash, fields);
    rows.push({
      tenantId,
      ...fields,
      diff,
      ip: ctx.ip,
      diffSalt,
      ipSalt,
      hashVersion: AUDIT_HASH_VERSION,
      prevHash,
      hash,
    });
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

/** An audit entry as read: the stored row with the current names of its actor and target (see `auditLabels`). */
export type AuditEntryView = AuditLogRow & { actorLabel: string | null; targetLabel: string | null };

/** Audit entries, newest first, filtered, labelled; `beforeSeq` is the keyset cursor. */
export function listAudit(
  deps: ServiceDeps,
  tenantId: string,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number },
): Promise<AuditEntryView[]> {
  const conditions: (SQL | undefined)[] = [
    eq(auditLog.tenantId, tenantId),
    filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
    filter.from ? gte(auditLog.occurredAt, filter.from) : undefined,
    filter.to ? lte(auditLog.occurredAt, filter.to) : undefined,
    page.beforeSeq !== undefined ? lt(auditLog.seq, page.beforeSeq) : undefined,
  ];
  return deps.db.withTenant(tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.seq))
      .limit(page.limit + 1);
    const actor = (r: AuditLogRow) => ({ type: r.actorType, id: r.actorId });
    const target = (r: AuditLogRow) => ({ type: r.targetType, id: r.targetId });
    const labels = await auditLabels(
      tx,
      tenantId,
      rows.flatMap((r) => [actor(r), target(r)]),
    );
    return rows.map((r) => ({ ...r, actorLabel: labelOf(labels, actor(r)), targetLabel: labelOf(labels, target(r)) }));
  });
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  /** Entries whose personal data was erased (their commitments still verify). */
  redacted: number;
  /** The first entry whose hash or link does not match, when invalid. */
  first_invalid_seq: number | null;
  reason: string | null;
}

/**
 * Recomputes the tenant's chain from the first entry: a changed field, a
 * deleted or inserted entry, or a head that does not match the last entry makes
 * it invalid. Reads in batches, so any length fits in memory. Writes go on
 * meanwhile: entries appended after a batch was read move the head past the last
 * entry read, so the check reads on to the head for as long as it finds new
 * entries, instead of calling the chain broken.
 */
export async function verifyAuditChain(deps: ServiceDeps, tenantId: string): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let redacted = 0;
  const invalid = (seq: number, reason: string): ChainVerification => ({
    valid: false,
    checked,
    redacted,
    first_invalid_seq: seq,
    reason,
  });
  for (let round = 0; ; round++) {
    const before = checked;
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
        const problem = await checkEntry(prevHash, row);
        if (problem) return invalid(row.seq, problem);
        if (row.redactedAt) redacted += 1;
        prevHash = row.hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (batch.length < 1000) break;
    }
    const [head] = await deps.db.withTenant(tenantId, (tx) =>
      tx.select().from(auditChainHeads).where(eq(auditChainHeads.tenantId, tenantId)),
    );
    if (!head || (head.lastSeq === checked && head.lastHash === prevHash)) break;
    // Appended since the rows were read (this round found entries, or it was the first): read on. A head
    // ahead of entries that a second look does not find means they were removed.
    const appended = head.lastSeq > checked && (checked > before || round === 0) && round < 10;
    if (!appended) return invalid(checked + 1, 'entries after the last one found are missing');
  }
  return { valid: true, checked, redacted, first_invalid_seq: null, reason: null };
}

const CHANGED = 'the entry was changed after it was written';

/** Why one entry does not verify against the previous hash, or null when it does. */
async function checkEntry(prevHash: string, row: AuditLogRow): Promise<string | null> {
  if (row.hashVersion === 1) return (await entryHash(prevHash, row)) === row.hash ? null : CHANGED;
  if (row.hashVersion !== 2 || row.diffCommitment === null || row.ipCommitment === null) return CHANGED;
  // A value is either there with its salt, matching its commitment, or erased: blank, without salt, marked redacted.
  const diffOk =
    row.diffSalt !== null
      ? (await commitment(row.diffSalt, row.diff)) === row.diffCommitment
      : row.redactedAt !== null && Object.keys(row.diff).length === 0;
  const ipOk =
    row.ipSalt !== null
      ? (await commitment(row.ipSalt, row.ip)) === row.ipCommitment
      : row.redactedAt !== null && row.ip === null;
  if (!diffOk || !ipOk) return CHANGED;
  return (await committedEntryHash(prevHash, {
    ...row,
    diffCommitment: row.diffCommitment,
    ipCommitment: row.ipCommitment,
  })) === row.hash
    ? null
    : CHANGED;
}

/**
 * Blanks the personal data in the audit entries about, or made by, a member who has
 * just been erased (in the same transaction), through the database function that
 * alone may do so. Returns how many entries were redacted.
 */
export async function redactMemberAudit(tx: Tx, memberId: string): Promise<number> {
  const [row] = await executeRows<{ redacted: number }>(
    tx.execute(sql`select memberkit_redact_member_audit(${memberId}) as redacted`),
  );
  return Number(row?.redacted ?? 0);
}

/** Number of audit entries of a tenant (for tests and the console). */
export async function countAudit(deps: ServiceDeps, tenantId: string): Promise<number> {
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    tx.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.tenantId, tenantId)),
  );
  return row?.n ?? 0;
}
