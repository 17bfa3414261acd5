import type { MemberBilling } from '@memberkit/sdk';
import type { Member } from '../runtime/widget-session.js';

/** Detail of `member-signup`. */
export interface MemberSignupDetail {
  /** The member, when signed in at once; null when the email must be confirmed first. */
  member: Member | null;
  email: string;
  verificationRequired: boolean;
}

/** Detail of `member-login`. */
export interface MemberLoginDetail {
  member: Member;
  method: 'password' | 'magic_link' | 'email_verification' | 'invite' | 'oidc';
}

/** Detail of `member-error`: what failed, in a form a page can log or show. */
export interface MemberErrorDetail {
  /** What the widget was doing, e.g. `signup`, `login`, `config`. */
  action: string;
  /** The API's stable error code, or `NETWORK_ERROR` / `UNKNOWN`. */
  code: string;
  /** HTTP status; 0 when the API was not reached. */
  status: number;
  message: string;
  requestId?: string | undefined;
}

/** A billing period a tier is sold for. */
export type BillingInterval = 'month' | 'year';

/**
 * Detail of `member-checkout`: a checkout was started. Cancelable: `preventDefault()`
 * keeps the widget from sending the browser to `url` (the page navigates itself).
 * `url` is null when a free tier was joined at once.
 */
export interface MemberCheckoutDetail {
  tierId: string;
  interval: BillingInterval | null;
  url: string | null;
}

/** Detail of `member-sign-in-required`: a signed-out visitor chose a plan; the page should offer sign-in (or sign-up). */
export interface MemberSignInRequiredDetail {
  /** What the visitor was doing, e.g. `checkout`. */
  action: string;
  tierId: string;
  interval: BillingInterval | null;
}

/** Detail of `member-plan-select`: a paying member chose another plan in `<member-pricing>`. */
export interface MemberPlanSelectDetail {
  tierId: string;
  interval: BillingInterval | null;
}

/** Detail of `member-plan-change`: the member confirmed a previewed change of tier or interval. */
export interface MemberPlanChangeDetail {
  billing: MemberBilling;
  previewId: string;
  /** What the preview said was due at once, in minor units of `currency`. */
  amountDue: number;
  currency: string;
}

/** Detail of `member-subscription-cancel`: the member canceled (at period end unless `atPeriodEnd` is false). */
export interface MemberSubscriptionCancelDetail {
  billing: MemberBilling;
  atPeriodEnd: boolean;
  reason: string | null;
}

/** Detail of `member-payment-method-change`: a card was made the default, removed, or adding one was started (`url`). */
export interface MemberPaymentMethodChangeDetail {
  action: 'default' | 'remove' | 'setup';
  paymentMethodId: string | null;
  /** The setup page the browser is sent to (`setup`); cancelable like `member-checkout`. */
  url: string | null;
}

declare global {
  interface MemberkitEventMap {
    'member-signup': MemberSignupDetail;
    'member-login': MemberLoginDetail;
    'member-logout': { memberId: string | null };
    'member-profile-update': { member: Member; changed: string[] };
    'member-error': MemberErrorDetail;
    'member-password-reset-requested': { email: string };
    'member-magic-link-requested': { email: string };
    'member-password-change': { memberId: string };
    'member-account-delete': { memberId: string };
    'member-checkout': MemberCheckoutDetail;
    'member-sign-in-required': MemberSignInRequiredDetail;
    'member-plan-change': MemberPlanChangeDetail;
    'member-plan-select': MemberPlanSelectDetail;
    'member-subscription-cancel': MemberSubscriptionCancelDetail;
    'member-subscription-resume': { billing: MemberBilling };
    'member-payment-method-change': MemberPaymentMethodChangeDetail;
  }
  interface HTMLElementEventMap {
    'member-signup': CustomEvent<MemberSignupDetail>;
    'member-login': CustomEvent<MemberLoginDetail>;
    'member-logout': CustomEvent<{ memberId: string | null }>;
    'member-profile-update': CustomEvent<{ member: Member; changed: string[] }>;
    'member-error': CustomEvent<MemberErrorDetail>;
    'member-password-reset-requested': CustomEvent<{ email: string }>;
    'member-magic-link-requested': CustomEvent<{ email: string }>;
    'member-password-change': CustomEvent<{ memberId: string }>;
    'member-account-delete': CustomEvent<{ memberId: string }>;
    'member-checkout': CustomEvent<MemberCheckoutDetail>;
    'member-sign-in-required': CustomEvent<MemberSignInRequiredDetail>;
    'member-plan-change': CustomEvent<MemberPlanChangeDetail>;
    'member-plan-select': CustomEvent<MemberPlanSelectDetail>;
    'member-subscription-cancel': CustomEvent<MemberSubscriptionCancelDetail>;
    'member-subscription-resume': CustomEvent<{ billing: MemberBilling }>;
    'member-payment-method-change': CustomEvent<MemberPaymentMethodChangeDetail>;
  }
}
