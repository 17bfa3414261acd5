import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { refreshTokenUses, sessions, type SESSION_SUBJECTS } from '../db/schema/index.js';
import { sha256Hex } from '../lib/crypto.js';
import { randomBase62 } from '../lib/encoding.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { idBody, isIdBody, type IdGenerator } from '../lib/ids.js';

export const SessionErrors = defineErrorCodes({
  INVALID_REFRESH_TOKEN: { status: 401, title: 'Invalid refresh token' },
  REFRESH_TOKEN_REUSED: { status: 401, title: 'Refresh token reused' },
  SESSION_NOT_FOUND: { status: 404, title: 'Session not found' },
});

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export type SessionSubject = (typeof SESSION_SUBJECTS)[number];
export type SessionRow = typeof sessions.$inferSelect;

export interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
  /** The publishable key the sign-in came through: its origins then also accept the session's tokens. */
  publishableKeyId?: string | null;
}

/** `rt_` + the tenant id body + 43 random base62 characters (256 bits): routed to its tenant, unguessable. */
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
  | { outcome: 'rotated'; session: SessionRow; refreshToken: string }
  | { outcome: 'reused'; session: SessionRow }
  | { outcome: 'invalid' };

/**
 * Exchanges a refresh token for a new one (rotation). A token that was already
 * exchanged is reuse — a sign it was stolen — and revokes the whole session
 * (ASVS 5.0 10.4.5); the caller audits it. The revocation commits even though
 * the request fails.
 */
export async function rotateRefreshToken(db: Database, now: Date, presented: string): Promise<RotationResult> {
  const tenantId = refreshTokenTenant(presented);
  if (!tenantId) return { outcome: 'invalid' };
  const hash = await sha256Hex(presented);
  return db.withTenant(tenantId, async (tx) => {
    const [session] = await tx
      .select()
      .from(sessions)
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.refreshHash, hash)))
      .for('update');
    if (session) {
      if (session.revokedAt || session.expiresAt <= now) return { outcome: 'invalid' };
      const refreshToken = newRefreshToken(tenantId);
      await tx.insert(refreshTokenUses).values({ tenantId, tokenHash: hash, sessionId: session.id, usedAt: now });
      const [updated] = await tx
        .update(sessions)
        .set({ refreshHash: await sha256Hex(refreshToken), lastUsedAt: now })
        .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, session.id)))
        .returning();
      return { outcome: 'rotated', session: updated!, refreshToken };
    }
    const [used] = await tx
      .select({ sessionId: refreshTokenUses.sessionId })
      .from(refreshTokenUses)
      .where(and(eq(refreshTokenUses.tenantId, tenantId), eq(refreshTokenUses.tokenHash, hash)));
    if (!used) return { outcome: 'invalid' };
    const [revoked] = await tx
      .update(sessions)
      .set({ revokedAt: now, revokedReason: 'refresh_token_reuse' })
      .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, used.sessionId)))
      .returning();
    return { outcome: 'reused', session: revoked! };
  });
}

/** Ends a session: its refresh token stops working at once, its access tokens at our API too. */
export async function revokeSession(tx: Tx, tenantId: string, sessionId: string, now: Date, reason: string): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
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
export function activeSessions(tx: Tx, tenantId: string, subject: SessionSubject, subjectId: string, now: Date): Promise<SessionRow[]> {
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
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  return Boolean(row);
}

/** Refuses a rotation outcome that is not a success, with the right code. */
export function rotationError(result: Exclude<RotationResult, { outcome: 'rotated' }>): ApiError {
  return result.outcome === 'reused'
    ? new ApiError(SessionErrors.REFRESH_TOKEN_REUSED, 'This refresh token was already used; the session has been ended for safety. Sign in again.')
    : new ApiError(SessionErrors.INVALID_REFRESH_TOKEN, 'The refresh token is invalid, expired or revoked. Sign in again.');
}
