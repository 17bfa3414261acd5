import { z } from '@hono/zod-openapi';
import { STAFF_ROLES, type OwnershipTransfer, type StaffRow, type StaffSession } from '../../accounts/staff.js';
import { rolePermissions, statements, type Permission, type Role as StaffRole } from '../../access/permissions.js';
import { Timestamp } from '../../lib/schemas.js';

const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Must be an email address.' }))
  .openapi({ example: 'grace@example.org' });
const Role = z.enum(STAFF_ROLES).openapi({
  description:
    '`owner` and `admin`: everything (only owners manage owners); `manager`: members, tiers, invites; `viewer`: read only. A caller acts only on staff whose role, before and after, is at most its own.',
  example: 'manager',
});
const Name = z.string().trim().min(1).max(100).openapi({ example: 'Grace Hopper' });

export const StaffSchema = z
  .object({
    id: z.string().openapi({ example: 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('staff'),
    email: z.string(),
    name: z.string(),
    role: Role,
    status: z.enum(['invited', 'active', 'disabled']),
    last_login_at: Timestamp.nullable(),
    created_at: Timestamp,
  })
  .openapi('Staff');

export const InviteStaffBody = z.strictObject({ email: Email, name: Name, role: Role }).openapi('InviteStaffBody');
export const InviteOwnerBody = z.strictObject({ email: Email, name: Name }).openapi('InviteOwnerBody');
export const UpdateStaffBody = z.strictObject({ role: Role }).openapi('UpdateStaffBody');
export const StaffLoginBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(1024) })
  .openapi('StaffLoginBody');
export const StaffAcceptBody = z
  .strictObject({ token: z.string().min(1).max(200), password: z.string().min(1).max(1024) })
  .openapi('StaffAcceptInviteBody');

/** Every permission, `resource:action`, in the order of the API's permission table. */
const PERMISSIONS = Object.entries(statements).flatMap(([resource, actions]) =>
  actions.map((action) => `${resource}:${action}` as Permission),
) as [Permission, ...Permission[]];

/**
 * What the caller's role may do, served so the admin elements hide what the API would
 * refuse instead of keeping a copy of the permission table.
 */
const Permissions = z.array(z.enum(PERMISSIONS).openapi('Permission')).openapi({
  description: "What the staff user's role may do (`resource:action`); the API checks the same table on every call.",
  example: ['member:read', 'member:update', 'tier:read'],
});

/** The permissions of `role`, in table order. */
export function permissionsOf(role: StaffRole): Permission[] {
  return PERMISSIONS.filter((permission) => rolePermissions[role].has(permission));
}

export const StaffSessionSchema = z
  .object({
    object: z.literal('staff_session'),
    session_id: z.string(),
    token_type: z.literal('Bearer'),
    access_token: z.string().openapi({ description: 'ES256 JWT with audience `memberkit:staff`, valid 10 minutes.' }),
    expires_in: z.number().int(),
    refresh_token: z.string(),
    staff: StaffSchema,
    permissions: Permissions,
  })
  .openapi('StaffSession');

export const CurrentStaffSchema = StaffSchema.extend({ permissions: Permissions }).openapi('CurrentStaff', {
  description: 'The signed-in staff user, with what their role may do.',
});

export const OwnershipTransferSchema = z
  .object({
    object: z.literal('ownership_transfer'),
    owner: StaffSchema,
    previous_owner: StaffSchema,
  })
  .openapi('OwnershipTransfer', {
    description: '`owner` is the new owner; `previous_owner` the caller, now an admin.',
  });

export function toStaffDto(row: StaffRow): z.infer<typeof StaffSchema> {
  return {
    id: row.id,
    object: 'staff',
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    last_login_at: row.lastLoginAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

export function toStaffSessionDto(s: StaffSession): z.infer<typeof StaffSessionSchema> {
  return {
    object: 'staff_session',
    session_id: s.session.id,
    token_type: 'Bearer',
    access_token: s.accessToken,
    expires_in: s.expiresIn,
    refresh_token: s.refreshToken,
    staff: toStaffDto(s.staff),
    permissions: permissionsOf(s.staff.role),
  };
}

export function toOwnershipTransferDto(t: OwnershipTransfer): z.infer<typeof OwnershipTransferSchema> {
  return { object: 'ownership_transfer', owner: toStaffDto(t.owner), previous_owner: toStaffDto(t.previousOwner) };
}
