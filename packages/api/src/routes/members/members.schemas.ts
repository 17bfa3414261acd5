import { z } from '@hono/zod-openapi';
import { MEMBER_STATUSES, type MemberRow } from '../../services/members.js';
import { memberDto } from '../../services/member-dto.js';
import { exampleOf, named } from '../../lib/openapi.js';
import { Timestamp, withPattern } from '../../lib/schemas.js';
import { withQuerySyntax } from '../../lib/validation.js';
import { MEMBER_SORTS } from '../../services/members.js';
import { STATUS_TRANSITIONS } from '../../services/member-status.js';
import type { EngagementSegment, MemberFilter } from '../../services/member-filters.js';

export const MemberStatusSchema = z.enum(MEMBER_STATUSES).openapi('MemberStatus', {
  description:
    'Lifecycle: pending → active | inactive; active ⇄ inactive; active/inactive → suspended; suspended → active | inactive.',
  // The API's transition table itself, for clients: the SDK generates its exported table from it.
  'x-memberkit-status-transitions': STATUS_TRANSITIONS,
});

const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Must be an email address.' }))
  .openapi({ example: 'ada@example.org' });
const Name = z.string().trim().min(1).max(100);
const Tag = withPattern(
  z.string().trim().min(1).max(50),
  /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u,
  'Letters, digits, spaces, dots, dashes and underscores; starting with a letter or digit.',
);
const Tags = z
  .array(Tag)
  .max(50)
  .openapi({ example: ['volunteer', 'board'] });
const CustomFieldValues = z.record(z.string(), z.unknown()).openapi({
  description: "Values of the tenant's custom fields by key, validated against their definitions.",
  example: { company: 'Acme' },
});
const TierId = z.string().max(64).openapi({ example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc' });

export const MemberSchema = named(
  z.object({
    id: z.string().openapi({ example: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('member'),
    email: z.string(),
    first_name: z.string().openapi({ example: 'Ada' }),
    last_name: z.string().openapi({ example: 'Lovelace' }),
    status: MemberStatusSchema,
    tier_id: z.string().nullable(),
    custom_fields: CustomFieldValues,
    tags: z.array(z.string()),
    last_active_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: Timestamp.nullable().openapi({ description: 'Set while soft-deleted; restorable for 30 days.' }),
  }),
  'Member',
  {
    id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'member',
    email: 'ada@example.org',
    first_name: 'Ada',
    last_name: 'Lovelace',
    status: 'active',
    tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
    custom_fields: { company: 'Analytical Engines Ltd' },
    tags: ['volunteer', 'board'],
    last_active_at: '2026-12-01T16:05:00.000Z',
    created_at: '2026-11-27T09:30:00.000Z',
    updated_at: '2026-12-01T16:05:00.000Z',
    deleted_at: null,
  },
);

export const CreateMemberBody = z
  .strictObject({
    email: Email,
    first_name: Name,
    last_name: Name,
    status: MemberStatusSchema.optional().openapi({ description: 'Defaults to `pending`.' }),
    tier_id: TierId.nullable().optional(),
    custom_fields: CustomFieldValues.optional(),
    tags: Tags.optional(),
  })
  .openapi('CreateMemberBody', {
    example: {
      email: 'ada@example.org',
      first_name: 'Ada',
      last_name: 'Lovelace',
      tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
      custom_fields: { company: 'Analytical Engines Ltd' },
      tags: ['volunteer'],
    },
  });

export const UpdateMemberBody = z
  .strictObject({
    email: Email.optional(),
    first_name: Name.optional(),
    last_name: Name.optional(),
    status: MemberStatusSchema.optional(),
    tier_id: TierId.nullable().optional(),
    custom_fields: CustomFieldValues.optional().openapi({ description: 'Merged key by key; `null` removes a value.' }),
    tags: Tags.optional().openapi({ description: "Replaces the member's tags." }),
  })
  .openapi('UpdateMemberBody', {
    example: { status: 'active', custom_fields: { company: null }, tags: ['volunteer', 'board'] },
  });

const StatusList = z
  .string()
  .transform((value, ctx) => {
    const list = value.split(',').map((s) => s.trim());
    for (const s of list) {
      if (!(MEMBER_STATUSES as readonly string[]).includes(s)) {
        ctx.addIssue({ code: 'custom', message: `Unknown status "${s}"; use ${MEMBER_STATUSES.join(', ')}.` });
        return z.NEVER;
      }
    }
    return list as (typeof MEMBER_STATUSES)[number][];
  })
  .openapi({ type: 'string', description: 'One status or several separated by commas.', example: 'active,pending' });

const CustomFieldFilter = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx) => {
    const list = Array.isArray(value) ? value : [value];
    const out: { key: string; value: string }[] = [];
    for (const item of list) {
      const at = item.indexOf(':');
      if (at < 1) {
        ctx.addIssue({ code: 'custom', message: 'Use key:value, e.g. company:Acme.' });
        return z.NEVER;
      }
      out.push({ key: item.slice(0, at), value: item.slice(at + 1) });
    }
    return out;
  })
  .openapi({
    type: 'string',
    description: 'Custom field filter `key:value`; repeat for several (all must match).',
    example: 'company:Acme',
  });
withQuerySyntax(
  CustomFieldFilter,
  'custom_field=<key>:<value>, e.g. custom_field=city:London; repeat it for several (custom_field=city:London&custom_field=company:Acme: all must match)',
);

/** Filters shared by list, bulk (`filter`) and export. */
export const MemberFilterShape = {
  search: z.string().trim().min(1).max(100).optional().openapi({
    description:
      'Words matched in first name, last name or email (case-insensitive): a word of 3 or more characters anywhere, a shorter one at the start of a word (`al` finds Alice and al@example.org, not Vidal). Every word must match.',
    example: 'ada',
  }),
  status: StatusList.optional(),
  tier_id: TierId.optional(),
  tag: Tag.optional(),
  created_after: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created at or after this time.' }),
  created_before: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Created before this time.' }),
  custom_field: CustomFieldFilter.optional(),
  segment: z.enum(['highly_active', 'moderately_active', 'low', 'dormant']).optional().openapi({
    description:
      "Engagement over the 30 local days ending today (the tenant's time zone) against the tenant's thresholds (`analytics.engagement_thresholds`): `highly_active` at least `highly_active` events, `moderately_active` at least `moderately_active`, `low` at least one, `dormant` none (the drifting-away view). Counted from the activity rollups, so events appear once the rollup worker applied them.",
    example: 'dormant',
  }),
};

export const MemberFilterBody = z.strictObject(MemberFilterShape).openapi('MemberFilter');

export const ListMembersQuery = z.object({
  ...MemberFilterShape,
  sort: z.enum(MEMBER_SORTS).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(1024)
    .optional()
    .openapi({ description: '`next_cursor` of the previous page of the same query.' }),
  include_total: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Add `total_count` (one more query).' }),
});

export const MemberListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(MemberSchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
    total_count: z.number().int().optional(),
  })
  .openapi('MemberList', {
    example: {
      object: 'list',
      data: [exampleOf(MemberSchema)!],
      has_more: true,
      next_cursor: 'eyJ2IjoxLCJrIjpbIjIwMjYtMTEtMjdUMDk6MzA6MDAuMDAwWiJdfQ',
      total_count: 128,
    },
  });

/**
 * Parsed filter fields → the service's filter; `now` places the segment's 30-day
 * window (the tenant's local day at `now` is its last day).
 */
export function toMemberFilter(
  q: {
    search?: string | undefined;
    status?: (typeof MEMBER_STATUSES)[number][] | undefined;
    tier_id?: string | undefined;
    tag?: string | undefined;
    created_after?: string | undefined;
    created_before?: string | undefined;
    custom_field?: { key: string; value: string }[] | undefined;
    segment?: EngagementSegment | undefined;
  },
  now: Date,
): MemberFilter {
  return {
    ...(q.search ? { search: q.search } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.tier_id ? { tierId: q.tier_id } : {}),
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.created_after ? { createdAfter: new Date(q.created_after) } : {}),
    ...(q.created_before ? { createdBefore: new Date(q.created_before) } : {}),
    ...(q.custom_field ? { customFields: q.custom_field } : {}),
    ...(q.segment ? { segment: { name: q.segment, asOf: now } } : {}),
  };
}

export function toMemberDto(row: MemberRow): z.infer<typeof MemberSchema> {
  return memberDto(row);
}

export const BULK_ACTIONS = ['update_status', 'change_tier', 'add_tags', 'remove_tags', 'delete'] as const;

export const BulkMembersBody = z
  .strictObject({
    action: z.enum(BULK_ACTIONS),
    member_ids: z
      .array(z.string().max(64))
      .min(1)
      .max(10_000)
      .optional()
      .openapi({ description: 'Up to 10,000 member ids. Give this or `filter`.' }),
    filter: MemberFilterBody.optional().openapi({
      description: 'The same filters as listing; must match at most 10,000 members.',
    }),
    params: z
      .strictObject({
        status: MemberStatusSchema.optional().openapi({ description: 'For `update_status`.' }),
        tier_id: TierId.nullable().optional().openapi({ description: 'For `change_tier`; null removes the tier.' }),
        tags: z.array(Tag).min(1).max(50).optional().openapi({ description: 'For `add_tags` and `remove_tags`.' }),
      })
      .default({}),
    atomic: z
      .boolean()
      .default(true)
      .openapi({ description: 'All or nothing (default). `false` applies what it can.' }),
  })
  .superRefine((body, ctx) => {
    if ((body.member_ids === undefined) === (body.filter === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['member_ids'], message: 'Give either member_ids or filter.' });
    }
    const needs: Partial<Record<(typeof BULK_ACTIONS)[number], 'status' | 'tier_id' | 'tags'>> = {
      update_status: 'status',
      change_tier: 'tier_id',
      add_tags: 'tags',
      remove_tags: 'tags',
    };
    const needed = needs[body.action];
    if (needed && body.params[needed] === undefined)
      ctx.addIssue({ code: 'custom', path: ['params', needed], message: `Required for ${body.action}.` });
  })
  .openapi('BulkMembersBody', {
    example: {
      action: 'add_tags',
      filter: { status: 'active', custom_field: 'company:Acme' },
      params: { tags: ['newsletter'] },
    },
  });

export const BulkResultSchema = z
  .object({
    object: z.literal('bulk_result'),
    action: z.enum(BULK_ACTIONS),
    atomic: z.boolean(),
    applied: z
      .boolean()
      .openapi({ description: 'False when an atomic action was rolled back because a member failed.' }),
    totals: z.object({
      requested: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      not_found: z.number().int(),
    }),
    results: z.array(
      z
        .object({
          id: z.string(),
          status: z
            .enum(['ok', 'error', 'not_found', 'skipped'])
            .openapi({ description: '`skipped`: would have succeeded, but the atomic action was rolled back.' }),
          error: z.object({ code: z.string(), message: z.string() }).optional(),
        })
        .openapi('BulkItemResult'),
    ),
  })
  .openapi('BulkResult', {
    example: {
      object: 'bulk_result',
      action: 'add_tags',
      atomic: true,
      applied: true,
      totals: { requested: 2, succeeded: 2, failed: 0, not_found: 0 },
      results: [
        { id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc', status: 'ok' },
        { id: 'mem_01jdx3v4k8a1b2c3d4e5f6g7h8j9', status: 'ok' },
      ],
    },
  });

export const ImportMembersQuery = z.object({
  format: z.enum(['csv', 'ndjson']).optional().openapi({ description: 'Defaults from the Content-Type.' }),
  dry_run: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Validate and report without writing anything.' }),
  on_duplicate: z
    .enum(['skip', 'update'])
    .default('skip')
    .openapi({ description: 'What to do with rows whose email already belongs to a member.' }),
  mapping: z
    .string()
    .max(10_000)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return {};
      try {
        const parsed: unknown = JSON.parse(value);
        if (
          typeof parsed === 'object' &&
          parsed !== null &&
          !Array.isArray(parsed) &&
          Object.values(parsed).every((v) => typeof v === 'string')
        ) {
          return parsed as Record<string, string>;
        }
      } catch {
        // reported below
      }
      ctx.addIssue({
        code: 'custom',
        message:
          'Must be a JSON object of CSV column → field, e.g. {"E-Mail":"email","Firma":"custom_fields.company"}.',
      });
      return z.NEVER;
    })
    .openapi({
      type: 'string',
      description:
        'CSV only: JSON object mapping column names to `email`, `first_name`, `last_name`, `status`, `tier_id`, `tags` (`;`-separated), `custom_fields.<key>`, or `""` to ignore.',
    }),
});

export const ImportResultSchema = z
  .object({
    object: z.literal('import_result'),
    dry_run: z.boolean(),
    applied: z.boolean().openapi({
      description: 'True when the rows were written; false for dry runs and for files with errors (nothing written).',
    }),
    totals: z.object({
      rows: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      skipped: z.number().int(),
      failed: z.number().int(),
    }),
    errors: z.array(
      z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() }).openapi('ImportRowError'),
    ),
    errors_truncated: z.boolean().openapi({ description: 'More than 1,000 errors: only the first 1,000 are listed.' }),
  })
  .openapi('ImportResult', {
    example: {
      object: 'import_result',
      dry_run: true,
      applied: false,
      totals: { rows: 3, created: 1, updated: 0, skipped: 1, failed: 1 },
      errors: [{ line: 4, field: 'email', message: 'Must be an email address.' }],
      errors_truncated: false,
    },
  });

export const ExportMembersQuery = z.object({
  ...MemberFilterShape,
  format: z.enum(['csv', 'ndjson']).default('csv'),
});
