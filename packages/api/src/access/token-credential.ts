import { and, eq, isNull } from 'drizzle-orm';
import type { Credential } from './credential.js';
import type { Tx } from '../db/database.js';
import { apiKeys, sessions, staffUsers, tenants } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { verifyAccessToken } from './access-tokens.js';
import { isSessionActive } from '../accounts/sessions.js';
import { touchLastActive } from '../services/member-activity.js';

/**
 * The credential of a member or staff access token, or null. Beyond the
 * signature, our own API checks that the session is still live (so signing out
 * takes effect at once here; customers' backends verify offline), reads a
 * staff user's role fresh (so a demotion takes effect at once), finds the
 * browser origins the session may be used from ({@link sessionOrigins}), and
 * records a member's activity (`last_active_at`, throttled) in the same transaction.
 */
export async function resolveAccessToken(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>,
  token: string,
): Promise<Credential | null> {
  const now = deps.clock.now();
  const verified = await verifyAccessToken(deps.db, deps.config.issuerBaseUrl, token, now);
  if (!verified) return null;
  const { tenantId, sessionId, subjectId } = verified;
  return deps.db.withTenant(tenantId, async (tx) => {
    if (verified.subject === 'api') {
      // OAuth client-credentials token: as good as its key, and only while the key is not revoked.
      const [key] = await tx
        .select({ id: apiKeys.id, role: apiKeys.role })
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.tenantId, tenantId),
            eq(apiKeys.id, subjectId),
            eq(apiKeys.kind, 'secret'),
            isNull(apiKeys.revokedAt),
          ),
        );
      return key?.role ? ({ type: 'secret_key', id: key.id, tenantId, role: key.role } as const) : null;
    }
    if (!(await isSessionActive(tx, tenantId, sessionId, now))) return null;
    const allowedOrigins = await sessionOrigins(tx, tenantId, sessionId);
    if (verified.subject === 'member') {
      // A member using their token is active; the throttle keeps this to one write per few minutes.
      await touchLastActive(tx, tenantId, subjectId, now);
      return { type: 'member', id: sessionId, tenantId, memberId: subjectId, sessionId, allowedOrigins } as const;
    }
    const [staff] = await tx
      .select({ role: staffUsers.role, status: staffUsers.status })
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, subjectId)));
    if (staff?.status !== 'active') return null;
    return {
      type: 'staff',
      id: sessionId,
      tenantId,
      staffId: subjectId,
      sessionId,
      role: staff.role,
      allowedOrigins,
    } as const;
  });
}

/**
 * The browser origins a session's tokens are accepted from: the tenant's, plus
 * those of the publishable key the session signed in through while that key is
 * not revoked (a revoked or deleted key stops adding its origins at once; the
 * tenant's still apply, so its own sites keep working).
 */
async function sessionOrigins(tx: Tx, tenantId: string, sessionId: string): Promise<string[]> {
  const [row] = await tx
    .select({ tenantOrigins: tenants.allowedOrigins, keyOrigins: apiKeys.allowedOrigins })
    .from(sessions)
    .innerJoin(tenants, eq(tenants.id, sessions.tenantId))
    .leftJoin(
      apiKeys,
      and(
        eq(apiKeys.tenantId, sessions.tenantId),
        eq(apiKeys.id, sessions.publishableKeyId),
        eq(apiKeys.kind, 'publishable'),
        isNull(apiKeys.revokedAt),
      ),
    )
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId)));
  if (!row) return [];
  return [...new Set([...row.tenantOrigins, ...(row.keyOrigins ?? [])])];
}
