/** @memberkit/widgets: embeddable Memberkit web components. Importing it registers every element. */
export { MemberProvider } from './provider/member-provider.js';
export { MemberSignup } from './signup/member-signup.js';
export { MemberLogin } from './login/member-login.js';
export { MemberProfile } from './profile/member-profile.js';
export { MemberGate } from './gate/member-gate.js';
export { MemberButton } from './button/member-button.js';
export { MemberList } from './list/member-list.js';
export { MemberEmailAction, type EmailAction } from './email-action/member-email-action.js';
export { MemberPricing } from './pricing/member-pricing.js';
export { MemberBillingElement } from './billing/member-billing.js';
export { MemberNotifications } from './notifications/member-notifications.js';
export { MemberFeed } from './feed/member-feed.js';
export { MemberMessages } from './messages/member-messages.js';
export { MemberPresence } from './presence/member-presence.js';
export { defaultTheme, themeContext, themeProperties, type MemberkitTheme } from '@memberkit/elements-core';
export { configContext, type PublicConfig, type PublicField, type PublicTier } from './config/public-config.js';
export { stringsContext, createStrings, type Strings, type StringKey } from './i18n/strings.js';
export { sessionContext, type WidgetSession, type Member } from './runtime/widget-session.js';
export { clientContext, getRuntime, type MemberkitRuntime } from './runtime/runtime.js';
export type {
  BillingInterval,
  MemberCheckoutDetail,
  MemberErrorDetail,
  MemberLoginDetail,
  MemberPaymentMethodChangeDetail,
  MemberPlanChangeDetail,
  MemberSignInRequiredDetail,
  MemberSignupDetail,
  MemberSubscriptionCancelDetail,
} from './internal/events.js';
export type {
  MemberConversationOpenDetail,
  MemberFeedCommentDetail,
  MemberFeedPostDetail,
  MemberFeedReactionDetail,
  MemberMessageDetail,
  MemberMessagesUnreadDetail,
  MemberNotificationClickDetail,
  MemberNotificationsChangeDetail,
  MemberReportDetail,
} from './messages/community-events.js';
export type { Navigate } from './internal/navigation.js';
export { MemberkitElement, defineElement, type EmitOptions } from '@memberkit/elements-core';
