import { describe, expect, it } from 'vitest';
import {
  rolePermissions as adminRolePermissions,
  statements as adminStatements,
} from '../../packages/admin-elements/src/internal/permissions.js';
import { statusTransitions as adminTransitions } from '../../packages/admin-elements/src/internal/member-status.js';
import {
  rolePermissions as apiRolePermissions,
  statements as apiStatements,
} from '../../packages/api/src/access/permissions.js';
import { STATUS_TRANSITIONS as apiTransitions } from '../../packages/api/src/services/member-status.js';

// The admin elements keep copies of two API rules (they cannot import the API):
// which role may do what, and which member status may follow which. The API
// enforces both; the copies decide what the console offers. They must not drift.
describe('rules the admin elements mirror from the API', () => {
  it('has the same permission statements and role permissions', () => {
    expect(adminStatements).toEqual(apiStatements);
    const asSorted = (table: Record<string, ReadonlySet<string>>) =>
      Object.fromEntries(Object.entries(table).map(([role, set]) => [role, [...set].sort()]));
    expect(asSorted(adminRolePermissions)).toEqual(asSorted(apiRolePermissions));
  });

  it('offers exactly the member status transitions the API allows', () => {
    const asSorted = (table: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(table).map(([from, to]) => [from, [...to].sort()]));
    expect(asSorted(adminTransitions)).toEqual(asSorted(apiTransitions));
  });
});
