import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { type Database, executeRows, onCommit, type Tx } from '../db/database.js';
import { realtimeEvents, realtimeSequences } from '../db/schema/index.js';
import type { RealtimeEvent, RealtimeEventInput } from './types.js';

/** What a committed append announces in this process: the tenant, its new high-water mark, the events. */
export interface CommittedEvents {
  tenantId: string;
  seq: number;
  events: RealtimeEvent[];
}

type CommitListener = (committed: CommittedEvents) => void;
const listeners = new WeakMap<Database, Set<CommitListener>>();

/**
 * Listens to appends committed through `db` in this process (the dispatcher does,
 * to deliver them and tell the other processes). Returns the unsubscribe function.
 */
export function subscribeCommits(db: Database, listener: CommitListener): () => void {
  let set = listeners.get(db);
  if (!set) {
    set = new Set();
    listeners.set(db, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Appends events to the tenant's real-time log in the caller's transaction; after
 * commit they are announced to this process's dispatcher (and through the bus to
 * the others). Taking sequence numbers locks the tenant's sequence row until the
 * transaction ends: append as late in the transaction as you can.
 *
 * @example
 * await appendEvents(deps, tx, tenantId, [{ topic: TOPICS.members, type: 'member.updated', data: memberJson }]);
 */
export async function appendEvents(
  deps: { db: Database },
  tx: Tx,
  tenantId: string,
  inputs: readonly RealtimeEventInput[],
): Promise<RealtimeEvent[]> {
  if (inputs.length === 0) return [];
  const count = inputs.length;
  const [sequence] = await executeRows<{ epoch: string; last_seq: string | number }>(
    tx.execute(sql`
      insert into realtime_sequences (tenant_id, epoch, last_seq)
      values (${tenantId}, ${newEpoch()}, ${count})
      on conflict (tenant_id) do update set last_seq = realtime_sequences.last_seq + ${count}
      returning epoch, last_seq`),
  );
  if (!sequence) throw new Error('realtime sequence not allocated');
  const last = Number(sequence.last_seq);
  const first = last - count + 1;
  const rows = await tx
    .insert(realtimeEvents)
    .values(
      inputs.map((input, i) => ({ tenantId, seq: first + i, topic: input.topic, type: input.type, data: input.data })),
    )
    .returning({ seq: realtimeEvents.seq, createdAt: realtimeEvents.createdAt });
  const events = inputs.map(
    (input, i): RealtimeEvent => ({
      tenantId,
      seq: first + i,
      epoch: sequence.epoch,
      topic: input.topic,
      type: input.type,
      data: input.data,
      createdAt: (rows[i]?.createdAt ?? new Date()).toISOString(),
    }),
  );
  onCommit(tx, () => {
    for (const listener of listeners.get(deps.db) ?? []) listener({ tenantId, seq: last, events });
  });
  return events;
}

/**
 * Deletes the live events about one member (their private topic, and staff's
 * `members` events carrying their data): part of erasing the member. Streams that
 * resume across the gap simply see fewer events.
 */
export async function forgetMemberEvents(tx: Tx, tenantId: string, memberId: string): Promise<void> {
  await tx
    .delete(realtimeEvents)
    .where(
      and(
        eq(realtimeEvents.tenantId, tenantId),
        sql`(${realtimeEvents.topic} = ${`member.${memberId}`} or (${realtimeEvents.topic} = 'members' and ${realtimeEvents.data}->>'id' = ${memberId}) or ${realtimeEvents.data}->>'member_id' = ${memberId})`,
      ),
    );
}

/** Where a tenant's log stands: its epoch, its newest sequence number, and how far it was pruned. */
export interface LogPosition {
  epoch: string;
  lastSeq: number;
  prunedThrough: number;
}

/** The tenant's log position; null when the tenant never had an event. */
export async function readLogPosition(tx: Tx, tenantId: string): Promise<LogPosition | null> {
  const [row] = await tx.select().from(realtimeSequences).where(eq(realtimeSequences.tenantId, tenantId));
  return row ? { epoch: row.epoch, lastSeq: row.lastSeq, prunedThrough: row.prunedThrough } : null;
}

/**
 * Committed events after `afterSeq`, in order, at most `limit`; only `topics` when given.
 * Runs in the caller's transaction (tenant-scoped, or platform for the dispatcher).
 */
export async function readEventsSince(
  tx: Tx,
  tenantId: string,
  epoch: string,
  afterSeq: number,
  options: { topics?: readonly string[]; limit?: number } = {},
): Promise<RealtimeEvent[]> {
  const rows = await tx
    .select()
    .from(realtimeEvents)
    .where(
      and(
        eq(realtimeEvents.tenantId, tenantId),
        gt(realtimeEvents.seq, afterSeq),
        options.topics ? inArray(realtimeEvents.topic, [...options.topics]) : undefined,
      ),
    )
    .orderBy(asc(realtimeEvents.seq))
    .limit(options.limit ?? 1000);
  return rows.map((row) => ({
    tenantId,
    seq: row.seq,
    epoch,
    topic: row.topic,
    type: row.type,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** The id an event carries on the wire (`<epoch>-<seq>`), and its parse (null: not one of ours). */
export function eventId(event: Pick<RealtimeEvent, 'epoch' | 'seq'>): string {
  return `${event.epoch}-${event.seq}`;
}

export function parseEventId(id: string): { epoch: string; seq: number } | null {
  const match = /^([0-9a-z]{8,32})-(\d{1,15})$/.exec(id);
  if (!match?.[1] || !match[2]) return null;
  return { epoch: match[1], seq: Number(match[2]) };
}

/** A new epoch: 16 random base-36 characters. */
function newEpoch(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}
