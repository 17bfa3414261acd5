import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { mailOutbox, tenants } from '../db/schema/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createPeriodicLoop } from '../lib/periodic-loop.js';
import {
  composeOutboxMail,
  OutboxDataError,
  scrubSecrets,
  type ComposeOptions,
  type MailTenant,
} from './outbox-mail.js';
import type { MailMessage, MailTransport } from './transport.js';

/*
 * Delivery semantics: at most once while the worker lives, at least once
 * across a crash.
 *
 * A mail is claimed in a short platform transaction (`FOR UPDATE SKIP LOCKED`,
 * so concurrent workers never claim the same row) that sets it to `sending`
 * with a lease: `next_attempt_at` becomes now + `sendingTimeoutMs`. It is sent
 * after that transaction commits, so no database connection or row lock is
 * held while an SMTP server takes its time, and then marked `sent` or
 * `pending` (retry) by a second short transaction. Every mark is fenced on
 * `status = 'sending' AND attempts = <the claimed attempt>`, so a worker whose
 * lease was taken over can never overwrite the newer outcome.
 *
 * The one window for a duplicate is a worker dying (or losing the database)
 * after the server accepted a mail and before the `sent` mark. Such a row stays
 * `sending`; it is not retried until its lease expires (15 minutes by default,
 * far beyond any send: the SMTP transport gives up after seconds), and is then
 * claimed and sent again, counting as another attempt. We chose that over
 * failing such rows because a lost sign-in, verification or invitation mail
 * strands the member, while a rare second copy of the same link is harmless:
 * it carries the same token and the same Message-ID, which lets many
 * receivers fold the two.
 */

/** Delays before the 1st, 2nd, … retry: 1 min, 5 min, 30 min, 2 h, 6 h, then 12 h. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
];

/** Options of {@link createMailDeliveryWorker}. */
export interface MailDeliveryWorkerOptions extends ComposeOptions {
  db: Database;
  transport: MailTransport;
  clock: Clock;
  logger: Logger;
  /** Mails claimed per run. Default 20. */
  batchSize?: number;
  /** Sends in flight at once within a run. Default 4. */
  concurrency?: number;
  /** Attempts before a mail is `failed` for good. Default 6 (the last about 8.6 h after the first). */
  maxAttempts?: number;
  /** How long a claimed mail may stay `sending` before another run may send it again. Default 15 min. */
  sendingTimeoutMs?: number;
  /** Backoff schedule; the last entry repeats. Default {@link DEFAULT_RETRY_DELAYS_MS}. */
  retryDelaysMs?: readonly number[];
  /** Each delay is stretched or shrunk by up to this fraction, so failed mails do not retry in lockstep. Default 0.2. */
  jitter?: number;
  /** Source of randomness for the jitter, in [0, 1). Injected by tests. */
  random?: () => number;
  /**
   * Claim mail of these tenants only: a dedicated worker for one large tenant,
   * or tests sharing a database with other suites. All tenants when omitted.
   */
  onlyTenants?: readonly string[];
}

/** What one run did. */
export interface MailRunResult {
  sent: number;
  /** Given up for good: out of attempts, or data no retry can fix. */
  failed: number;
  /** Failed this time, back to `pending` with a later `next_attempt_at`. */
  retried: number;
}

/** Sends queued mail from `mail_outbox`. */
export interface MailDeliveryWorker {
  /** Claims one batch of due mail across tenants, sends it, and records each outcome. */
  runOnce(): Promise<MailRunResult>;
  /**
   * Runs every `intervalMs` until {@link MailDeliveryWorker.stop}; a run that
   * found a full batch is followed at once by the next. Runs never overlap.
   */
  start(intervalMs: number): void;
  /** Stops the loop and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

type OutboxRow = typeof mailOutbox.$inferSelect;
type Outcome = keyof MailRunResult;

/**
 * Creates the worker that delivers `mail_outbox` rows of every tenant, as the
 * platform role (`db.withPlatform`). Several workers, in one process or many,
 * may run against one database.
 * @example
 * const worker = createMailDeliveryWorker({ db, transport, clock, logger, from: 'no-reply@example.org', linkBaseUrl: 'https://members.example.org' });
 * worker.start(5_000);
 * // on shutdown:
 * await worker.stop();
 */
export function createMailDeliveryWorker(options: MailDeliveryWorkerOptions): MailDeliveryWorker {
  const { db, transport, clock, logger } = options;
  const batchSize = positiveInteger(options.batchSize ?? 20, 'batchSize');
  const concurrency = positiveInteger(options.concurrency ?? 4, 'concurrency');
  const maxAttempts = positiveInteger(options.maxAttempts ?? 6, 'maxAttempts');
  const sendingTimeoutMs = positiveInteger(options.sendingTimeoutMs ?? 15 * 60_000, 'sendingTimeoutMs');
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  if (retryDelaysMs.length === 0 || retryDelaysMs.some((ms) => !(ms >= 0)))
    throw new Error('retryDelaysMs must be a non-empty list of delays');
  const jitter = options.jitter ?? 0.2;
  if (!(jitter >= 0 && jitter < 1)) throw new Error('jitter must be in [0, 1)');
  const random = options.random ?? Math.random;
  if (typeof options.linkBaseUrl === 'string' && !/^https?:\/\/[^/]/.test(options.linkBaseUrl)) {
    throw new Error(`linkBaseUrl must be an http(s) URL, got "${options.linkBaseUrl}"`);
  }
  const onlyTenants = options.onlyTenants ? [...options.onlyTenants] : null;
  const compose: ComposeOptions = {
    from: options.from,
    linkBaseUrl: options.linkBaseUrl,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  };

  /** Claims due rows and loads their tenants, in one short transaction. */
  async function claim(): Promise<{ rows: (OutboxRow & { reclaimed: boolean })[]; tenants: Map<string, MailTenant> }> {
    const now = clock.now();
    return db.withPlatform(async (tx) => {
      const due = await tx
        .select({ tenantId: mailOutbox.tenantId, id: mailOutbox.id, status: mailOutbox.status })
        .from(mailOutbox)
        .where(
          and(
            // `sending` rows are due only once their lease (next_attempt_at) has run out.
            inArray(mailOutbox.status, ['pending', 'sending']),
            lte(mailOutbox.nextAttemptAt, now),
            onlyTenants ? inArray(mailOutbox.tenantId, onlyTenants) : undefined,
          ),
        )
        .orderBy(mailOutbox.nextAttemptAt)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      if (due.length === 0) return { rows: [], tenants: new Map() };

      const keys = sql.join(
        due.map((row) => sql`(${row.tenantId}, ${row.id})`),
        sql`, `,
      );
      const claimed = await tx
        .update(mailOutbox)
        .set({
          status: 'sending',
          attempts: sql`${mailOutbox.attempts} + 1`,
          nextAttemptAt: new Date(now.getTime() + sendingTimeoutMs),
        })
        .where(sql`(${mailOutbox.tenantId}, ${mailOutbox.id}) in (${keys})`)
        .returning();
      const tenantRows = await tx
        .select({
          id: tenants.id,
          slug: tenants.slug,
          name: tenants.name,
          branding: tenants.branding,
          defaultLocale: tenants.defaultLocale,
        })
        .from(tenants)
        .where(inArray(tenants.id, [...new Set(claimed.map((row) => row.tenantId))]));

      const wasSending = new Set(
        due.filter((row) => row.status === 'sending').map((row) => `${row.tenantId}/${row.id}`),
      );
      return {
        rows: claimed.map((row) => ({ ...row, reclaimed: wasSending.has(`${row.tenantId}/${row.id}`) })),
        tenants: new Map(tenantRows.map((tenant) => [tenant.id, tenant])),
      };
    });
  }

  /** Records an outcome, fenced on the attempt this worker claimed. False when the lease was lost meanwhile. */
  async function mark(
    row: OutboxRow,
    set: Partial<Pick<OutboxRow, 'status' | 'nextAttemptAt' | 'sentAt' | 'data'>>,
  ): Promise<boolean> {
    const updated = await db.withPlatform((tx) =>
      tx
        .update(mailOutbox)
        .set(set)
        .where(
          and(
            eq(mailOutbox.tenantId, row.tenantId),
            eq(mailOutbox.id, row.id),
            eq(mailOutbox.status, 'sending'),
            eq(mailOutbox.attempts, row.attempts),
          ),
        )
        .returning({ id: mailOutbox.id }),
    );
    return updated.length === 1;
  }

  function retryDelay(attempt: number): number {
    const base = retryDelaysMs[Math.min(attempt, retryDelaysMs.length) - 1]!;
    return Math.round(base * (1 - jitter + 2 * jitter * random()));
  }

  /** Delivers one claimed row and records the outcome; never throws. */
  async function deliver(
    row: OutboxRow & { reclaimed: boolean },
    tenant: MailTenant | undefined,
  ): Promise<Outcome | null> {
    // Never the address, the data or the body: ids and the outcome are enough to trace a mail.
    const fields = { mail_id: row.id, tenant_id: row.tenantId, template: row.template, attempt: row.attempts };

    const giveUp = async (reason: string): Promise<Outcome | null> => {
      const recorded = await mark(row, { status: 'failed', data: scrubSecrets(row.data) });
      logger.error('mail delivery', { ...fields, outcome: recorded ? 'failed' : 'lease_lost', reason });
      return recorded ? 'failed' : null;
    };
    const retryOrGiveUp = async (reason: string): Promise<Outcome | null> => {
      if (row.attempts >= maxAttempts) return giveUp(reason);
      const nextAttemptAt = new Date(clock.now().getTime() + retryDelay(row.attempts));
      const recorded = await mark(row, { status: 'pending', nextAttemptAt });
      logger.warn('mail delivery', {
        ...fields,
        outcome: recorded ? 'retry' : 'lease_lost',
        next_attempt_at: nextAttemptAt.toISOString(),
        reason,
      });
      return recorded ? 'retried' : null;
    };

    let message: MailMessage;
    try {
      if (row.reclaimed)
        logger.warn('mail lease expired; the previous attempt may or may not have been delivered', fields);
      if (row.attempts > maxAttempts) return await giveUp('lease expired on the last attempt');
      if (!tenant) return await giveUp('tenant not found');
      try {
        message = composeOutboxMail(row, tenant, compose);
      } catch (error) {
        // Bad data fails for good; anything else is our bug, and a fixed deploy may yet send the mail.
        return error instanceof OutboxDataError
          ? await giveUp(error.message)
          : await retryOrGiveUp(`render failed: ${describe(error)}`);
      }
    } catch (error) {
      return recordingFailed(fields, error);
    }

    let messageId: string;
    try {
      ({ messageId } = await transport.send(message));
    } catch (error) {
      try {
        return await retryOrGiveUp(`send failed: ${describe(error)}`);
      } catch (recordError) {
        return recordingFailed(fields, recordError);
      }
    }

    // The mail is out. Losing this mark means sending it again after the lease,
    // so a brief database hiccup gets a few quick retries.
    for (let attempt = 0; ; attempt++) {
      try {
        const recorded = await mark(row, { status: 'sent', sentAt: clock.now(), data: scrubSecrets(row.data) });
        logger.info('mail delivery', {
          ...fields,
          outcome: recorded ? 'sent' : 'sent_lease_lost',
          message_id: messageId,
        });
        return 'sent';
      } catch (error) {
        if (attempt >= 2) {
          logger.error('mail delivery', {
            ...fields,
            outcome: 'sent_unrecorded',
            message_id: messageId,
            reason: describe(error),
          });
          return 'sent';
        }
        await new Promise((resolve) => setTimeout(resolve, 250 * 4 ** attempt));
      }
    }
  }

  /** The database failed while recording an outcome: the row stays `sending`, and its lease decides what happens next. */
  function recordingFailed(fields: Record<string, unknown>, error: unknown): null {
    logger.error('mail delivery', { ...fields, outcome: 'unrecorded', reason: describe(error) });
    return null;
  }

  /** One run; also reports how many rows it claimed, so the loop knows whether more are waiting. */
  async function runBatch(): Promise<{ result: MailRunResult; claimed: number }> {
    const result: MailRunResult = { sent: 0, failed: 0, retried: 0 };
    if (onlyTenants?.length === 0) return { result, claimed: 0 };
    const { rows, tenants: tenantsById } = await claim();
    let next = 0;
    const lane = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        const outcome = await deliver(row, tenantsById.get(row.tenantId));
        if (outcome) result[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    return { result, claimed: rows.length };
  }

  const loop = createPeriodicLoop(
    async () => (await runBatch()).claimed >= batchSize,
    (error) => logger.error('mail delivery run failed', { reason: describe(error) }),
  );

  return {
    runOnce: async () => (await runBatch()).result,
    start: (intervalMs) => loop.start(intervalMs),
    stop: () => loop.stop(),
  };
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** An error as one short log value. Transport errors carry the server's reply, never the message. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
