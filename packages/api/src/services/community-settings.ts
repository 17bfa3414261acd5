import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import {
  type CommunitySettingsRow,
  communitySettings,
  memberCommunityPrefs,
  type PresenceVisibility,
} from '../db/schema/index.js';
import { appendAudit, diffOf } from './audit.js';
import type { AuditContext } from './audit-context.js';
import type { ServiceDeps } from './service-deps.js';

/** A tenant's community rules (the defaults when the tenant never changed them). */
export interface CommunitySettings {
  presenceVisibility: PresenceVisibility;
  memberPosts: boolean;
  memberComments: boolean;
  reactions: boolean;
  memberMessaging: boolean;
  supportInbox: boolean;
  messageRatePerMinute: number;
  postRatePerHour: number;
  /** When they were last changed; null: never (the defaults). */
  updatedAt: Date | null;
}

/** What a tenant gets before it changes anything (the column defaults of `community_settings`). */
export const DEFAULT_COMMUNITY_SETTINGS: CommunitySettings = {
  presenceVisibility: 'staff',
  memberPosts: false,
  memberComments: true,
  reactions: true,
  memberMessaging: false,
  supportInbox: true,
  messageRatePerMinute: 30,
  postRatePerHour: 20,
  updatedAt: null,
};

function fromRow(row: CommunitySettingsRow): CommunitySettings {
  return {
    presenceVisibility: row.presenceVisibility,
    memberPosts: row.memberPosts,
    memberComments: row.memberComments,
    reactions: row.reactions,
    memberMessaging: row.memberMessaging,
    supportInbox: row.supportInbox,
    messageRatePerMinute: row.messageRatePerMinute,
    postRatePerHour: row.postRatePerHour,
    updatedAt: row.updatedAt,
  };
}

/**
 * The tenant's community settings, in the caller's tenant transaction; the defaults
 * when the tenant has no row.
 *
 * @example
 * const settings = await deps.db.withTenant(tenantId, (tx) => getCommunitySettings(tx, tenantId));
 * if (!settings.memberMessaging) throw new ApiError(…);
 */
export async function getCommunitySettings(tx: Tx, tenantId: string): Promise<CommunitySettings> {
  const [row] = await tx.select().from(communitySettings).where(eq(communitySettings.tenantId, tenantId));
  return row ? fromRow(row) : { ...DEFAULT_COMMUNITY_SETTINGS };
}

/** The fields `PATCH /v1/community/settings` may change. */
export type CommunitySettingsPatch = Partial<Omit<CommunitySettings, 'updatedAt'>>;

/** The settings as the API returns them. */
export function communitySettingsDto(settings: CommunitySettings) {
  return {
    object: 'community_settings' as const,
    presence_visibility: settings.presenceVisibility,
    member_posts: settings.memberPosts,
    member_comments: settings.memberComments,
    reactions: settings.reactions,
    member_messaging: settings.memberMessaging,
    support_inbox: settings.supportInbox,
    message_rate_per_minute: settings.messageRatePerMinute,
    post_rate_per_hour: settings.postRatePerHour,
    updated_at: settings.updatedAt?.toISOString() ?? null,
  };
}

/**
 * Changes the tenant's community settings; audited (`community_settings.updated`, the
 * changed fields as the diff) in the same transaction. A patch that changes nothing
 * writes nothing.
 */
export async function updateCommunitySettings(
  deps: ServiceDeps,
  tenantId: string,
  patch: CommunitySettingsPatch,
  audit: AuditContext,
): Promise<CommunitySettings> {
  return deps.db.withTenant(tenantId, async (tx) => {
    await tx.insert(communitySettings).values({ tenantId }).onConflictDoNothing();
    const [locked] = await tx
      .select()
      .from(communitySettings)
      .where(eq(communitySettings.tenantId, tenantId))
      .for('update');
    if (!locked) throw new Error('community settings row missing');
    const before = fromRow(locked);
    const after = { ...before, ...definedOnly(patch) };
    const diff = diffOf(dtoFields(before), dtoFields(after));
    if (Object.keys(diff).length === 0) return before;
    const now = deps.clock.now();
    const [row] = await tx
      .update(communitySettings)
      .set({ ...definedOnly(patch), updatedAt: now })
      .where(eq(communitySettings.tenantId, tenantId))
      .returning();
    await appendAudit(tx, deps, tenantId, audit, [
      { action: 'community_settings.updated', targetType: 'tenant', targetId: tenantId, diff },
    ]);
    return fromRow(row ?? locked);
  });
}

function dtoFields(settings: CommunitySettings): Record<string, unknown> {
  const { object: _object, updated_at: _updatedAt, ...fields } = communitySettingsDto(settings);
  return fields;
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** A member's own community choices. */
export interface MemberCommunityPrefs {
  shareMilestones: boolean;
}

/** The member's prefs (defaults when never set), in the caller's tenant transaction. */
export async function getMemberCommunityPrefs(
  tx: Tx,
  tenantId: string,
  memberId: string,
): Promise<MemberCommunityPrefs> {
  const [row] = await tx
    .select({ shareMilestones: memberCommunityPrefs.shareMilestones })
    .from(memberCommunityPrefs)
    .where(and(eq(memberCommunityPrefs.tenantId, tenantId), eq(memberCommunityPrefs.memberId, memberId)));
  return { shareMilestones: row?.shareMilestones ?? false };
}

/** Sets the member's prefs (fields left out keep their value). */
export async function updateMemberCommunityPrefs(
  deps: ServiceDeps,
  tenantId: string,
  memberId: string,
  patch: Partial<MemberCommunityPrefs>,
): Promise<MemberCommunityPrefs> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await getMemberCommunityPrefs(tx, tenantId, memberId);
    const next = { ...current, ...definedOnly(patch) };
    await tx
      .insert(memberCommunityPrefs)
      .values({ tenantId, memberId, shareMilestones: next.shareMilestones, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({
        target: [memberCommunityPrefs.tenantId, memberCommunityPrefs.memberId],
        set: { shareMilestones: next.shareMilestones, updatedAt: deps.clock.now() },
      });
    return next;
  });
}

/** Who may see presence, as the API names it. */
export { PRESENCE_VISIBILITIES } from '../db/schema/index.js';

/** {@link getCommunitySettings} in its own tenant transaction. */
export function readCommunitySettings(deps: Pick<ServiceDeps, 'db'>, tenantId: string): Promise<CommunitySettings> {
  return deps.db.withTenant(tenantId, (tx) => getCommunitySettings(tx, tenantId));
}

/** {@link getMemberCommunityPrefs} in its own tenant transaction. */
export function readMemberCommunityPrefs(
  deps: Pick<ServiceDeps, 'db'>,
  tenantId: string,
  memberId: string,
): Promise<MemberCommunityPrefs> {
  return deps.db.withTenant(tenantId, (tx) => getMemberCommunityPrefs(tx, tenantId, memberId));
}
