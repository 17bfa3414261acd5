import { z } from '@hono/zod-openapi';
import { named, pageOf, PaginationQuery } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';

export const DirectoryQuery = PaginationQuery.extend({
  search: z.string().trim().max(100).optional().openapi({
    description:
      'Words matched against first and last names (never email): 3 or more characters anywhere, shorter ones at the start of a name.',
    example: 'ada',
  }),
});

/** A member as the directory shows them: names, tier, and the custom fields the reader may see. */
export const DirectoryMemberSchema = named(
  z.object({
    id: z.string().openapi({ example: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('directory_member'),
    first_name: z.string(),
    last_name: z.string(),
    tier: z.object({ id: z.string(), name: z.string() }).nullable(),
    custom_fields: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Fields marked `public`; with a member token also those marked `members`.' }),
    joined_at: Timestamp,
  }),
  'DirectoryMember',
  {
    id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'directory_member',
    first_name: 'Ada',
    last_name: 'Lovelace',
    tier: { id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc', name: 'Supporter' },
    custom_fields: { company: 'Analytical Engines Ltd' },
    joined_at: '2026-11-27T09:30:00.000Z',
  },
);

export const DirectoryMemberListSchema = pageOf(DirectoryMemberSchema, 'DirectoryMemberList');
