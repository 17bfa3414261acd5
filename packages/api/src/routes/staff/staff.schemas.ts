import { z } from '@hono/zod-openapi';
import { STAFF_ROLES, type OwnershipTransfer, type StaffRow, type StaffSession } from '../../accounts/staff.js';
import { rolePermissions, statements, type Permission, type Role as StaffRole } from '../../access/permissions.js';
import { exampleOf, named } from '../../lib/openapi.js';
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

export const StaffSchema = named(
  z.object({
    id: z.string().openapi({ example: 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('staff'),
    email: z.string(),
    name: z.string(),
    role: Role,
    status: z.enum(['invited', 'active', 'disabled']),
    last_login_at: Timestamp.nullable(),
    created_at: Timestamp,
  }),
  'Staff',
  {
    id: 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'staff',
    email: 'grace@example.org',
    name: 'Grace Hopper',
    role: 'manager',
    status: 'active',
    last_login_at: '2026-12-01T16:05:00.000Z',
    created_at: '2026-11-27T09:30:00.000Z',
  },
);

export const InviteStaffBody = z.strictObject({ email: Email, name: Name, role: Role }).openapi('InviteStaffBody', {
  example: { email: 'grace@example.org', name: 'Grace Hopper', role: 'manager' },
});
export const InviteOwnerBody = z.strictObject({ email: Email, name: Name }).openapi('InviteOwnerBody', {
  example: { email: 'grace@example.org', name: 'Grace Hopper' },
});
export const UpdateStaffBody = z
  .strictObject({ role: Role })
  .openapi('UpdateStaffBody', { example: { role: 'admin' } });
export const StaffLoginBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(1024) })
  .openapi('StaffLoginBody', { example: { email: 'grace@example.org', password: 'compiler-cobol-1959' } });
export const StaffAcceptBody = z
  .strictObject({ token: z.string().min(1).max(200), password: z.string().min(1).max(1024) })
  .openapi('StaffAcceptInviteBody', {
    example: { token: 'pQ7vX2mK9rT4wZ8bN3cF6hJ1sL5dG0yA', password: 'compiler-cobol-1959' },
  });

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
  .openapi('StaffSession', {
    example: {
      object: 'staff_session',
      session_id: 'ses_01jdx3v4k7m9q2w8e5r6t0y1zc',
      token_type: 'Bearer',
      access_token:
        'eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMTEtMjctWGszdlE5cEwybSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2FwaS5tZW1iZXJraXQuZGV2L3YxL3RlbmFudHMvdG50XzAxamR4M3Y0azdtOXEydzhlNXI2dDB5MXpjIiwic3ViIjoic3RmXzAxamR4M3Y0azdtOXEydzhlNXI2dDB5MXpjIiwiYXVkIjoibWVtYmVya2l0OnN0YWZmIiwiaWF0IjoxNzk2Mzc2NjAwLCJleHAiOjE3OTYzNzcyMDB9.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw',
      expires_in: 600,
      refresh_token: 'rt_9fK2mQ7vX4pL8sT3wZ6bN1cH5jR0dG2yA7eU4iO',
      staff: exampleOf(StaffSchema)!,
      permissions: ['member:read', 'member:update', 'tier:read'],
    },
  });

export const CurrentStaffSchema = StaffSchema.extend({ permissions: Permissions }).openapi('CurrentStaff', {
  example: { ...exampleOf(StaffSchema)!, permissions: ['member:read', 'member:update', 'tier:read'] },
  description: 'The signed-in staff user, with what their role may do.',
});

export const OwnershipTransferSchema = z
  .object({
    object: z.literal('ownership_transfer'),
    owner: StaffSchema,
    previous_owner: StaffSchema,
  })
  .openapi('OwnershipTransfer', {
    example: {
      object: 'ownership_transfer',
      owner: { ...exampleOf(StaffSchema)!, role: 'owner' },
      previous_owner: {
        ...exampleOf(StaffSchema)!,
        id: 'stf_01jdx3v4k8a1b2c3d4e5f6g7h8j9',
        email: 'ada@example.org',
        name: 'Ada Lovelace',
        role: 'admin',
      },
    },
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
