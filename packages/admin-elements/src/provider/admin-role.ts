/** Roles of the person using the admin elements, from most to least powerful. */
export const adminRoles = ['owner', 'admin', 'manager', 'viewer'] as const;

/** The role of the person using the admin elements; it decides what they are offered. */
export type AdminRole = (typeof adminRoles)[number];

/** Whether a value is one of {@link adminRoles}. */
export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === 'string' && (adminRoles as readonly string[]).includes(value);
}
