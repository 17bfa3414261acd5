/** @memberkit/admin-elements: Memberkit admin web components. Importing it registers the elements. */
export { MemberAdminProvider } from './provider/member-admin-provider.js';
export { adminRoles, isAdminRole, type AdminRole } from './provider/admin-role.js';
export {
  MemberAdminTable,
  tableColumns,
  type TableColumn,
  type MemberAdminEditDetail,
} from './table/member-admin-table.js';
export { MemberAdminEditor, type MemberAdminSavedDetail } from './editor/member-admin-editor.js';
export { MemberAdminInvite, parseEmails } from './invite/member-admin-invite.js';
export {
  MemberAdminImport,
  type MemberAdminExportDetail,
  type MemberAdminImportDetail,
} from './import/member-admin-import.js';
export { MemberAdminAuditLog } from './audit-log/member-admin-audit-log.js';
export {
  MemberAdminAcceptInvite,
  type MemberAdminInviteAcceptedDetail,
} from './accept-invite/member-admin-accept-invite.js';
// Served by the API and generated from its table (through the SDK), not copied here.
export type { Permission, MemberStatus } from '@memberkit/sdk';
export { allowedMemberStatuses as allowedStatuses, MEMBER_STATUSES as memberStatuses } from '@memberkit/sdk';
export { stringsFor, type AdminStrings } from './i18n/index.js';
export { adminContext, type AdminContextValue } from './internal/context.js';
