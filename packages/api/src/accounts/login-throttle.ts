import { and, eq, getTableName, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/database.js';
import { loginThrottles, sessions } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { ApiError, CommonErrors, defineErrorCodes } from '../lib/errors.js';
import type { SessionSubject as Subject } from './sessions.js';

/**
 * Password sign-in protection per (account, client) pair, in place of a per-account
 * lock (which told attackers which emails have accounts and let them lock the
 * owners out):
 *
 * - failures are counted per pair: the account is the normalized email, counted
 *   whether or not it has an account, the client its IP (both as keyed digests);
 * - after {@link LOGIN_THROTTLE.freeFailures} failures the pair slows down: each
 *   next attempt must wait twice as long as the last (1 s, 2 s, … up to a minute),
 *   earlier ones get 429 with `Retry-After`;
 * - after {@link LOGIN_THROTTLE.lockAfter} failures the pair is locked for an hour:
 *   every attempt, right password or not, gets the very answer of a wrong password
 *   (same status, code, body, and a password hash's worth of work);
 * - a client that has signed in to the account before (a session from its IP) is
 *   never locked, only slowed; other clients' failures never touch it;
 * - sign-in links, OIDC and password reset do not go through here at all.
 */
export const LOGIN_THROTTLE = {
  /** Failures are counted within this long of the first one. */
  windowMs: 60 * 60 * 1000,
  /** Failures a pair may have before attempts are slowed down. */
  freeFailures: 5,
  /** The longest wait between attempts of a slowed pair. */
  maxDelayMs: 60 * 1000,
  /** Failures in the window that lock the pair (unless its client is known). */
  lockAfter: 20,
  /** How long a lock lasts. */
  lockMs: 60 * 60 * 1000,
} as const;

/** One (account, client) pair, as stored: keyed digests only. */
export interface LoginPair {
  tenantId: string;
  subject: Subject;
  accountDigest: string;
  clientDigest: string;
  /** Whether the client could be told apart at all (no IP: every client shares one pair, which is then never locked). */
  identified: boolean;
}

/** What a guarded sign-in needs from the app's dependencies. */
export type LoginGuardDeps = Pick<AppDeps, 'db' | 'clock' | 'secretBox' | 'passwordHasher'>;

/** The account a sign-in looked up, with what the guard needs to know of it. */
export interface FoundAccount<A> {
  account: A;
  passwordHash: string | null;
  /** The client has signed in to this account before (see {@link signedInBefore}). */
  knownClient: boolean;
}

export const LoginErrors = defineErrorCodes({
  /** The answer to a wrong password, an unknown account and a locked pair alike. */
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid email or password' },
});

const invalidCredentials = () => new ApiError(LoginErrors.INVALID_CREDENTIALS, 'The email or password is not correct.');

/** The wait a pair with `failures` failures owes after its last one. */
export function loginDelayMs(failures: number): number {
  if (failures < LOGIN_THROTTLE.freeFailures) return 0;
  return Math.min(1000 * 2 ** (failures - LOGIN_THROTTLE.freeFailures), LOGIN_THROTTLE.maxDelayMs);
}

/** The pair of `email` and `clientIp` in a tenant, for members or staff. */
export async function loginPair(
  deps: Pick<AppDeps, 'secretBox'>,
  tenantId: string,
  subject: Subject,
  email: string,
  clientIp: string | null,
): Promise<LoginPair> {
  const [accountDigest, clientDigest] = await Promise.all([
    deps.secretBox.digest(email.trim().toLowerCase(), `login_account:${tenantId}:${subject}`),
    deps.secretBox.digest(clientIp ?? '', `login_client:${tenantId}`),
  ]);
  return { tenantId, subject, accountDigest, clientDigest, identified: Boolean(clientIp) };
}

/**
 * `true` when a session of `subjectId` was ever opened from `clientIp` (whatever
 * became of it): that client is the account's own and is never locked out. For
 * the select list of the account lookup, so known and unknown accounts cost the
 * same single query.
 */
export function signedInBefore(
  tenantId: string,
  subject: Subject,
  subjectId: AnyPgColumn,
  clientIp: string | null,
): SQL<boolean> {
  if (!clientIp) return sql<boolean>`false`;
  // Qualified by hand: drizzle leaves columns of a join-less query unqualified, and inside
  // this subquery a bare "id" would be the session's.
  const outer = sql`${sql.identifier(getTableName(subjectId.table))}.${sql.identifier(subjectId.name)}`;
  return sql<boolean>`exists (select 1 from ${sessions} where ${sessions.tenantId} = ${tenantId} and ${sessions.subjectType} = ${subject}
    and ${sessions.subjectId} = ${outer} and ${sessions.ip} = ${clientIp})`;
}

/** The row of one pair. */
function pairRow(pair: LoginPair): SQL | undefined {
  return and(
    eq(loginThrottles.tenantId, pair.tenantId),
    eq(loginThrottles.subjectType, pair.subject),
    eq(loginThrottles.accountDigest, pair.accountDigest),
    eq(loginThrottles.clientDigest, pair.clientDigest),
  );
}

type Gate = { state: 'open'; counted: boolean } | { state: 'slowed'; retryAfterSeconds: number } | { state: 'locked' };

async function readGate(tx: Tx, pair: LoginPair, now: Date, knownClient: boolean): Promise<Gate> {
  const [row] = await tx.select().from(loginThrottles).where(pairRow(pair));
  if (!row) return { state: 'open', counted: false };
  if (row.lockedUntil && row.lockedUntil > now && !knownClient && pair.identified) return { state: 'locked' };
  if (row.windowStart.getTime() + LOGIN_THROTTLE.windowMs <= now.getTime()) return { state: 'open', counted: true };
  const nextAt = row.lastFailureAt.getTime() + loginDelayMs(row.failures);
  if (nextAt > now.getTime())
    return { state: 'slowed', retryAfterSeconds: Math.max(1, Math.ceil((nextAt - now.getTime()) / 1000)) };
  return { state: 'open', counted: true };
}

/** Counts a failure of the pair, in its own committed transaction: it must stick although the request fails. */
async function recordFailure(deps: LoginGuardDeps, pair: LoginPair, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - LOGIN_THROTTLE.windowMs).toISOString();
  const inWindow = sql`${loginThrottles.windowStart} > ${cutoff}::timestamptz`;
  const lockUntil = new Date(now.getTime() + LOGIN_THROTTLE.lockMs).toISOString();
  await deps.db.withTenant(pair.tenantId, (tx) =>
    tx
      .insert(loginThrottles)
      .values({
        tenantId: pair.tenantId,
        subjectType: pair.subject,
        accountDigest: pair.accountDigest,
        clientDigest: pair.clientDigest,
        failures: 1,
        windowStart: now,
        lastFailureAt: now,
      })
      .onConflictDoUpdate({
        target: [
          loginThrottles.tenantId,
          loginThrottles.subjectType,
          loginThrottles.accountDigest,
          loginThrottles.clientDigest,
        ],
        set: {
          failures: sql`case when ${inWindow} then ${loginThrottles.failures} + 1 else 1 end`,
          windowStart: sql`case when ${inWindow} then ${loginThrottles.windowStart} else ${now.toISOString()}::timestamptz end`,
          lastFailureAt: now,
          // A running lock is not extended; a new one starts when the count reaches the limit.
          lockedUntil: sql`case when ${loginThrottles.lockedUntil} > ${now.toISOString()}::timestamptz then ${loginThrottles.lockedUntil}
            when ${inWindow} and ${loginThrottles.failures} + 1 >= ${LOGIN_THROTTLE.lockAfter}::int then ${lockUntil}::timestamptz else null end`,
        },
      }),
  );
}

/** Forgets the pair's failures (after a successful sign-in). */
async function clearFailures(deps: LoginGuardDeps, pair: LoginPair): Promise<void> {
  await deps.db.withTenant(pair.tenantId, (tx) => tx.delete(loginThrottles).where(pairRow(pair)));
}

/** Forgets every pair of an account (after a password reset: whoever knows the new password is its owner). */
export async function clearAccountFailures(
  tx: Tx,
  deps: Pick<AppDeps, 'secretBox'>,
  tenantId: string,
  subject: Subject,
  email: string,
): Promise<void> {
  const { accountDigest } = await loginPair(deps, tenantId, subject, email, null);
  await tx
    .delete(loginThrottles)
    .where(
      and(
        eq(loginThrottles.tenantId, tenantId),
        eq(loginThrottles.subjectType, subject),
        eq(loginThrottles.accountDigest, accountDigest),
      ),
    );
}

/** A hash of a random password: verified against when there is no real one to check, so every failure costs the same. */
let decoyHash: Promise<string> | undefined;

/**
 * Checks a password under the pair's throttle. `find` looks the account up (in the
 * same transaction as the throttle); the result is the account when the password is
 * right. Otherwise it throws 401 `INVALID_CREDENTIALS`, the same for an unknown
 * account, a wrong password and a locked pair, or 429 `RATE_LIMITED` while the pair
 * is slowed down (which happens to unknown accounts alike).
 */
export async function checkPasswordGuarded<A>(
  deps: LoginGuardDeps,
  pair: LoginPair,
  password: string,
  find: (tx: Tx) => Promise<FoundAccount<A> | null>,
): Promise<{ account: A; needsRehash: boolean }> {
  const now = deps.clock.now();
  const { found, gate } = await deps.db.withTenant(pair.tenantId, async (tx) => {
    const found = await find(tx);
    return { found, gate: await readGate(tx, pair, now, found?.knownClient ?? false) };
  });
  if (gate.state === 'slowed') {
    throw new ApiError(
      CommonErrors.RATE_LIMITED,
      `Too many failed sign-ins from here; wait ${gate.retryAfterSeconds} s and try again.`,
      {
        headers: { 'Retry-After': String(gate.retryAfterSeconds) },
      },
    );
  }
  const hash = gate.state === 'open' ? found?.passwordHash : null;
  if (!hash) {
    decoyHash ??= deps.passwordHasher.hash(crypto.randomUUID());
    await deps.passwordHasher.verify(password, await decoyHash);
    // Counted even when locked (a running lock is not extended by it): every 401 costs the same work, writes included.
    await recordFailure(deps, pair, now);
    throw invalidCredentials();
  }
  const check = await deps.passwordHasher.verify(password, hash);
  if (!check.ok) {
    await recordFailure(deps, pair, now);
    throw invalidCredentials();
  }
  if (gate.state === 'open' && gate.counted) await clearFailures(deps, pair);
  return { account: found!.account, needsRehash: check.needsRehash };
}
