import type { AppDeps } from '../../deps.js';
import { sessionMetaOf } from '../session-meta.js';
import type { AppRouteHandler } from '../../lib/context.js';
import {
  acceptInvite,
  loginMember,
  refreshMemberSession,
  requestEmailLink,
  resetPassword,
  signupMember,
  verifyMagicLink,
  verifyMemberEmail,
  type MemberSession,
} from '../../accounts/member-auth.js';
import { signOutByRefreshToken } from '../../accounts/sessions.js';
import { memberVisibleFields } from '../../services/member-profile.js';
import { limitAuthAttempt } from './auth-rate-limit.js';
import type {
  acceptInviteRoute,
  loginRoute,
  logoutRoute,
  magicLinkRoute,
  magicLinkVerifyRoute,
  passwordResetConfirmRoute,
  passwordResetRoute,
  refreshRoute,
  signupRoute,
  verifyEmailRoute,
} from './auth.routes.js';
import { toSessionDto } from './auth.schemas.js';

/**
 * Runs `work` and answers no sooner than `ms`: a known address (token, mail row)
 * and an unknown one (one lookup) then take the same time from outside.
 */
async function atLeast(ms: number, work: Promise<unknown>): Promise<void> {
  await Promise.all([work, new Promise((resolve) => setTimeout(resolve, ms))]);
}
const EMAIL_LINK_FLOOR_MS = 150;

/** The session as the member may see it: custom fields limited to what members can see. */
async function sessionBody(deps: AppDeps, tenantId: string, s: MemberSession) {
  return toSessionDto(s, await memberVisibleFields(deps, tenantId, s.member));
}

export const signupHandler: AppRouteHandler<typeof signupRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const b = c.req.valid('json');
  await limitAuthAttempt(c, 'signup', tenantId, b.email);
  const pending = signupMember(
    c.var.deps,
    tenantId,
    {
      email: b.email,
      password: b.password,
      firstName: b.first_name,
      lastName: b.last_name,
      ...(b.custom_fields ? { customFields: b.custom_fields } : {}),
      ...(b.tier_id !== undefined ? { tierId: b.tier_id } : {}),
      ...(b.locale ? { locale: b.locale } : {}),
      ...(b.consent !== undefined ? { consent: b.consent } : {}),
    },
    sessionMetaOf(c),
  );
  // New and already-registered addresses answer alike, in the same time.
  await atLeast(
    EMAIL_LINK_FLOOR_MS,
    pending.catch(() => undefined),
  );
  const result = await pending;
  // A paid tier: the client continues to checkout once signed in (the tier comes with the payment).
  const next = result.checkout
    ? { next: { action: 'checkout' as const, tier_id: result.checkout.tierId, interval: result.checkout.interval } }
    : {};
  if (result.verificationRequired) {
    return c.json(
      {
        object: 'signup' as const,
        status: 'verification_required' as const,
        detail: 'If the address can be used, a confirmation mail is on its way.',
        ...next,
      },
      202,
    );
  }
  return c.json({ ...(await sessionBody(c.var.deps, tenantId, result)), ...next }, 201);
};

export const verifyEmailHandler: AppRouteHandler<typeof verifyEmailRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const session = await verifyMemberEmail(c.var.deps, tenantId, c.req.valid('json').token, sessionMetaOf(c));
  return c.json(await sessionBody(c.var.deps, tenantId, session), 200);
};

export const loginHandler: AppRouteHandler<typeof loginRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { email, password } = c.req.valid('json');
  await limitAuthAttempt(c, 'login', tenantId, email);
  const session = await loginMember(c.var.deps, tenantId, email, password, sessionMetaOf(c));
  return c.json(await sessionBody(c.var.deps, tenantId, session), 200);
};

export const refreshHandler: AppRouteHandler<typeof refreshRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const session = await refreshMemberSession(c.var.deps, tenantId, c.req.valid('json').refresh_token, sessionMetaOf(c));
  return c.json(await sessionBody(c.var.deps, tenantId, session), 200);
};

export const logoutHandler: AppRouteHandler<typeof logoutRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const token = c.req.valid('json').refresh_token;
  if (token) await signOutByRefreshToken(c.var.deps, tenantId, token);
  return c.body(null, 204);
};

const ACCEPTED = {
  object: 'request' as const,
  status: 'accepted' as const,
  detail: 'If the address belongs to a member, a mail is on its way.',
};

export const magicLinkHandler: AppRouteHandler<typeof magicLinkRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { email } = c.req.valid('json');
  await limitAuthAttempt(c, 'magic_link', tenantId, email);
  await atLeast(EMAIL_LINK_FLOOR_MS, requestEmailLink(c.var.deps, tenantId, 'magic_link', email));
  return c.json(ACCEPTED, 202);
};

export const magicLinkVerifyHandler: AppRouteHandler<typeof magicLinkVerifyRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const session = await verifyMagicLink(c.var.deps, tenantId, c.req.valid('json').token, sessionMetaOf(c));
  return c.json(await sessionBody(c.var.deps, tenantId, session), 200);
};

export const passwordResetHandler: AppRouteHandler<typeof passwordResetRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { email } = c.req.valid('json');
  await limitAuthAttempt(c, 'password_reset', tenantId, email);
  await atLeast(EMAIL_LINK_FLOOR_MS, requestEmailLink(c.var.deps, tenantId, 'password_reset', email));
  return c.json(ACCEPTED, 202);
};

export const passwordResetConfirmHandler: AppRouteHandler<typeof passwordResetConfirmRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const { token, password } = c.req.valid('json');
  await resetPassword(c.var.deps, tenantId, token, password);
  return c.body(null, 204);
};

export const acceptInviteHandler: AppRouteHandler<typeof acceptInviteRoute> = async (c) => {
  const { tenantId } = c.var.credential;
  const b = c.req.valid('json');
  const session = await acceptInvite(
    c.var.deps,
    tenantId,
    { token: b.token, password: b.password, firstName: b.first_name, lastName: b.last_name },
    sessionMetaOf(c),
  );
  return c.json(await sessionBody(c.var.deps, tenantId, session), 201);
};
