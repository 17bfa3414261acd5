import { z } from '@hono/zod-openapi';
import { MEMBER_STATUSES } from '../../services/members.js';
import {
  DIGEST_FREQUENCIES,
  NOTIFICATION_BATCH_STATUSES,
  NOTIFICATION_TYPES,
} from '../../services/notification-dto.js';
import { named, PaginationQuery, pageOf } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';

const NTF_ID = 'ntf_01jdx3v4k7m9q2w8e5r6t0y1zc';
const NBAT_ID = 'nbat_01jdx3v4k7m9q2w8e5r6t0y1zc';
const MEMBER_ID = 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc';
const TIER_ID = 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc';

export const NotificationType = z.enum(NOTIFICATION_TYPES).openapi({
  description:
    'What the notification is about: `announcement` (staff sends and feed announcements), `message`, `mention`, `membership_renewal`, `payment_failed`, `invitation`, `custom`.',
  example: 'announcement',
});

const DigestFrequency = z.enum(DIGEST_FREQUENCIES).openapi({
  description: 'Email digest of unread notifications of this type: `off`, `daily` or `weekly`.',
  example: 'weekly',
});

/** Where a notification leads: a path on the tenant's site, or an https URL. */
const NotificationUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    if (value.startsWith('/') && !value.startsWith('//')) return true;
    try {
      return new URL(value).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Must be a path starting with / or an https URL.')
  .openapi({ description: 'Where the notification leads: a path on your site, or an https URL.', example: '/feed' });

const NOTIFICATION_EXAMPLE = {
  id: NTF_ID,
  object: 'notification' as const,
  type: 'announcement' as const,
  title: 'General assembly on 12 December',
  body: 'Join us at 7 pm in the club house. The agenda is on the website.',
  url: '/feed/post_01jdx3v4k7m9q2w8e5r6t0y1zc',
  data: { post_id: 'post_01jdx3v4k7m9q2w8e5r6t0y1zc' },
  read_at: null,
  created_at: '2026-11-27T09:30:00.000Z',
};

export const NotificationSchema = named(
  z.object({
    id: z.string().openapi({ example: NTF_ID }),
    object: z.literal('notification'),
    type: NotificationType,
    title: z.string(),
    body: z.string().nullable(),
    url: z.string().nullable(),
    data: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'What it is about (`{ conversation_id }`, `{ post_id }`, …).' }),
    read_at: Timestamp.nullable(),
    created_at: Timestamp,
  }),
  'Notification',
  NOTIFICATION_EXAMPLE,
  { description: 'One notification to the signed-in member.' },
);

export const NotificationListSchema = named(
  z.object({
    object: z.literal('list'),
    data: z.array(NotificationSchema),
    has_more: z.boolean(),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` to get the next page; null on the last page.' }),
    unread_count: z
      .number()
      .int()
      .openapi({ description: "The member's unread notifications (all of them, not this page's)." }),
  }),
  'NotificationList',
  {
    object: 'list',
    data: [NOTIFICATION_EXAMPLE],
    has_more: false,
    next_cursor: null,
    unread_count: 1,
  },
);

export const ListNotificationsQuery = PaginationQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: '`true`: unread notifications only.', example: 'true' }),
});

export const ReadNotificationSchema = named(
  NotificationSchema.extend({
    unread_count: z
      .number()
      .int()
      .openapi({ description: "The member's unread notifications after this one was read." }),
  }),
  'ReadNotification',
  { ...NOTIFICATION_EXAMPLE, read_at: '2026-11-27T10:02:00.000Z', unread_count: 0 },
);

export const ReadAllSchema = named(
  z.object({
    object: z.literal('notification_read_all'),
    updated: z.number().int().openapi({ description: 'Notifications marked read by this call.' }),
    unread_count: z.number().int(),
  }),
  'NotificationReadAll',
  { object: 'notification_read_all', updated: 3, unread_count: 0 },
);

const PreferenceSchema = z.object({
  type: NotificationType,
  in_app: z.boolean().openapi({ description: 'Shown in the app (when off, no notification of this type is created).' }),
  email_digest: DigestFrequency,
});

export const NotificationPreferencesSchema = named(
  z.object({
    object: z.literal('notification_preferences'),
    data: z.array(PreferenceSchema).openapi({ description: 'One entry per notification type, all types listed.' }),
  }),
  'NotificationPreferences',
  {
    object: 'notification_preferences',
    data: NOTIFICATION_TYPES.map((type) => ({
      type,
      in_app: true,
      email_digest: type === 'announcement' ? ('weekly' as const) : ('off' as const),
    })),
  },
);

export const UpdatePreferencesBody = named(
  z.strictObject({
    preferences: z
      .array(
        z.strictObject({
          type: NotificationType,
          in_app: z.boolean().optional(),
          email_digest: DigestFrequency.optional(),
        }),
      )
      .min(1)
      .max(NOTIFICATION_TYPES.length * 2),
  }),
  'UpdateNotificationPreferences',
  {
    preferences: [
      { type: 'announcement', email_digest: 'weekly' },
      { type: 'mention', in_app: false },
    ],
  },
);

const AudienceFilter = z
  .strictObject({
    status: z.array(z.enum(MEMBER_STATUSES)).min(1).max(MEMBER_STATUSES.length).optional(),
    tier_id: z.string().max(64).optional(),
    tag: z.string().min(1).max(50).optional(),
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Search in names and email, as the member list.' }),
  })
  .openapi({ description: 'The member list filters.' });

export const AudienceSchema = z
  .union([
    z.strictObject({ member_id: z.string().max(64) }),
    z.strictObject({ member_ids: z.array(z.string().max(64)).min(1).max(1000) }),
    z.strictObject({ tier_id: z.string().max(64) }),
    z.strictObject({ tier_ids: z.array(z.string().max(64)).min(1).max(100) }),
    z.strictObject({ tag: z.string().min(1).max(50) }),
    z.strictObject({ filter: AudienceFilter }),
    z.strictObject({ everyone: z.literal(true) }),
  ])
  .openapi('NotificationAudience', {
    description:
      'Who gets it: one member, up to 1,000 listed members, the members of a tier (or tiers), those with a tag, those matching member list filters, or everyone. Deleted members never.',
    example: { tier_id: TIER_ID },
  });

export const SendNotificationBody = named(
  z.strictObject({
    audience: AudienceSchema,
    type: z
      .enum(['announcement', 'custom'])
      .default('announcement')
      .openapi({ description: 'Default `announcement`.' }),
    title: z.string().trim().min(1).max(200),
    body: z.string().max(2000).optional(),
    url: NotificationUrl.optional(),
    // Flat on purpose: what a link or an element needs (ids, a label), never a document; and so never nested
    // deeper than a parser or a serializer can follow.
    data: z
      .record(z.string().min(1).max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
      .optional()
      .refine((d) => d === undefined || Object.keys(d).length <= 50, 'At most 50 keys.')
      .openapi({ description: 'Flat key → string, number, boolean or null; at most 50 keys.' }),
  }),
  'SendNotification',
  {
    audience: { tier_id: TIER_ID },
    type: 'announcement',
    title: 'General assembly on 12 December',
    body: 'Join us at 7 pm in the club house.',
    url: '/events/general-assembly',
  },
);

const BATCH_EXAMPLE = {
  id: NBAT_ID,
  object: 'notification_batch' as const,
  status: 'running' as const,
  audience: { tier_id: TIER_ID },
  type: 'announcement' as const,
  title: 'General assembly on 12 December',
  body: 'Join us at 7 pm in the club house.',
  url: '/events/general-assembly',
  data: {},
  total: 12480,
  delivered: 6000,
  skipped: 12,
  created_by: { type: 'staff', id: 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc' },
  created_at: '2026-11-27T09:30:00.000Z',
  started_at: '2026-11-27T09:30:01.000Z',
  completed_at: null,
};

export const NotificationBatchSchema = named(
  z.object({
    id: z.string().openapi({ example: NBAT_ID }),
    object: z.literal('notification_batch'),
    status: z.enum(NOTIFICATION_BATCH_STATUSES).openapi({
      description:
        '`queued`, `running` (progress in `delivered` and `skipped` of `total`), `completed`, `failed`, `canceled`.',
    }),
    audience: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The audience as it was sent.', example: { tier_id: TIER_ID } }),
    type: NotificationType,
    title: z.string(),
    body: z.string().nullable(),
    url: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    total: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Members matched when the send started (null while queued).' }),
    delivered: z.number().int().openapi({ description: 'Notifications created so far.' }),
    skipped: z.number().int().openapi({ description: 'Members who turned this type off.' }),
    created_by: z.object({ type: z.string(), id: z.string() }),
    created_at: Timestamp,
    started_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
  }),
  'NotificationBatch',
  BATCH_EXAMPLE,
  { description: 'A staff send to many members, fanned out in the background.' },
);

export const NotificationBatchList = pageOf(NotificationBatchSchema, 'NotificationBatchList');

export const ListBatchesQuery = PaginationQuery;

export { MEMBER_ID as EXAMPLE_MEMBER_ID };
