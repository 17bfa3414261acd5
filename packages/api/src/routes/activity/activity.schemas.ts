import { z } from '@hono/zod-openapi';
import { named } from '../../lib/openapi.js';
import { ACTIVITY_ITEM_ERROR_CODES, ACTIVITY_LIMITS, type IngestResult } from '../../services/activity-ingest.js';

/**
 * One event of a batch. Fields are checked per event by the ingest (a bad event is
 * rejected in its result, the others kept), so the schema only fixes JSON types.
 */
export const ActivityEventInput = z
  .object({
    id: z.string().optional().openapi({
      description:
        'Your id of the event (1–128 of `A–Z a–z 0–9 _ . : -`): makes sending it again safe, a repeat within 35 days is reported `duplicate` and counted once. Without it, Memberkit assigns an `evt_…` id.',
      example: 'order-4711-attended',
    }),
    type: z.string().openapi({
      description:
        'Namespaced type, `namespace.name` (lower case, digits, `_`; ≤ 64 characters): `page.*`, `event.*`, `course.*`, `content.*`, or `x.*` for your own. `member.*` is recorded by Memberkit itself.',
      example: 'event.attended',
    }),
    member_id: z.string().optional().openapi({
      description: "The member's id. Required with a secret key; a member token may leave it out (its own member).",
      example: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
    }),
    occurred_at: z.string().optional().openapi({
      description: 'When it happened (ISO 8601 with zone): at most 7 days back and 5 minutes ahead. Default: now.',
      example: '2026-12-07T09:30:00Z',
    }),
    properties: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description: 'A flat JSON object (values: strings, numbers, booleans, null), at most 4 KB.',
        example: { event: 'agm-2026', seat: 'B12' },
      }),
  })
  .openapi('ActivityEventInput');

export const CreateActivityBody = named(
  z.object({
    events: z.array(ActivityEventInput).openapi({
      description: `1 to ${ACTIVITY_LIMITS.maxBatch} events (more: 422 \`ACTIVITY_BATCH_TOO_LARGE\`, none: \`ACTIVITY_BATCH_EMPTY\`).`,
      minItems: 1,
      maxItems: ACTIVITY_LIMITS.maxBatch,
    }),
    atomic: z.boolean().optional().openapi({
      description:
        'When true, one invalid event fails the whole batch (422 `ACTIVITY_BATCH_REJECTED`, `errors` naming each as `events[i].field`) and nothing is written. Default false: invalid events are rejected one by one, the rest written.',
      example: false,
    }),
  }),
  'CreateActivityBody',
  {
    events: [
      {
        id: 'order-4711-attended',
        type: 'event.attended',
        member_id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
        occurred_at: '2026-12-07T09:30:00Z',
        properties: { event: 'agm-2026' },
      },
      { type: 'course.completed', member_id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc', properties: { course: 'first-aid' } },
    ],
  },
  { description: 'A batch of activity events.' },
);

const ActivityItemErrorSchema = z
  .object({
    code: z.enum(ACTIVITY_ITEM_ERROR_CODES).openapi({ example: 'EVENT_TOO_OLD' }),
    message: z.string().openapi({ example: 'occurred_at is more than 7 days back.' }),
    field: z.string().openapi({ description: "The event's field at fault.", example: 'occurred_at' }),
  })
  .openapi('ActivityItemError');

export const ActivityIngestResultSchema = named(
  z.object({
    object: z.literal('activity_ingest'),
    accepted: z.number().int().openapi({ description: 'Events written.' }),
    duplicates: z
      .number()
      .int()
      .openapi({ description: 'Events whose `id` was sent before (or twice in this batch): accepted, counted once.' }),
    rejected: z.number().int().openapi({ description: 'Invalid events, not written (see each `error`).' }),
    items: z
      .array(
        z.object({
          index: z.number().int().openapi({ description: 'Position in the batch.' }),
          id: z.string().nullable().openapi({ description: "The event's id (yours or the assigned `evt_…`)." }),
          status: z.enum(['accepted', 'duplicate', 'rejected']),
          error: ActivityItemErrorSchema.optional(),
        }),
      )
      .openapi({ description: 'One result per event, in batch order.' }),
  }),
  'ActivityIngestResult',
  {
    object: 'activity_ingest',
    accepted: 1,
    duplicates: 1,
    rejected: 1,
    items: [
      { index: 0, id: 'order-4711-attended', status: 'duplicate' },
      { index: 1, id: 'evt_01jdx3v4k7m9q2w8e5r6t0y1zc', status: 'accepted' },
      {
        index: 2,
        id: null,
        status: 'rejected',
        error: { code: 'EVENT_TOO_OLD', message: 'occurred_at is more than 7 days back.', field: 'occurred_at' },
      },
    ],
  },
  { description: 'Per-event results of a batch (accepted, duplicate or rejected with the reason).' },
);

/** The service's result as the API returns it. */
export function toIngestDto(result: IngestResult): z.input<typeof ActivityIngestResultSchema> {
  return {
    object: 'activity_ingest',
    accepted: result.accepted,
    duplicates: result.duplicates,
    rejected: result.rejected,
    items: result.items.map((item) => ({
      index: item.index,
      id: item.id,
      status: item.status,
      ...(item.error ? { error: item.error } : {}),
    })),
  };
}
