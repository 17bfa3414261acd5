import { and, eq } from 'drizzle-orm';
import { memberCredentials, members, type MemberRow } from '../db/schema/index.js';
import { ApiError } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import type { AuditContext } from './audit-context.js';
import { visibleCustomFields } from './custom-field-values.js';
import { selectCustomFields } from './custom-fields.js';
import { MemberErrors, applyMemberPatch } from './members.js';
import { recordPlatformActivity } from './platform-activity.js';
import type { ServiceDeps } from './service-deps.js';

/** A member as the member sees it: custom fields limited to those the tenant shows to members. */
export interface MemberProfile {
  member: MemberRow;
  customFields: Record<string, unknown>;
}

/** What a member may change about themselves (`PATCH /v1/me`). */
export interface MemberProfilePatch {
  firstName?: string;
  lastName?: string;
  customFields?: Record<string, unknown>;
  locale?: string;
}

/** The custom fields of `member` that members may see. */
export async function memberVisibleFields(
  deps: Pick<ServiceDeps, 'db'>,
  tenantId: string,
  member: Pick<MemberRow, 'customFields'>,
): Promise<Record<string, unknown>> {
  const defs = await deps.db.withTenant(tenantId, (tx) => selectCustomFields(tx, tenantId));
  return visibleCustomFields(defs, member.customFields, 'members');
}

/** The signed-in member's own record; a deleted member no longer exists for them. */
export async function getMemberProfile(
  deps: Pick<ServiceDeps, 'db'>,
  tenantId: string,
  memberId: string,
): Promise<MemberProfile> {
  const { member, defs } = await deps.db.withTenant(tenantId, async (tx) => ({
    member: (
      await tx
        .select()
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId)))
    )[0],
    defs: await selectCustomFields(tx, tenantId),
  }));
  if (!member || member.deletedAt) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, 'This member no longer exists.');
  return { member, customFields: visibleCustomFields(defs, member.customFields, 'members') };
}

/**
 * A member edits their own record: names, the custom fields the tenant marks
 * member-editable (any other is a 422 naming it, before anything changes), and
 * the locale their mails are written in.
 */
export async function updateMemberProfile(
  deps: ServiceDeps,
  tenantId: string,
  ctx: AuditContext,
  memberId: string,
  patch: MemberProfilePatch,
): Promise<MemberProfile> {
  const defs = await deps.db.withTenant(tenantId, (tx) => selectCustomFields(tx, tenantId));
  const editable = new Set(defs.filter((d) => d.memberEditable && d.visibility !== 'staff').map((d) => d.key));
  const refused = Object.keys(patch.customFields ?? {}).filter((key) => !editable.has(key));
  if (refused.length)
    throw validationError(
      refused.map((key) => ({ field: `custom_fields.${key}`, message: 'Members cannot change this field.' })),
    );
  const { locale } = patch;
  const fields = [
    ...(patch.firstName !== undefined ? ['first_name'] : []),
    ...(patch.lastName !== undefined ? ['last_name'] : []),
    ...Object.keys(patch.customFields ?? {}).map((key) => `custom_fields.${key}`),
    ...(locale !== undefined ? ['locale'] : []),
  ];
  // The member row, the locale of their mails and the activity event: one transaction.
  const member = await deps.db.withTenant(tenantId, async (tx) => {
    const row = await applyMemberPatch(tx, deps, tenantId, ctx, memberId, {
      ...(patch.firstName !== undefined ? { firstName: patch.firstName } : {}),
      ...(patch.lastName !== undefined ? { lastName: patch.lastName } : {}),
      ...(patch.customFields !== undefined ? { customFields: patch.customFields } : {}),
    });
    if (locale !== undefined) {
      await tx
        .update(memberCredentials)
        .set({ locale, updatedAt: deps.clock.now() })
        .where(and(eq(memberCredentials.tenantId, tenantId), eq(memberCredentials.memberId, memberId)));
    }
    if (fields.length > 0) {
      await recordPlatformActivity(tx, deps, tenantId, [
        { memberId, type: 'member.profile_updated', properties: { fields: fields.join(',') } },
      ]);
    }
    return row;
  });
  return { member, customFields: visibleCustomFields(defs, member.customFields, 'members') };
}
