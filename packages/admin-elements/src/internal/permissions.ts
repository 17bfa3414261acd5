import type { AdminRole } from '../provider/admin-role.js';

/**
 * The API's permission table (packages/api/src/auth/permissions.ts), mirrored so the
 * elements can hide what a role may not do. The API stays the authority: it refuses
 * a forbidden call whatever the page shows. Dependencies flow one way (the elements
 * do not import the API), hence the copy; examples/test/mirrored-rules.test.ts fails
 * the build when the two differ.
 */
export const statements = {
  tenant: ['read', 'update'],
  api_key: ['read', 'create', 'revoke'],
  member: ['read', 'create', 'update', 'delete'],
  tier: ['read', 'create', 'update', 'delete'],
  field: ['read', 'update'],
  invite: ['read', 'create', 'revoke'],
  audit_log: ['read'],
  staff: ['read', 'manage'],
} as const;

type Statements = typeof statements;

/** One permission, `resource:action`, e.g. `member:update`. */
export type Permission = { [R in keyof Statements]: `${R & string}:${Statements[R][number]}` }[keyof Statements];

const all = (Object.keys(statements) as (keyof Statements)[]).flatMap((resource) =>
  statements[resource].map((action) => `${resource}:${action}` as Permission),
);
const reads = all.filter((p) => p.endsWith(':read'));

/** What each staff role may do, as the API decides it. */
export const rolePermissions: Readonly<Record<AdminRole, ReadonlySet<Permission>>> = {
  owner: new Set(all),
  admin: new Set(all),
  manager: new Set<Permission>([
    ...reads,
    'member:create',
    'member:update',
    'member:delete',
    'tier:create',
    'tier:update',
    'tier:delete',
    'invite:create',
    'invite:revoke',
  ]),
  viewer: new Set(reads),
};

/** Whether `role` may perform `permission`. */
export function roleAllows(role: AdminRole, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}
