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
export { MemberAdminBilling } from './billing/member-admin-billing.js';
export { MemberAdminSubscriptions } from './subscriptions/member-admin-subscriptions.js';
export {
  MemberAdminInbox,
  type InboxAction,
  type InboxFilter,
  type MemberAdminConversationDetail,
} from './inbox/member-admin-inbox.js';
export {
  sdkInboxApi,
  type InboxApi,
  type Conversation,
  type ConversationParticipant,
  type Message,
  type ListSupportParams,
  type UpdateConversationBody,
} from './inbox/inbox-api.js';
export {
  MemberAdminAnnouncements,
  type AnnouncementAction,
  type MemberAdminAnnouncementDetail,
} from './announcements/member-admin-announcements.js';
export {
  sdkAnnouncementsApi,
  type AnnouncementsApi,
  type FeedPost,
  type CreateAnnouncementBody,
  type UpdateAnnouncementBody,
} from './announcements/announcements-api.js';
export { renderMarkdown } from './announcements/markdown.js';
export {
  sdkRealtime,
  type RealtimeSource,
  type RealtimeEvent,
  type LiveStatus,
  type Unsubscribe,
} from './table/realtime.js';
export {
  sdkBillingApi,
  subscriptionStatuses,
  refundReasons,
  type BillingApi,
  type MemberBilling,
  type StaffSubscription,
  type StaffInvoice,
  type SubscriptionPage,
  type ListSubscriptionsParams,
  type RefundBody,
  type RefundReason,
  type Refund,
  type SubscriptionStatus,
} from './billing/billing-api.js';
export type { BillingAction, MemberAdminBillingDetail } from './billing/billing-events.js';
export { formatMoney, parseMoney } from './billing/money.js';
// Served by the API and generated from its table (through the SDK), not copied here.
export type { Permission, MemberStatus } from '@memberkit/sdk';
export { allowedMemberStatuses as allowedStatuses, MEMBER_STATUSES as memberStatuses } from '@memberkit/sdk';
export { stringsFor, type AdminStrings } from './i18n/index.js';
export { adminContext, type AdminContextValue } from './internal/context.js';
