import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { refreshTokenUses, sessions, type SESSION_SUBJECTS } from '../db/schema/index.js';
import { sha256Hex } from '../lib/crypto.js';
import { base62Encode, randomBase62 } from '../lib/encoding.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { idBody, isIdBody, type IdGenerator } from '../lib/ids.js';
import type { AppDeps } from '../deps.js';
import { appendAudit } from '../services/audit.js';
import type { SecretBox } from '../lib/secret-box.js';

export const SessionErrors = defineErrorCodes({
  INVALID_REFRESH_TOKEN: { status: 401, title: 'Invalid refresh token' },
  REFRESH_TOKEN_REUSED: { status: 401, title: 'Refresh token reused' },
  SESSION_NOT_FOUND: { status: 404, title: 'Session not found' },
});

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * How long a rotated refresh token may be presented again, by the client that rotated
 * it, and get the same successor instead of ending the session: two tabs waking up
 * refresh at once (Supabase's refresh token reuse interval is the same idea).
 */
export const REFRESH_REUSE_GRACE_MS = 10 * 1000;

/** Rotations a replay within the grace window follows to reach the session's current token. */
const MAX_GRACE_HOPS = 4;

export type SessionSubject = (typeof SESSION_SUBJECTS)[number];
export type SessionRow = typeof sessions.$inferSelect;

export interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
  /** The publishable key the sign-in came through: its origins then also accept the session's tokens. */
  publishableKeyId?: string | null;
}

/**
 * A session's first refresh token: `rt_` + the tenant id body + 43 random base62
 * characters (256 bits), routed to its tenant, unguessable. Later ones are derived
 * from their predecessor ({@link successorOf}), in the same format.
 */
function newRefreshToken(tenantId: string): string {
  return `rt_${idBody(tenantId)}${randomBase62(43)}`;
}

/** The tenant a refresh token claims to belong to (verified by its hash, never trusted alone). */
export function refreshTokenTenant(token: string): string | null {
  const body = /^rt_([0-9a-z]{26})[0-9A-Za-z]{43}$/.exec(token)?.[1];
  return body && isIdBody(body) ? `tnt_${body}` : null;
}

/** Opens a session in the caller's transaction and returns its first refresh token. */
export async function createSession(
  tx: Tx,
  deps: { ids: IdGenerator; now: Date },
  tenantId: string,
  subject: SessionSubject,
  subjectId: string,
  meta: SessionMeta,
): Promise<{ session: SessionRow; refreshToken: string }> {
  const refreshToken = newRefreshToken(tenantId);
  const [session] = await tx
    .insert(sessions)
    .values({
      tenantId,
      id: deps.ids.generate('ses'),
      subjectType: subject,
      subjectId,
      refreshHash: await sha256Hex(refreshToken),
      createdAt: deps.now,
      lastUsedAt: deps.now,
      expiresAt: new Date(deps.now.getTime() + REFRESH_TOKEN_TTL_MS),
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip ?? null,
      publishableKeyId: meta.publishableKeyId ?? null,
    })
    .returning();
  return { session: session!, refreshToken };
}

export type RotationResult =
  /** `replayed`: the token was rotated moments ago by the same client; this is the same successor again. */
  | { outcome: 'rotated'; session: SessionRow; refreshToken: string; replayed: boolean }
  | { outcome: 'reused'; session: SessionRow }
  | { outcome: 'invalid' };

/** Who presents a refresh token, and where: nothing is changed unless the token belongs there. */
export interface RotationRequest {
  /** The tenant of the credential the token came with. */
  tenantId: string;
  /** The kind of session the endpoint renews. */
  subject: SessionSubject;
  /** The presenting client (user agent and IP), to which the reuse grace is bound. */
  client: SessionMeta;
}

/**
 * The token that replaces `token`: derived from it under a key derived from the master
 * key (`SecretBox.digest`), so a replay within the grace window gets the same one back
 * without it being stored anywhere, and nobody without the key can compute it.
 */
async function successorOf(secretBox: SecretBox, tenantId: string, token: string): Promise<string> {
  const hex = await secretBox.digest(token, `refresh_successor:${tenantId}`);
  const bytes = Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
  return `rt_${idBody(tenantId)}${base62Encode(bytes, 43)}`;
}

/**
 * A keyed digest of the client presenting a token: its user agent and IP. Both, because
 * the grace hands out a live token, so it should go to the very client that rotated
 * (two tabs of one browser share both); a thief replaying a stolen token within the
 * window from elsewhere gets reuse detection. An IP change within 10 s is rare, and
 * costs only what every reuse cost before: signing in again.
 */
function clientDigest(secretBox: SecretBox, tenantId: string, client: SessionMeta): Promise<string> {
  return secretBox.digest(`${client.userAgent ?? ''}\n${client.ip ?? ''}`, `refresh_client:${tenantId}`);
}

/**
 * Exchanges a refresh token for a new one (rotation), after checking it belongs to
 * the expected tenant and kind of session: a token presented in the wrong place is
 * invalid there and stays usable where it belongs. A token already exchanged is
 * reuse, a sign it was stolen, and revokes the whole session (ASVS 5.0 10.4.5; the
 * caller audits it; the revocation commits although the request fails), except
 * when the client that rotated it presents it again within
 * {@link REFRESH_REUSE_GRACE_MS}: then it gets the session's current token again.
 */
export async function rotateRefreshToken(
  deps: { db: Database; secretBox: SecretBox },
  now: Date,
  presented: string,
  expected: RotationRequest,
): Promise<RotationResult> {
  const tenantId = refreshTokenTenant(presented);
  if (!tenantId || tenantId !== expected.tenantId) return { outcome: 'invalid' };
  const [hash, client] = await Promise.all([
    sha256Hex(presented),
    clientDigest(deps.secretBox, tenantId, expected.client),
  ]);
  return deps.db.withTenant(tenantId, async (tx) => {
    // Concurrent refreshes of one token queue here; the losers then find it used, by the winner.
    const [session] = await tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.refreshHash, hash)))
      .for('update');
    if (session) {
      if (session.subjectType !== expected.subject || session.revokedAt || session.expiresAt <= now)
        return { outcome: 'invalid' };
      const refreshToken = await successorOf(deps.secretBox, tenantId, presented);
      await tx
        .insert(refreshTokenUses)
        .values({ tenantId, tokenHash: hash, sessionId: session.id, usedAt: now, clientDigest: client });
      const [updated] = await tx
        .update(sessions)
        .set({ refreshHash: await sha256Hex(refreshToken), lastUsedAt: now })
        .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, session.id)))
        .returning();
      return { outcome: 'rotated', session: updated!, refreshToken, replayed: false };
    }
    const [used] = await tx
      .select()
      .from(refreshTokenUses)
      .where(and(eq(refreshTokenUses.tenantId, tenantId), eq(refreshTokenUses.tokenHash, hash)));
    if (!used) return { outcome: 'invalid' };
    const [owner] = await tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, used.sessionId)))
      .for('update');
    if (!owner || owner.subjectType !== expected.subject) return { outcome: 'invalid' };
    const live = !owner.revokedAt && owner.expiresAt > now;
    const inGrace = now.getTime() - used.usedAt.getTime() < REFRESH_REUSE_GRACE_MS && used.clientDigest === client;
    if (live && inGrace) {
      // Follow the rotations since (normally none) to the session's current token.
      let token = presented;
      for (let hop = 0; hop < MAX_GRACE_HOPS; hop++) {
        token = await successorOf(deps.secretBox, tenantId, token);
        if ((await sha256Hex(token)) === owner.refreshHash)
          return { outcome: 'rotated', session: owner, refreshToken: token, replayed: true };
      }
    }
    const [revoked] = await tx
      .update(sessions)
      .set({ revokedAt: owner.revokedAt ?? now, revokedReason: owner.revokedReason ?? 'refresh_token_reuse' })
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, owner.id)))
      .returning();
    return { outcome: 'reused', session: revoked! };
  });
}

/**
 * Renews a session of the expected tenant and kind from its refresh token: rotates
 * it (or replays the successor within the grace window), audits a reuse (the
 * revocation and its audit entry commit although the request fails), and throws
 * 401 for anything but a renewal.
 */
export async function renewSession(
  deps: Pick<AppDeps, 'db' | 'secretBox' | 'clock' | 'ids'>,
  presented: string,
  expected: RotationRequest,
): Promise<{ session: SessionRow; refreshToken: string }> {
  const result = await rotateRefreshToken(deps, deps.clock.now(), presented, expected);
  if (result.outcome === 'reused') {
    const { session } = result;
    await deps.db.withTenant(session.tenantId, (tx) =>
      appendAudit(
        tx,
        deps,
        session.tenantId,
        { actorType: session.subjectType, actorId: session.subjectId, requestId: null, ip: expected.client.ip ?? null },
        [
          {
            action: 'session.refresh_token_reused',
            targetType: 'session',
            targetId: session.id,
            diff: { revoked: true },
          },
        ],
      ),
    );
  }
  if (result.outcome !== 'rotated') throw rotationError(result);
  return result;
}

/** Ends a session: its refresh token stops working at once, its access tokens at our API too. */
export async function revokeSession(
  tx: Tx,
  tenantId: string,
  sessionId: string,
  now: Date,
  reason: string,
): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/**
 * Signs out the session a refresh token belongs to. A token of another tenant,
 * an unknown or an already ended one changes nothing: signing out never fails,
 * so it tells a caller nothing about the token.
 */
export async function signOutByRefreshToken(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<void> {
  if (refreshTokenTenant(token) !== tenantId) return;
  const hash = await sha256Hex(token);
  await deps.db.withTenant(tenantId, async (tx) => {
    const [session] = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.refreshHash, hash)));
    if (session) await revokeSession(tx, tenantId, session.id, deps.clock.now(), 'logout');
  });
}

/**
 * Ends every live session of a subject but `keepSessionId` (the one asking), in one
 * statement: "sign out everywhere else" either happens everywhere or nowhere.
 * Returns how many were ended.
 */
export async function revokeOtherSessions(
  tx: Tx,
  tenantId: string,
  subject: SessionSubject,
  subjectId: string,
  keepSessionId: string,
  now: Date,
  reason: string,
): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.subjectType, subject),
        eq(sessions.subjectId, subjectId),
        ne(sessions.id, keepSessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
      ),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

/** A subject's live sessions, newest first. */
export function activeSessions(
  tx: Tx,
  tenantId: string,
  subject: SessionSubject,
  subjectId: string,
  now: Date,
): Promise<SessionRow[]> {
  return tx
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.subjectType, subject),
        eq(sessions.subjectId, subjectId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
      ),
    )
    .orderBy(desc(sessions.createdAt));
}

/** Whether a session is live (access tokens of revoked sessions are refused by our own API). */
export async function isSessionActive(tx: Tx, tenantId: string, sessionId: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.id, sessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
      ),
    );
  return Boolean(row);
}

/** Refuses a rotation outcome that is not a success, with the right code. */
export function rotationError(result: Exclude<RotationResult, { outcome: 'rotated' }>): ApiError {
  return result.outcome === 'reused'
    ? new ApiError(
        SessionErrors.REFRESH_TOKEN_REUSED,
        'This refresh token was already used; the session has been ended for safety. Sign in again.',
      )
    : new ApiError(
        SessionErrors.INVALID_REFRESH_TOKEN,
        'The refresh token is invalid, expired or revoked. Sign in again.',
      );
}

/** A subject's live sessions, newest first, read in their own transaction. */
export function listActiveSessions(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  subject: SessionSubject,
  subjectId: string,
): Promise<SessionRow[]> {
  return deps.db.withTenant(tenantId, (tx) => activeSessions(tx, tenantId, subject, subjectId, deps.clock.now()));
}

/**
 * A subject signs out one of their own live sessions (another device).
 * Returns false when `sessionId` is not a live session of theirs: nobody ends
 * another's session this way.
 */
export async function revokeOwnSession(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  subject: SessionSubject,
  subjectId: string,
  sessionId: string,
  reason: string,
): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.withTenant(tenantId, async (tx) => {
    const own = (await activeSessions(tx, tenantId, subject, subjectId, now)).some((s) => s.id === sessionId);
    return own && (await revokeSession(tx, tenantId, sessionId, now, reason));
  });
}

/** {@link revokeOtherSessions} in its own transaction. */
export function signOutOtherSessions(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  subject: SessionSubject,
  subjectId: string,
  keepSessionId: string,
  reason: string,
): Promise<number> {
  return deps.db.withTenant(tenantId, (tx) =>
    revokeOtherSessions(tx, tenantId, subject, subjectId, keepSessionId, deps.clock.now(), reason),
  );
}
