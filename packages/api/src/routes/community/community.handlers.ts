import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import {
  communitySettingsDto,
  readCommunitySettings,
  readMemberCommunityPrefs,
  updateCommunitySettings,
  updateMemberCommunityPrefs,
} from '../../services/community-settings.js';
import { MemberErrors } from '../../services/members.js';
import { listPresence, PresenceErrors, recordPresence } from '../../services/presence.js';
import { auditContextOf } from '../audit-context.js';
import type {
  getCommunitySettingsRoute,
  getMyCommunityRoute,
  listPresenceRoute,
  presenceHeartbeatRoute,
  updateCommunitySettingsRoute,
  updateMyCommunityRoute,
} from './community.routes.js';

export const getCommunitySettingsHandler: AppRouteHandler<typeof getCommunitySettingsRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const settings = await readCommunitySettings(c.var.deps, tenantId);
  return c.json(communitySettingsDto(settings), 200);
};

export const updateCommunitySettingsHandler: AppRouteHandler<typeof updateCommunitySettingsRoute> = async (c) => {
  const body = c.req.valid('json');
  const settings = await updateCommunitySettings(
    c.var.deps,
    c.var.credential.tenantId,
    {
      presenceVisibility: body.presence_visibility,
      memberPosts: body.member_posts,
      memberComments: body.member_comments,
      reactions: body.reactions,
      memberMessaging: body.member_messaging,
      supportInbox: body.support_inbox,
      messageRatePerMinute: body.message_rate_per_minute,
      postRatePerHour: body.post_rate_per_hour,
    },
    auditContextOf(c),
  );
  return c.json(communitySettingsDto(settings), 200);
};

export const getMyCommunityHandler: AppRouteHandler<typeof getMyCommunityRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const prefs = await readMemberCommunityPrefs(c.var.deps, tenantId, memberId);
  return c.json({ object: 'member_community_prefs' as const, share_milestones: prefs.shareMilestones }, 200);
};

export const updateMyCommunityHandler: AppRouteHandler<typeof updateMyCommunityRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const body = c.req.valid('json');
  const prefs = await updateMemberCommunityPrefs(c.var.deps, tenantId, memberId, {
    shareMilestones: body.share_milestones,
  });
  return c.json({ object: 'member_community_prefs' as const, share_milestones: prefs.shareMilestones }, 200);
};

export const presenceHeartbeatHandler: AppRouteHandler<typeof presenceHeartbeatRoute> = async (c) => {
  const { tenantId, memberId } = c.var.credential;
  const { status } = c.req.valid('json');
  const result = await recordPresence(c.var.deps, tenantId, memberId, status);
  if (!result) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${memberId}.`);
  return c.json(result.presence, 200);
};

export const listPresenceHandler: AppRouteHandler<typeof listPresenceRoute> = async (c) => {
  const credential = c.var.credential;
  const { tenantId } = credential;
  const { limit, cursor } = c.req.valid('query');
  const settings = await readCommunitySettings(c.var.deps, tenantId);
  const visible =
    credential.type === 'member' ? settings.presenceVisibility === 'members' : settings.presenceVisibility !== 'off';
  if (!visible) {
    throw new ApiError(
      PresenceErrors.PRESENCE_DISABLED,
      settings.presenceVisibility === 'off'
        ? 'This community does not show presence (presence_visibility is off).'
        : 'This community shows presence to staff only.',
    );
  }
  const binding = { scope: `presence:${tenantId}`, query: {} };
  let after: string | undefined;
  if (cursor !== undefined)
    [after] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [CursorValues.id('mem')]);
  const page = await listPresence(c.var.deps, tenantId, { limit, ...(after ? { afterMemberId: after } : {}) });
  const last = page.data.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.data,
      has_more: page.hasMore,
      next_cursor: page.hasMore && last ? await encodeCursor(c.var.deps.secretBox, binding, [last.member_id]) : null,
    },
    200,
  );
};
