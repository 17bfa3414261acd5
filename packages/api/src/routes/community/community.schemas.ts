import { z } from '@hono/zod-openapi';
import { named, PaginationQuery } from '../../lib/openapi.js';
import { PRESENCE_VISIBILITIES } from '../../services/community-settings.js';

const SETTINGS_EXAMPLE = {
  object: 'community_settings' as const,
  presence_visibility: 'members' as const,
  member_posts: true,
  member_comments: true,
  reactions: true,
  member_messaging: false,
  support_inbox: true,
  message_rate_per_minute: 30,
  post_rate_per_hour: 20,
  updated_at: '2026-12-01T09:30:00.000Z',
};

const visibility = z.enum(PRESENCE_VISIBILITIES).openapi({
  description: 'Who sees who is online: `off` nobody, `staff` staff only, `members` members too.',
  example: 'members',
});
const messageRate = z
  .number()
  .int()
  .min(1)
  .max(600)
  .openapi({ description: 'Messages a member may send per minute (1–600).', example: 30 });
const postRate = z
  .number()
  .int()
  .min(1)
  .max(600)
  .openapi({ description: 'Posts and comments a member may write per hour (1–600).', example: 20 });

export const CommunitySettingsSchema = named(
  z.object({
    object: z.literal('community_settings'),
    presence_visibility: visibility,
    member_posts: z.boolean().openapi({ description: 'Members may write feed posts (staff announcements always).' }),
    member_comments: z.boolean().openapi({ description: 'Members may comment on feed posts.' }),
    reactions: z.boolean().openapi({ description: 'Members may react to feed posts.' }),
    member_messaging: z
      .boolean()
      .openapi({ description: 'Members may message other members directly and form groups.' }),
    support_inbox: z.boolean().openapi({ description: 'Members may open support conversations with staff.' }),
    message_rate_per_minute: messageRate,
    post_rate_per_hour: postRate,
    updated_at: z
      .string()
      .nullable()
      .openapi({ description: 'Last change; null while the tenant runs on the defaults.' }),
  }),
  'CommunitySettings',
  SETTINGS_EXAMPLE,
  { description: "The tenant's community rules: presence, feed participation, messaging and rate limits." },
);

export const UpdateCommunitySettingsBody = named(
  z
    .object({
      presence_visibility: visibility.optional(),
      member_posts: z.boolean().optional(),
      member_comments: z.boolean().optional(),
      reactions: z.boolean().optional(),
      member_messaging: z.boolean().optional(),
      support_inbox: z.boolean().optional(),
      message_rate_per_minute: messageRate.optional(),
      post_rate_per_hour: postRate.optional(),
    })
    .strict(),
  'UpdateCommunitySettingsBody',
  { presence_visibility: 'members', member_messaging: true },
  { description: 'The settings to change; those left out keep their value.' },
);

export const MemberCommunityPrefsSchema = named(
  z.object({
    object: z.literal('member_community_prefs'),
    share_milestones: z.boolean().openapi({
      description: 'Milestones of the member (joined, upgraded, anniversary) appear in the tenant feed.',
    }),
  }),
  'MemberCommunityPrefs',
  { object: 'member_community_prefs', share_milestones: true },
  { description: "The signed-in member's community choices." },
);

export const UpdateMemberCommunityPrefsBody = named(
  z.object({ share_milestones: z.boolean().optional() }).strict(),
  'UpdateMemberCommunityPrefsBody',
  { share_milestones: true },
);

const PRESENCE_EXAMPLE = {
  member_id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
  name: 'Ada Lovelace',
  status: 'online' as const,
  last_seen_at: '2026-12-01T09:30:00.000Z',
};

export const PresenceSchema = named(
  z.object({
    member_id: z.string().openapi({ example: PRESENCE_EXAMPLE.member_id }),
    name: z.string().openapi({ example: PRESENCE_EXAMPLE.name }),
    status: z.enum(['online', 'away', 'offline']).openapi({ example: 'online' }),
    last_seen_at: z.string().openapi({ description: 'The last heartbeat.', example: PRESENCE_EXAMPLE.last_seen_at }),
  }),
  'Presence',
  PRESENCE_EXAMPLE,
  { description: "A member's presence: online or away while heartbeats arrive, offline 90 s after the last." },
);

export const HeartbeatBody = named(
  z
    .object({
      status: z.enum(['online', 'away', 'offline']).default('online').openapi({
        description: '`away` when the page is hidden or idle; `offline` when the member leaves (signs out, closes).',
      }),
    })
    .strict(),
  'PresenceHeartbeatBody',
  { status: 'online' },
);

export const ListPresenceQuery = PaginationQuery;

export const PresenceList = named(
  z.object({
    object: z.literal('list'),
    data: z.array(PresenceSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  }),
  'PresenceList',
  { object: 'list', data: [PRESENCE_EXAMPLE], has_more: false, next_cursor: null },
  { description: 'Members online or away now, by member id.' },
);
