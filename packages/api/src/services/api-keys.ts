import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import { formatApiKey, type ApiKeyKind } from '../access/api-key-format.js';
import type { SecretKeyRole } from '../access/permissions.js';
import { assertWithinCeiling, type RoleActor } from '../access/role-ceiling.js';
import type { Tx } from '../db/database.js';
import { apiKeys, type ApiKeyRow } from '../db/schema/index.js';
import { sha256Hex } from '../lib/crypto.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { appendAudit } from './audit.js';
import type { AuditContext } from './audit-context.js';
import type { ServiceDeps } from './service-deps.js';

/** A stored API key (its secret only as a hash). */
export type { ApiKeyRow } from '../db/schema/index.js';

export const ApiKeyErrors = defineErrorCodes({
  API_KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  API_KEY_LAST_ADMIN: { status: 409, title: 'Cannot revoke the last admin key' },
});

export interface NewApiKey {
  kind: ApiKeyKind;
  role?: SecretKeyRole;
  name?: string | null;
  allowedOrigins?: string[];
}

/**
 * Creates a key inside an open tenant transaction. Returns the row and the full
 * key, which exists only in this return value: only its hash is stored.
 */
export async function insertApiKey(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'ids'>,
  tenantId: string,
  input: NewApiKey,
): Promise<{ row: ApiKeyRow; key: string }> {
  const id = deps.ids.generate('key');
  const key = formatApiKey(input.kind, tenantId, id);
  const [row] = await tx
    .insert(apiKeys)
    .values({
      tenantId,
      id,
      kind: input.kind,
      role: input.kind === 'secret' ? (input.role ?? 'admin') : null,
      name: input.name ?? null,
      secretHash: await sha256Hex(key),
      last4: key.slice(-4),
      allowedOrigins: input.kind === 'publishable' ? (input.allowedOrigins ?? []) : [],
      createdAt: deps.clock.now(),
    })
    .returning();
  return { row: row!, key };
}

/**
 * Creates an API key for a tenant. When a credential asks (`by`), the key's role
 * is at most the credential's own (the role ceiling) and the creation is audited.
 */
export function createApiKey(
  deps: ServiceDeps,
  tenantId: string,
  input: NewApiKey,
  by?: { ctx: AuditContext; actor: RoleActor },
) {
  if (by && input.kind === 'secret')
    assertWithinCeiling(by.actor, input.role ?? 'admin', 'create a secret key with the role');
  return deps.db.withTenant(tenantId, async (tx) => {
    const created = await insertApiKey(tx, deps, tenantId, input);
    if (by) {
      await appendAudit(tx, deps, tenantId, by.ctx, [
        {
          action: 'api_key.created',
          targetType: 'api_key',
          targetId: created.row.id,
          diff: {
            kind: created.row.kind,
            role: created.row.role,
            name: created.row.name,
            allowed_origins: created.row.allowedOrigins,
          },
        },
      ]);
    }
    return created;
  });
}

/** A tenant's keys, newest first, revoked ones included (they show when they were revoked). */
export function listApiKeys(
  deps: ServiceDeps,
  tenantId: string,
  page: { limit: number; afterId?: string },
): Promise<ApiKeyRow[]> {
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), page.afterId ? lt(apiKeys.id, page.afterId) : undefined))
      .orderBy(desc(apiKeys.id))
      .limit(page.limit + 1),
  );
}

/**
 * Revokes a key: from this commit on, every request with it gets 401 (keys are
 * resolved from the database on each request, never from a cache). Under the
 * role ceiling, a secret key is revoked only by a credential of at least its role.
 */
export async function revokeApiKey(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  actor: RoleActor,
  keyId: string,
): Promise<ApiKeyRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const [existing] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
    if (!existing) throw new ApiError(ApiKeyErrors.API_KEY_NOT_FOUND, `No API key ${keyId}.`);
    if (existing.role) assertWithinCeiling(actor, existing.role, 'revoke a secret key with the role');
    // Lock the tenant's active admin keys so two concurrent revocations cannot both pass the check below.
    const admins = await tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.role, 'admin'), isNull(apiKeys.revokedAt)))
      .for('update');
    if (admins.length === 1 && admins[0]!.id === keyId) {
      throw new ApiError(
        ApiKeyErrors.API_KEY_LAST_ADMIN,
        "This is the tenant's last active admin secret key; create another admin key before revoking it.",
      );
    }
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: deps.clock.now() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning();
    if (revoked) {
      await appendAudit(tx, deps, tenantId, ctx, [
        { action: 'api_key.revoked', targetType: 'api_key', targetId: keyId },
      ]);
      return revoked;
    }
    // Revoking twice is a no-op, as DELETE should be: answer with the key as it was revoked.
    const [already] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
    return already ?? existing;
  });
}
