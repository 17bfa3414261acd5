import { z } from '@hono/zod-openapi';
import type { InviteRow } from '../../services/invites.js';
import { exampleOf, named } from '../../lib/openapi.js';
import { LocaleTag, Timestamp } from '../../lib/schemas.js';
import {
  BULK_INVITE_ERROR_CODES,
  INVITE_STATUSES,
  MAX_BULK_INVITES,
  normalizeEmail,
  inviteStatusOf,
  type BulkInviteOutcome,
} from '../../services/invites.js';

const EXAMPLE_ID = 'inv_01jdx3v4k7m9q2w8e5r6t0y1zc';

/** An address as the API accepts it: trimmed and lower-cased before it is checked and stored. */
const EmailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .refine((value) => normalizeEmail(value) !== null, 'Must be an email address such as ada@example.org.')
  .openapi({ format: 'email', description: 'Trimmed and lower-cased before use.', example: 'ada@example.org' });

const TierId = z.string().max(64).openapi({
  description: 'A tier of this tenant that is not archived; the invitee joins it on accepting.',
  example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
});

const Message = z.string().trim().min(1).max(2000).openapi({
  description: 'A personal note shown in the invitation mail (plain text, up to 2000 characters).',
  example: 'We would love to have you on the board!',
});

const MailLocale = LocaleTag.openapi({
  description:
    "Language of the invitation mail: one of the tenant's supported locales; the tenant's default when omitted.",
  example: 'de',
});

/** The status filter and field of an invite. */
export const InviteStatusSchema = z.enum(INVITE_STATUSES).openapi('InviteStatus', {
  description:
    '`pending`: sent, waiting to be accepted; `expired`: pending but past `expires_at` (resend it for a new link); `accepted`: the invitee joined; `revoked`: withdrawn, the link no longer works.',
  example: 'pending',
});

/** The Invite DTO. Deliberately has no token or hash field. */
export const InviteSchema = named(
  z.object({
    id: z.string().openapi({ example: EXAMPLE_ID }),
    object: z.literal('invite'),
    email: z.string().openapi({ example: 'ada@example.org' }),
    tier_id: z.string().nullable().openapi({
      description: 'The tier the invitee joins, if one was chosen.',
      example: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
    }),
    message: z.string().nullable().openapi({
      description: 'The personal note of the invitation mail.',
      example: 'We would love to have you on the board!',
    }),
    status: InviteStatusSchema,
    expires_at: Timestamp.openapi({
      description: 'When the current link stops working: 7 days after the last (re)send.',
    }),
    send_count: z
      .number()
      .int()
      .openapi({ description: 'How often the invitation was sent (1 + resends).', example: 1 }),
    last_sent_at: Timestamp,
    accepted_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
    created_at: Timestamp,
  }),
  'Invite',
  {
    id: EXAMPLE_ID,
    object: 'invite',
    email: 'ada@example.org',
    tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
    message: 'We would love to have you on the board!',
    status: 'pending',
    expires_at: '2026-12-04T09:30:00.000Z',
    send_count: 1,
    last_sent_at: '2026-11-27T09:30:00.000Z',
    accepted_at: null,
    revoked_at: null,
    created_at: '2026-11-27T09:30:00.000Z',
  },
  {
    description:
      'An invitation to join the tenant. Its single-use link is only ever in the invitation mail, never in the API.',
  },
);

/** An invite as the API returns it. */
export type InviteDto = z.infer<typeof InviteSchema>;

/** Body of `POST /v1/invites`. */
export const CreateInviteBody = z
  .strictObject({
    email: EmailAddress,
    tier_id: TierId.optional(),
    message: Message.optional(),
    locale: MailLocale.optional(),
  })
  .openapi('CreateInviteBody', {
    example: {
      email: 'ada@example.org',
      tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
      message: 'We would love to have you on the board!',
      locale: 'de',
    },
  });

/** Body of `POST /v1/invites/bulk`: raw strings, so invalid addresses are reported per item instead of failing the request. */
export const CreateInvitesBulkBody = z
  .strictObject({
    emails: z
      .array(z.string().max(320).openapi({ example: 'ada@example.org' }))
      .min(1)
      .max(MAX_BULK_INVITES)
      .openapi({
        description: `1 to ${MAX_BULK_INVITES} addresses. Invalid and repeated ones are reported per address, not rejected as a whole.`,
        example: ['ada@example.org', 'grace@example.org'],
      }),
    tier_id: TierId.optional(),
    message: Message.optional(),
    locale: MailLocale.optional(),
  })
  .openapi('CreateInvitesBulkBody', {
    example: { emails: ['ada@example.org', 'grace@example.org'], tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc' },
  });

/** The result for one address of a bulk request. */
export const InviteBulkItemSchema = z
  .object({
    email: z.string().openapi({ description: 'The address exactly as sent.', example: 'Ada@Example.org ' }),
    status: z.enum(['created', 'error']),
    invite: InviteSchema.optional().openapi({ description: 'The new invite, when `status` is `created`.' }),
    error: z
      .object({
        code: z.enum(BULK_INVITE_ERROR_CODES).openapi({
          description:
            '`INVALID_EMAIL`: not an address; `DUPLICATE_EMAIL`: repeats an earlier entry of the list; `MEMBER_EXISTS`: already a member; `INVITE_PENDING`: already invited (resend that invite instead).',
          example: 'MEMBER_EXISTS',
        }),
        message: z.string().openapi({ example: 'ada@example.org is already a member of this tenant.' }),
      })
      .optional()
      .openapi('InviteBulkError', { description: 'Why this address was not invited, when `status` is `error`.' }),
  })
  .openapi('InviteBulkItem');

/** Response of `POST /v1/invites/bulk`. */
export const InviteBulkResultSchema = z
  .object({
    object: z.literal('invite_bulk_result'),
    results: z.array(InviteBulkItemSchema).openapi({ description: 'One entry per address sent, in request order.' }),
    totals: z
      .object({
        created: z.number().int().openapi({ example: 2 }),
        failed: z.number().int().openapi({ example: 0 }),
      })
      .openapi('InviteBulkTotals'),
  })
  .openapi('InviteBulkResult', {
    example: {
      object: 'invite_bulk_result',
      results: [
        { email: 'ada@example.org', status: 'created', invite: exampleOf(InviteSchema)! },
        {
          email: 'grace@example.org',
          status: 'error',
          error: { code: 'MEMBER_EXISTS', message: 'grace@example.org is already a member of this tenant.' },
        },
      ],
      totals: { created: 1, failed: 1 },
    },
  });

/** Filters of `GET /v1/invites` (pagination is added by the route). */
export const ListInvitesQuery = z.object({
  status: InviteStatusSchema.optional().openapi({
    param: { name: 'status', in: 'query' },
    description: 'Only invites in this status.',
  }),
  email: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .optional()
    .openapi({
      param: { name: 'email', in: 'query' },
      description: 'Only invites to this address (case-insensitive, exact).',
      example: 'ada@example.org',
    }),
});

/** Maps an invite row to its DTO; `now` decides whether a pending invite shows as `expired`. Never exposes the token hash. */
export function toInviteDto(row: InviteRow, now: Date): InviteDto {
  return {
    id: row.id,
    object: 'invite',
    email: row.email,
    tier_id: row.tierId,
    message: row.message,
    status: inviteStatusOf(row, now),
    expires_at: row.expiresAt.toISOString(),
    send_count: row.sendCount,
    last_sent_at: row.lastSentAt.toISOString(),
    accepted_at: row.acceptedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/** Maps the outcomes of a bulk request to its response, with totals. */
export function toInviteBulkResult(outcomes: BulkInviteOutcome[], now: Date): z.infer<typeof InviteBulkResultSchema> {
  const results = outcomes.map(
    (o): z.infer<typeof InviteBulkItemSchema> =>
      o.invite
        ? { email: o.input, status: 'created', invite: toInviteDto(o.invite, now) }
        : { email: o.input, status: 'error', error: o.error },
  );
  const created = results.filter((r) => r.status === 'created').length;
  return { object: 'invite_bulk_result', results, totals: { created, failed: results.length - created } };
}
