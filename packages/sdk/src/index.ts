/** @memberkit/sdk: the typed Memberkit API client. */
export { Memberkit, type MemberkitOptions } from './client.js';
export {
  Transport,
  IDEMPOTENCY_IN_PROGRESS,
  type AuthMode,
  type CallOptions,
  type FetchLike,
  type HttpMethod,
  type QueryParams,
  type RequestSpec,
  type WriteOptions,
} from './core/transport.js';
export { ListPromise, type PageLike, type ToArrayOptions } from './core/pagination.js';
export type { BodyOf, OperationId, QueryOf, ResponseOf, Schema } from './core/types.js';
export {
  ApiError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InvalidRequestError,
  MemberkitError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  type FieldError,
  type MemberkitErrorInit,
  type Problem,
} from './errors.js';
export { OPERATION_METHODS } from './operations.js';
export {
  Session,
  SessionEvent,
  type Me,
  type SessionEventType,
  type SessionListener,
  type SessionOptions,
  type SessionTokens,
  type TokenGrant,
} from './session/session.js';
export { localStorageStorage, memoryStorage, type TokenStorage } from './session/storage.js';
export {
  StaffSession,
  StaffSessionEvent,
  type Permission,
  type StaffGrant,
  type StaffSessionEventType,
  type StaffSessionListener,
  type StaffSessionOptions,
} from './session/staff-session.js';
export {
  MEMBER_STATUS_TRANSITIONS,
  MEMBER_STATUSES,
  allowedMemberStatuses,
  canChangeMemberStatus,
  type MemberStatus,
} from './member-status.js';
export {
  TenantBillingResource,
  TenantResource,
  type Branding,
  type Tenant,
  type TenantBilling,
  type UpdateTenantBillingParams,
  type UpdateTenantParams,
} from './resources/tenant.js';
export {
  ApiKeysResource,
  type ApiKey,
  type ApiKeyList,
  type CreateApiKeyParams,
  type CreatedApiKey,
  type ListApiKeysParams,
} from './resources/api-keys.js';
export {
  FieldsResource,
  type CustomField,
  type CustomFieldList,
  type ReplaceFieldsParams,
} from './resources/fields.js';
export {
  TierMeteredPricesResource,
  TiersResource,
  type MigrateSubscribersParams,
  type SetMeteredPriceParams,
  type SubscriberMigration,
  type TierMeteredPrice,
  type TierMeteredPriceList,
  type DeleteMeteredPriceParams,
  type CreateTierParams,
  type DeletedTier,
  type ListTiersParams,
  type Tier,
  type TierList,
  type UpdateTierParams,
} from './resources/tiers.js';
export {
  MembersResource,
  type BulkMembersParams,
  type BulkResult,
  type CreateMemberParams,
  type ExportedMember,
  type ExportMembersParams,
  type ImportMembersOptions,
  type ImportResult,
  type ImportSource,
  type ListMemberActivityParams,
  type ListMembersParams,
  type Member,
  type MemberActivityList,
  type MemberList,
  type UpdateMemberParams,
} from './resources/members.js';
export {
  InvitesResource,
  type CreateInviteParams,
  type CreateInvitesBulkParams,
  type Invite,
  type InviteBulkResult,
  type InviteList,
  type ListInvitesParams,
} from './resources/invites.js';
export {
  AuditLogResource,
  type AuditEntry,
  type AuditEntryList,
  type AuditVerification,
  type ListAuditLogParams,
} from './resources/audit-log.js';
export {
  StaffResource,
  type InviteStaffParams,
  type OwnershipTransfer,
  type Staff,
  type CurrentStaff,
  type StaffList,
  type UpdateStaffParams,
} from './resources/staff.js';
export {
  OidcProvidersResource,
  type CreateOidcProviderParams,
  type ListOidcProvidersParams,
  type OidcProvider,
  type OidcProviderList,
  type UpdateOidcProviderParams,
} from './resources/oidc-providers.js';
export {
  HealthResource,
  JwksResource,
  OAuthResource,
  SigningKeysResource,
  type IssuerMetadata,
  type Jwks,
  type OAuthToken,
  type OAuthTokenParams,
  type SigningKey,
} from './resources/tokens.js';
export {
  DirectoryResource,
  PublicConfigResource,
  type DirectoryMember,
  type DirectoryMemberList,
  type ListDirectoryParams,
  type PublicConfig,
} from './resources/public.js';
export {
  PlatformNamespace,
  PlatformTenantsResource,
  type CreatedTenant,
  type CreateTenantParams,
  type InviteOwnerParams,
  type ListTenantsParams,
  type TenantList,
} from './resources/platform.js';
export {
  AuthResource,
  StaffAuthResource,
  type AcceptInviteParams,
  type Accepted,
  type ConfirmPasswordResetParams,
  type EmailParams,
  type LoginParams,
  type OidcRedirectResult,
  type OidcStartParams,
  type SignupParams,
  type SignupResult,
  type StaffAcceptInviteParams,
  type StaffLoginParams,
  type StaffSessionTokens,
  type TokenParams,
} from './resources/auth.js';
export {
  MeResource,
  MySessionsResource,
  type ChangePasswordParams,
  type ListMyActivityParams,
  type MemberExport,
  type MemberSession,
  type MemberSessionList,
  type MyActivityList,
  type SessionRevocation,
  type UpdateMeParams,
} from './resources/me.js';
export {
  ActivityResource,
  type ActivityEvent,
  type ActivityEventInput,
  type ActivityEventList,
  type ActivityIngestResult,
  type ActivityTypeList,
  type ListActivityTypesParams,
  type RecordActivityOptions,
} from './resources/activity.js';
export {
  AnalyticsResource,
  type EngagementParams,
  type EngagementReport,
  type Growth,
  type GrowthParams,
  type MemberEngagement,
  type Retention,
  type RetentionParams,
  type Revenue,
  type RevenueParams,
} from './resources/analytics.js';
export {
  MyBillingResource,
  MyInvoicesResource,
  MyPaymentMethodsResource,
  type BillingChangeParams,
  type BillingPreview,
  type BillingPreviewParams,
  type CancelSubscriptionParams,
  type Checkout,
  type CheckoutParams,
  type ListMyInvoicesParams,
  type MemberBilling,
  type MemberInvoice,
  type MemberInvoiceList,
  type PaymentMethod,
  type PaymentMethodList,
  type PaymentMethodSetup,
  type PaymentMethodSetupParams,
  type UsageSummary,
} from './resources/my-billing.js';
export {
  BillingNamespace,
  FeaturesResource,
  type CreateMeteredFeatureParams,
  type ListMeteredFeaturesParams,
  type MeteredFeature,
  type MeteredFeatureList,
  type UpdateMeteredFeatureParams,
} from './resources/billing.js';
export {
  BillingInvoicesResource,
  CompsResource,
  SubscriptionsResource,
  type CreateCompParams,
  type ListSubscriptionsParams,
  type MemberBillingDetail,
  type Refund,
  type RefundInvoiceParams,
  type StaffCancelSubscriptionParams,
  type Subscription,
  type SubscriptionList,
} from './resources/billing-staff.js';
export { UsageResource, type RecordUsageParams, type UsageRecord } from './resources/usage.js';
export {
  ReportsResource,
  type CreateReportParams,
  type DeletedReport,
  type ListReportsParams,
  type Report,
  type ReportList,
  type ReportResult,
  type ReportSpec,
  type UpdateReportParams,
} from './resources/reports.js';
export {
  RealtimeResource,
  type RealtimeTicket,
} from './resources/realtime.js';
export {
  LiveSubscription,
  type RealtimeConnector,
  type RealtimeHandler,
  type RealtimeReady,
  type RealtimeResync,
  type RealtimeStatus,
  type RealtimeSubscription,
  type SubscribeOptions,
} from './realtime/subscription.js';
export type {
  ParticipantRef,
  RealtimeEvent,
  RealtimeEventMap,
  RealtimeEventType,
  RealtimeTopic,
} from './realtime/events.js';
export { SseParser, type SseFrame, type SseLine } from './realtime/sse.js';
export {
  PresenceResource,
  type ListPresenceParams,
  type PresenceEntry,
  type PresenceList,
  type PresenceStatus,
} from './resources/presence.js';
export {
  CommunityResource,
  CommunitySettingsResource,
  MyBlocksResource,
  MyCommunityResource,
  type CommunitySettings,
  type MemberBlock,
  type MemberBlockList,
  type MemberCommunityPrefs,
  type UpdateCommunitySettingsParams,
} from './resources/community.js';
export {
  MyNotificationsResource,
  NotificationBatchesResource,
  NotificationPreferencesResource,
  NotificationsResource,
  type EmailDigest,
  type ListNotificationBatchesParams,
  type ListNotificationsParams,
  type Notification,
  type NotificationAudience,
  type NotificationBatch,
  type NotificationBatchList,
  type NotificationList,
  type NotificationPreference,
  type NotificationPreferences,
  type NotificationsReadAll,
  type NotificationType,
  type SendNotificationParams,
  type UpdateNotificationPreferencesParams,
} from './resources/notifications.js';
export {
  ContentReportsResource,
  FeedCommentsResource,
  FeedPostCommentsResource,
  FeedPostsResource,
  FeedResource,
  type Author,
  type ContentReport,
  type ContentReportList,
  type CreateContentReportParams,
  type CreateFeedCommentParams,
  type CreateFeedPostParams,
  type FeedComment,
  type FeedCommentList,
  type FeedPost,
  type FeedPostList,
  type FeedReaction,
  type FeedReactions,
  type ListContentReportsParams,
  type ListFeedCommentsParams,
  type ListFeedParams,
  type ResolveContentReportParams,
  type UpdateFeedCommentParams,
  type UpdateFeedPostParams,
} from './resources/feed.js';
export {
  ConversationMessagesResource,
  ConversationsResource,
  type Conversation,
  type ConversationList,
  type ConversationParticipant,
  type CreateConversationParams,
  type ListConversationsParams,
  type ListMessagesParams,
  type Message,
  type MessageList,
  type SendMessageParams,
  type UnreadSummary,
  type UpdateConversationParams,
  type UpdateMessageParams,
} from './resources/conversations.js';
export type { components, operations, paths } from './generated/openapi.js';
export {
  InvalidTokenError,
  MEMBER_AUDIENCE,
  verifyMemberToken,
  type MemberTokenClaims,
  type VerifyMemberTokenOptions,
} from './server/verify-member-token.js';
