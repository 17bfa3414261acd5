import { sql, type SQL } from 'drizzle-orm';
import { pgPolicy, pgRole, text, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * Tenant work runs as this role (`SET LOCAL ROLE`), never as the table owner, so
 * row-level security always applies. Roles are cluster-wide: they are created
 * idempotently by a custom migration, and declared here as existing.
 */
export const appRole = pgRole('memberkit_app').existing();

/** Platform operator work (tenant creation and listing) runs as this role. */
export const platformRole = pgRole('memberkit_platform').existing();

/**
 * Owner of the one function that may blank personal data in audit entries of an
 * erased member (`memberkit_redact_member_audit`). The app role cannot update the
 * audit log; it can only call that function, which checks the member was erased.
 */
export const redactorRole = pgRole('memberkit_redactor').existing();

/** The tenant of the current transaction, set by `withTenant`. Errors when unset: fails closed. */
export const currentTenant: SQL = sql`current_setting('app.tenant_id')`;

/** `tenant_id` column: first column of every tenant-owned table, leading every key and index. */
export const tenantIdColumn = () => text('tenant_id').notNull();

/**
 * The row-level security policy every tenant-owned table carries: the app role
 * sees and writes only rows of the transaction's tenant.
 */
export function tenantIsolationPolicy(tenantId: AnyPgColumn) {
  return pgPolicy('tenant_isolation', {
    as: 'permissive',
    for: 'all',
    to: appRole,
    using: sql`${tenantId} = ${currentTenant}`,
    withCheck: sql`${tenantId} = ${currentTenant}`,
  });
}

/**
 * What the redaction function (running as `memberkit_redactor`) may see: rows of the
 * transaction's tenant only, like the app role.
 */
export function redactorPolicy(name: string, tenantId: AnyPgColumn, command: 'select' | 'update') {
  return pgPolicy(name, {
    as: 'permissive',
    for: command,
    to: redactorRole,
    using: sql`${tenantId} = ${currentTenant}`,
    ...(command === 'update' ? { withCheck: sql`${tenantId} = ${currentTenant}` } : {}),
  });
}
