import { and, asc, eq, sql } from 'drizzle-orm';
import {
  auditLog,
  invites,
  mailOutbox,
  memberCredentials,
  memberEvents,
  members,
  oidcIdentities,
  oneTimeTokens,
  sessions,
} from '../db/schema/index.js';
import { executeRows } from '../db/database.js';
import { ApiError } from '../lib/errors.js';
import { appendAudit, redactMemberAudit } from './audit.js';
import type { AuditContext } from './audit-context.js';
import { erasedAddress, MemberErrors, memberFields, recordMemberEvents } from './members.js';
import { forgetMemberEvents } from '../realtime/event-log.js';
import { publishMemberChanges } from './member-changes.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * Everything held about one member (GDPR Art. 15 access, Art. 20 portability),
 * as plain JSON: profile with all custom fields, sign-in metadata (never the
 * password hash), sessions, lifecycle events, audit entries about them, invites
 * to their address, their activity events and linked sign-in providers.
 */
export async function exportMemberData(deps: ServiceDeps, tenantId: string, memberId: string) {
  return deps.db.withTenant(tenantId, async (tx) => {
    const [member] = await tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
    if (!member) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);
    const [credentials] = await tx
      .select()
      .from(memberCredentials)
      .where(and(eq(memberCredentials.tenantId, tenantId), eq(memberCredentials.memberId, memberId)));
    const own = (table: typeof sessions) =>
      and(eq(table.tenantId, tenantId), eq(table.subjectType, 'member'), eq(table.subjectId, memberId));
    return {
      object: 'member_export',
      generated_at: deps.clock.now().toISOString(),
      member: {
        id: member.id,
        ...memberFields(member),
        last_active_at: member.lastActiveAt?.toISOString() ?? null,
        created_at: member.createdAt.toISOString(),
        updated_at: member.updatedAt.toISOString(),
      },
      sign_in: credentials
        ? {
            has_password: credentials.passwordHash !== null,
            password_updated_at: credentials.passwordUpdatedAt?.toISOString() ?? null,
            email_verified_at: credentials.emailVerifiedAt?.toISOString() ?? null,
            locale: credentials.locale,
          }
        : null,
      sessions: (await tx.select().from(sessions).where(own(sessions)).orderBy(asc(sessions.createdAt))).map((s) => ({
        id: s.id,
        created_at: s.createdAt.toISOString(),
        last_used_at: s.lastUsedAt.toISOString(),
        revoked_at: s.revokedAt?.toISOString() ?? null,
        user_agent: s.userAgent,
        ip: s.ip,
      })),
      events: (
        await tx
          .select()
          .from(memberEvents)
          .where(and(eq(memberEvents.tenantId, tenantId), eq(memberEvents.memberId, memberId)))
          .orderBy(asc(memberEvents.occurredAt))
      ).map((e) => ({ type: e.type, from: e.fromValue, to: e.toValue, occurred_at: e.occurredAt.toISOString() })),
      audit_entries: (
        await tx
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.targetId, memberId)))
          .orderBy(asc(auditLog.seq))
      ).map((a) => ({
        action: a.action,
        diff: a.diff,
        occurred_at: a.occurredAt.toISOString(),
      })),
      invites: (
        await tx
          .select()
          .from(invites)
          .where(and(eq(invites.tenantId, tenantId), sql`lower(${invites.email}) = ${member.email.toLowerCase()}`))
      ).map((i) => ({
        id: i.id,
        status: i.status,
        created_at: i.createdAt.toISOString(),
      })),
      activity: (
        await executeRows<{
          id: string;
          type: string;
          occurred_at: string | Date;
          properties: unknown;
          source: string;
        }>(
          tx.execute(sql`select id, type, occurred_at, properties, source from activity_events
            where tenant_id = ${tenantId} and member_id = ${memberId} order by occurred_at, id`),
        )
      ).map((e) => ({
        id: e.id,
        type: e.type,
        occurred_at: new Date(e.occurred_at).toISOString(),
        properties: typeof e.properties === 'string' ? JSON.parse(e.properties) : e.properties,
        source: e.source,
      })),
      linked_providers: (
        await tx
          .select()
          .from(oidcIdentities)
          .where(and(eq(oidcIdentities.tenantId, tenantId), eq(oidcIdentities.memberId, memberId)))
      ).map((o) => ({
        provider_id: o.providerId,
        linked_at: o.createdAt.toISOString(),
      })),
    };
  });
}

/**
 * Erases a member (GDPR Art. 17): personal data is removed or anonymised in one
 * transaction — profile fields blanked, address replaced, sign-in secrets,
 * codes, provider links and queued mails deleted, sessions ended, activity events'
 * properties blanked and their ingest keys deleted. The row
 * stays (anonymous) so counts and the member's lifecycle events keep their
 * meaning. Audit entries about the member (and invitations to their address) lose
 * their diff, entries the member made lose their IP (see `redactMemberAudit`); the
 * chain still verifies. The audit entry of the erasure names no personal data.
 *
 * The erased address, `erased+<member id>@erased.invalid`, is also what the
 * database's redaction function checks before it redacts anything.
 */
export async function eraseMember(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  memberId: string,
): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    const [member] = await tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)))
      .for('update');
    if (!member) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);
    const now = deps.clock.now();
    const erasedStatus = member.status === 'pending' || member.status === 'active' ? 'inactive' : member.status;
    await tx
      .update(members)
      .set({
        email: erasedAddress(memberId),
        firstName: 'Erased',
        lastName: 'Member',
        customFields: {},
        tags: [],
        status: erasedStatus,
        lastActiveAt: null,
        deletedAt: member.deletedAt ?? now,
        updatedAt: now,
      })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)));
    // An erasure of a member not deleted before is their deletion too: lifecycle events (and growth) record it.
    // Live events of the last two days carry the member's old name and email: they go with the rest.
    await forgetMemberEvents(tx, tenantId, memberId);
    await recordMemberEvents(tx, deps, tenantId, ctx, [
      ...(member.deletedAt ? [] : [{ memberId, type: 'deleted' as const, from: member.status }]),
      ...(erasedStatus !== member.status
        ? [{ memberId, type: 'status_changed' as const, from: member.status, to: erasedStatus }]
        : []),
    ]);
    await publishMemberChanges(deps, tx, tenantId, [{ memberId, type: 'member.updated' }]);
    await tx
      .delete(memberCredentials)
      .where(and(eq(memberCredentials.tenantId, tenantId), eq(memberCredentials.memberId, memberId)));
    await tx
      .delete(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tenantId, tenantId), eq(oneTimeTokens.subjectId, memberId)));
    await tx
      .delete(oidcIdentities)
      .where(and(eq(oidcIdentities.tenantId, tenantId), eq(oidcIdentities.memberId, memberId)));
    await tx
      .delete(mailOutbox)
      .where(
        and(eq(mailOutbox.tenantId, tenantId), sql`lower(${mailOutbox.toAddress}) = ${member.email.toLowerCase()}`),
      );
    await tx
      .update(invites)
      .set({ email: erasedAddress(memberId) })
      .where(and(eq(invites.tenantId, tenantId), sql`lower(${invites.email}) = ${member.email.toLowerCase()}`));
    await tx
      .update(sessions)
      .set({ revokedAt: now, revokedReason: 'erased', userAgent: null, ip: null })
      .where(
        and(eq(sessions.tenantId, tenantId), eq(sessions.subjectType, 'member'), eq(sessions.subjectId, memberId)),
      );
    // Activity keeps its member id (aggregates stay consistent with the raw events); what it said is blanked,
    // and its client ids forgotten (they may carry personal data: an order number, an email).
    await tx.execute(sql`delete from activity_ingest_keys k using activity_events e
      where e.tenant_id = ${tenantId} and e.member_id = ${memberId}
        and k.tenant_id = e.tenant_id and k.event_id = e.id and k.occurred_at = e.occurred_at`);
    await tx.execute(sql`update activity_events set properties = '{}'::jsonb
      where tenant_id = ${tenantId} and member_id = ${memberId} and properties <> '{}'::jsonb`);
    // The member's address is now the erased one the redaction function checks for.
    const redacted = await redactMemberAudit(tx, memberId);
    // The entry of the erasure names no personal data: not even the IP when the member erased themselves.
    const entryCtx = ctx.actorType === 'member' ? { ...ctx, ip: null } : ctx;
    await appendAudit(tx, deps, tenantId, entryCtx, [
      { action: 'member.erased', targetType: 'member', targetId: memberId, diff: { redacted_entries: redacted } },
    ]);
  });
}
