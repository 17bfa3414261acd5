import type { MemberStatus } from '@memberkit/sdk';
import { billingEn } from './billing-en.js';
import { announcementsEn } from './announcements-en.js';
import { inboxEn } from './inbox-en.js';
import { liveEn } from './live-en.js';
import { plural } from './plural.js';

/**
 * Every string the admin elements show, in English. Other locales implement the
 * same shape (a missing key is a type error); functions take what they interpolate.
 */
export const en = {
  locale: 'en',
  // Provider / login
  loginTitle: 'Staff sign-in',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  sessionExpired: 'Your session has ended. Sign in again.',
  noSession: 'Not signed in.',
  signedInAs: (name: string, role: string) => `Signed in as ${name} (${role})`,
  // Roles
  role: { owner: 'Owner', admin: 'Admin', manager: 'Manager', viewer: 'Viewer' } as Record<string, string>,
  // Statuses
  status: { pending: 'Pending', active: 'Active', inactive: 'Inactive', suspended: 'Suspended' } as Record<
    MemberStatus,
    string
  >,
  // Table
  membersLabel: 'Members',
  search: 'Search',
  searchPlaceholder: 'Name or email',
  filters: 'Filters',
  filterStatus: 'Status',
  filterTier: 'Tier',
  filterTag: 'Tag',
  createdFrom: 'Created from',
  createdTo: 'Created to',
  customFieldFilter: 'Custom field',
  customFieldValue: 'Value',
  any: 'Any',
  noTier: 'No tier',
  clearFilters: 'Clear filters',
  columns: 'Columns',
  column: {
    member: 'Member',
    tier: 'Tier',
    status: 'Status',
    tags: 'Tags',
    last_active_at: 'Last activity',
    created_at: 'Created',
  } as Record<string, string>,
  sortBy: (column: string) => `Sort by ${column}`,
  selectRow: (name: string) => `Select ${name}`,
  selectPage: 'Select all on this page',
  selectedCount: (n: number) => `${n.toLocaleString('en')} selected`,
  selectAllMatching: (n: number) =>
    plural('en', n, { one: 'Select the # matching member', other: 'Select all # matching members' }),
  allMatchingSelected: (n: number) =>
    plural('en', n, { one: 'The # matching member is selected.', other: 'All # matching members are selected.' }),
  clearSelection: 'Clear selection',
  totalCount: (n: number) => plural('en', n, { one: '# member', other: '# members' }),
  pageSize: 'Rows per page',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  pageOf: (page: number) => `Page ${page}`,
  loading: 'Loading members…',
  empty: 'No members match.',
  emptyHint: 'Change the search or filters, or add a member.',
  loadError: 'The members could not be loaded.',
  retry: 'Retry',
  never: 'Never',
  rowActions: (name: string) => `Actions for ${name}`,
  moreTags: (tags: readonly string[]) =>
    `${plural('en', tags.length, { one: '# more tag', other: '# more tags' })}: ${tags.join(', ')}`,
  edit: 'Edit',
  suspend: 'Suspend',
  activate: 'Activate',
  addMember: 'Add member',
  // Bulk
  bulkActions: 'Bulk actions',
  bulkChangeStatus: 'Change status',
  bulkChangeTier: 'Change tier',
  bulkAddTag: 'Add tag',
  bulkRemoveTag: 'Remove tag',
  bulkDelete: 'Delete',
  bulkApply: 'Apply',
  tagName: 'Tag',
  confirmBulk: (action: string, n: number) =>
    `${action}: this affects ${plural('en', n, { one: '# member', other: '# members' })}. Continue?`,
  confirm: 'Confirm',
  cancel: 'Cancel',
  bulkDone: (ok: number, failed: number) =>
    `${ok.toLocaleString('en')} updated, ${failed.toLocaleString('en')} failed.`,
  bulkRolledBack: 'Nothing was changed: at least one member failed.',
  bulkResultRow: (name: string, outcome: string) => `${name}: ${outcome}`,
  outcome: { ok: 'done', error: 'failed', not_found: 'not found', skipped: 'not changed' } as Record<string, string>,
  close: 'Close',
  // Editor
  newMember: 'New member',
  editMember: 'Edit member',
  firstName: 'First name',
  lastName: 'Last name',
  tier: 'Tier',
  tags: 'Tags',
  tagsHint: 'Separate tags with commas.',
  customFields: 'Custom fields',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved.',
  create: 'Create',
  deleteMember: 'Delete member',
  fixErrors: 'Please correct the highlighted fields.',
  history: 'History',
  noHistory: 'No changes recorded yet.',
  yes: 'Yes',
  no: 'No',
  required: 'Required.',
  // Invites
  inviteTitle: 'Invite members',
  inviteEmails: 'Email addresses',
  inviteEmailsHint: 'One or many, separated by commas, spaces or new lines.',
  inviteMessage: 'Personal message (optional)',
  sendInvites: 'Send invitations',
  invitesSent: (n: number) => plural('en', n, { one: '# invitation sent.', other: '# invitations sent.' }),
  invitesFailed: (n: number) => `${n.toLocaleString('en')} could not be sent:`,
  pendingInvites: 'Pending invitations',
  noInvites: 'No pending invitations.',
  resend: 'Resend',
  revoke: 'Revoke',
  sentAt: 'Sent',
  expiresAt: 'Expires',
  inviteStatus: { pending: 'Pending', accepted: 'Accepted', revoked: 'Revoked', expired: 'Expired' } as Record<
    string,
    string
  >,
  // Import / export
  importTitle: 'Import members',
  csvFile: 'CSV file',
  mapColumns: 'Map columns to fields',
  ignoreColumn: 'Ignore',
  onDuplicate: 'When the email exists',
  duplicateSkip: 'Skip the row',
  duplicateUpdate: 'Update the member',
  dryRun: 'Check (dry run)',
  runImport: 'Import',
  importing: 'Importing…',
  previewRows: (n: number) =>
    plural('en', n, { one: 'Preview of the first row', other: 'Preview of the first # rows' }),
  dryRunResult: (rows: number, failed: number) =>
    `${plural('en', rows, { one: '# row checked', other: '# rows checked' })}, ${failed.toLocaleString('en')} with errors.`,
  importResult: (created: number, updated: number, skipped: number) =>
    `Imported: ${created.toLocaleString('en')} created, ${updated.toLocaleString('en')} updated, ${skipped.toLocaleString('en')} skipped.`,
  importFailed: 'Nothing was imported: fix the rows below and try again.',
  rowError: (line: number, field: string | null, message: string) =>
    `Line ${line}${field ? ` (${field})` : ''}: ${message}`,
  exportTitle: 'Export',
  exportCsv: 'Export CSV',
  exporting: 'Exporting…',
  exportReady: (n: number) => plural('en', n, { one: 'Exported # member.', other: 'Exported # members.' }),
  // Audit log
  auditTitle: 'Audit log',
  auditAction: 'Action',
  auditActor: 'Actor',
  auditTarget: 'Target',
  auditFrom: 'From',
  auditTo: 'To',
  auditWhen: 'When',
  auditChanges: 'Changes',
  auditEmpty: 'No entries.',
  auditRedacted: 'Personal data erased',
  loadMore: 'Load more',
  chainValid: (n: number, redacted = 0) =>
    plural('en', n, {
      one: 'Chain verified: the # entry is intact.',
      other: 'Chain verified: all # entries are intact.',
    }) + (redacted > 0 ? ` ${redacted.toLocaleString('en')} of them had personal data erased with a member.` : ''),
  chainInvalid: (seq: number | null, reason: string | null) =>
    `Chain broken at entry ${seq ?? '?'}: ${reason ?? 'mismatch'}.`,
  chainChecking: 'Verifying the chain…',
  verify: 'Verify again',
  apply: 'Apply',
  genericError: 'Something went wrong.',
  forbidden: 'Your role may not do this.',
  // Staff invitation acceptance
  acceptTitle: 'Join the staff',
  acceptIntro: 'You were invited to manage members. Choose a password to finish setting up your account.',
  newPassword: 'New password',
  passwordHint: 'At least 8 characters; avoid common passwords.',
  acceptSubmit: 'Set password and sign in',
  accepting: 'Setting up your account…',
  acceptNoToken: 'This page needs the link from your invitation mail. Open the link from the mail again.',
  /** Messages for the API's error codes; a code not listed shows the API's own (English) detail. */
  acceptProblem: {} as Record<string, string>,
  /** A field message from the API in this locale (the API writes English). */
  fieldMessage: (message: string): string => message,
  acceptDone: 'Your account is ready and you are signed in.',
  openConsole: 'Open the staff console',
  networkError: 'The server could not be reached. Check your connection and try again.',
  rateLimited: 'Too many attempts. Wait a moment and try again.',
  /** Billing in the member editor and the subscriptions view. */
  billing: billingEn,
  /** Live updates in the member table and editor. */
  live: liveEn,
  /** The support inbox. */
  inbox: inboxEn,
  /** Announcements (compose, schedule, target). */
  announcements: announcementsEn,
};

/** The shape every locale's strings have. */
export type AdminStrings = typeof en;
