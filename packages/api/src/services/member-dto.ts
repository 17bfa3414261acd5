import type { MemberRow } from '../db/schema/index.js';

/**
 * A member as the API returns it (the `Member` schema): the response of the member
 * endpoints and the data of the `member.*` real-time events, so both always agree.
 */
export function memberDto(row: MemberRow) {
  return {
    id: row.id,
    object: 'member' as const,
    ...memberFields(row),
    last_active_at: row.lastActiveAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    deleted_at: row.deletedAt?.toISOString() ?? null,
  };
}

/**
 * A member's own fields under their API names: the member response
 * (`toMemberDto`) is built from it and audit entries record it, so a field added
 * to one shows in both.
 */
export function memberFields(
  row: Pick<MemberRow, 'email' | 'firstName' | 'lastName' | 'status' | 'tierId' | 'customFields' | 'tags'>,
) {
  return {
    email: row.email,
    first_name: row.firstName,
    last_name: row.lastName,
    status: row.status,
    tier_id: row.tierId,
    custom_fields: row.customFields,
    tags: row.tags,
  };
}
