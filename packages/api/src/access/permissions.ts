/**
 * Permissions as data: each resource lists its actions, each role is built from
 * them. Routes ask for one permission with `requireCredential`; a 403 names it.
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
  /** Member activity: timelines (`read`) and ingest by secret key (`create`). */
  activity: ['read', 'create'],
  /** Engagement, retention, growth and custom report queries. */
  analytics: ['read'],
  /** Saved and scheduled reports: `read` lists them, `manage` creates, changes, schedules and deletes. */
  report: ['read', 'manage'],
  /** Subscriptions, invoices, revenue (`read`); refunds, cancellations, comps, billing settings, metered features (`write`). */
  billing: ['read', 'write'],
  /** Sending notifications to members (one, a tier, a tag, a segment, everyone) and reading the sends' progress. */
  notification: ['read', 'create'],
  /** The feed: `read` everything incl. hidden posts and reports; `manage` announcements and moderation (hide, delete, lock, resolve reports). */
  feed: ['read', 'manage'],
  /** Conversations: `read` the support inbox and any conversation; `write` reply, assign, close; `moderate` delete messages, lock conversations. */
  message: ['read', 'write', 'moderate'],
} as const;

type Statements = typeof statements;
export type Permission = { [R in keyof Statements]: `${R & string}:${Statements[R][number]}` }[keyof Statements];

export const SECRET_KEY_ROLES = ['admin', 'manager', 'viewer'] as const;
export type SecretKeyRole = (typeof SECRET_KEY_ROLES)[number];
/** Staff users have the secret-key roles plus `owner`, who alone may make or unmake owners. */
export type Role = SecretKeyRole | 'owner';

const all = (Object.keys(statements) as (keyof Statements)[]).flatMap((resource) =>
  statements[resource].map((action) => `${resource}:${action}` as Permission),
);
const reads = all.filter((p) => p.endsWith(':read'));

/** What each role may do. `admin` may do everything; `manager` runs membership; `viewer` reads. */
export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
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
    'activity:create',
    'report:manage',
    'notification:create',
    'feed:manage',
    'message:write',
    'message:moderate',
  ]),
  viewer: new Set(reads),
};

/** Whether `role` may perform `permission`. */
export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}

/**
 * Roles from most to least powerful: the order the role ceiling compares by
 * (see `role-ceiling.ts`). `admin` and `owner` share permissions; only the
 * order sets them apart, which is what keeps owners out of admins' reach.
 */
export const ROLE_ORDER = ['owner', 'admin', 'manager', 'viewer'] as const satisfies readonly Role[];

/** Whether `role` is at most `ceiling` in {@link ROLE_ORDER} (a role is at most itself). */
export function roleAtMost(role: Role, ceiling: Role): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(ceiling);
}
