import { z } from '@hono/zod-openapi';
import { named, pageOf, PaginationQuery } from '../../lib/openapi.js';
import { Timestamp, withPattern } from '../../lib/schemas.js';
import { ACTIVITY_SOURCES, TYPE_FILTER_PATTERN, type TimelineEvent } from '../../services/activity-timeline.js';
import { DateRangeQuery, LocalDate } from '../analytics-engagement/analytics-engagement.schemas.js';

export const ActivityEventSchema = named(
  z.object({
    id: z.string().openapi({ description: "The client's id of the event, or the one Memberkit gave it (`evt_…`)." }),
    object: z.literal('activity_event'),
    member_id: z.string(),
    type: z.string().openapi({ example: 'event.attended' }),
    label: z
      .string()
      .openapi({ description: 'The type, named in the request locale (en, de).', example: 'Attended an event' }),
    occurred_at: Timestamp,
    received_at: Timestamp,
    source: z.enum(ACTIVITY_SOURCES).openapi({
      description:
        '`api`: sent with a secret key; `member`: by the member (a member token); `platform`: recorded by Memberkit.',
    }),
    tier_id: z.string().nullable().openapi({ description: "The member's tier when the event was recorded." }),
    properties: z.record(z.string(), z.unknown()),
  }),
  'ActivityEvent',
  {
    id: 'evt_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'activity_event',
    member_id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
    type: 'event.attended',
    label: 'Attended an event',
    occurred_at: '2026-11-27T18:30:00.000Z',
    received_at: '2026-11-27T18:30:02.000Z',
    source: 'api',
    tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
    properties: { event_id: 'annual-meeting-2026' },
  },
);

export const ActivityEventListSchema = pageOf(ActivityEventSchema, 'ActivityEventList');

export const TimelineQuery = PaginationQuery.extend({
  type: withPattern(
    z.string().max(64),
    TYPE_FILTER_PATTERN,
    'An event type (event.attended) or a namespace ending in .* (event.*).',
  )
    .optional()
    .openapi({ description: 'Only events of this type, or of a namespace (`event.*`).', example: 'event.*' }),
});

export const ActivityTypesQuery = z.object(DateRangeQuery);

export const ActivityTypeListSchema = named(
  z.object({
    object: z.literal('list'),
    from: LocalDate,
    to: LocalDate,
    data: z.array(
      z
        .object({
          type: z.string(),
          label: z.string(),
          events: z.number().int().openapi({ description: 'Events of the type in the range.' }),
          members: z.number().int().openapi({ description: 'Distinct members with such an event in the range.' }),
        })
        .openapi('ActivityTypeCount'),
    ),
  }),
  'ActivityTypeList',
  {
    object: 'list',
    from: '2026-11-01',
    to: '2026-11-30',
    data: [
      { type: 'page.viewed', label: 'Page viewed', events: 8_120, members: 390 },
      { type: 'member.signed_in', label: 'Signed in', events: 1_204, members: 377 },
      { type: 'x.quiz_passed', label: 'x.quiz_passed', events: 42, members: 30 },
    ],
  },
);

export function toActivityEventDto(e: TimelineEvent): z.infer<typeof ActivityEventSchema> {
  return {
    id: e.id,
    object: 'activity_event',
    member_id: e.memberId,
    type: e.type,
    label: e.label,
    occurred_at: e.occurredAt,
    received_at: e.receivedAt,
    source: e.source,
    tier_id: e.tierId,
    properties: e.properties,
  };
}
