import { plural } from './plural.js';

/**
 * English strings of the live updates in `<member-admin-table>` and
 * `<member-admin-editor>`, `strings.live` of the admin strings.
 */
export const liveEn = {
  newMembers: (n: number) => plural('en', n, { one: '# new member', other: '# new members' }),
  listChanged: 'Members changed elsewhere may now match the filter.',
  refresh: 'Refresh',
  memberChanged: (name: string, status: string) => `${name} changed: ${status}`,
  memberAdded: (name: string) => `${name} was added`,
  memberLeft: (name: string) => `${name} left this list`,
  // Editor
  changedElsewhere: 'This member was changed elsewhere while you had it open.',
  changedElsewhereDirty: 'This member was changed elsewhere. Your unsaved changes are still here.',
  deletedElsewhere: 'This member was deleted elsewhere.',
  reload: 'Reload',
  keepMine: 'Keep my changes',
  reloaded: 'Reloaded with the latest changes.',
};
