import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import {
  invites,
  mailOutbox,
  memberCredentials,
  members,
  sessions,
  tenants,
  tiers,
  type MemberRow,
} from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendAudit } from '../services/audit.js';
import { applyCustomFields } from '../services/custom-field-values.js';
import { selectCustomFields } from '../services/custom-fields.js';
import { findInviteByToken } from '../services/invites.js';
import { insertMembers, MemberErrors, recordMemberEvents, selfContext } from '../services/members.js';
import { touchLastActive } from '../services/member-activity.js';
import { recordPlatformActivity } from '../services/platform-activity.js';
import { lockTierForAssignment } from '../services/tiers.js';
import { issueAccessToken } from '../access/access-tokens.js';
import { passwordProblem } from './common-passwords.js';
import {
  checkPasswordGuarded,
  clearAccountFailures,
  LoginErrors,
  loginPair,
  signedInBefore,
} from './login-throttle.js';
import { consumeOneTimeToken, issueOneTimeToken } from './one-time-tokens.js';
import {
  createSession,
  renewSession,
  revokeSession,
  rotationError,
  type SessionMeta,
  type SessionRow,
} from './sessions.js';

export const AuthErrors = {
  ...LoginErrors,
  ...defineErrorCodes({
    EMAIL_NOT_VERIFIED: { status: 403, title: 'Email not verified' },
    MEMBER_SUSPENDED: { status: 403, title: 'Membership suspended' },
    SIGNUP_DISABLED: { status: 403, title: 'Sign-up is disabled' },
    MAGIC_LINK_DISABLED: { status: 403, title: 'Sign-in links are disabled' },
    INVALID_CODE: { status: 400, title: 'Invalid or expired code' },
  }),
};

/** The `AppDeps` identity flows use. */
export type AuthDeps = Pick<AppDeps, 'db' | 'clock' | 'ids' | 'secretBox' | 'passwordHasher' | 'config'>;

export interface MemberSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  session: SessionRow;
  member: MemberRow;
}

/** Claims of a member's access token: enough for a customer backend to authorize without calling us. */
function memberClaims(member: MemberRow) {
  return { tier: member.tierId, status: member.status };
}

/**
 * Opens a session for a member inside the caller's transaction and signs its first
 * access token. Every way in (password, magic link, OIDC, sign-up, verification,
 * invitation) ends here, so here the member counts as active.
 */
export async function startSession(
  tx: Tx,
  deps: AuthDeps,
  tenantId: string,
  signedIn: MemberRow,
  meta: SessionMeta,
): Promise<MemberSession> {
  const now = deps.clock.now();
  const member = (await touchLastActive(tx, tenantId, signedIn.id, now))
    ? { ...signedIn, lastActiveAt: now }
    : signedIn;
  const { session, refreshToken } = await createSession(
    tx,
    { ids: deps.ids, now },
    tenantId,
    'member',
    member.id,
    meta,
  );
  const { token, expiresIn } = await issueAccessToken(
    tx,
    { secretBox: deps.secretBox, issuerBaseUrl: deps.config.issuerBaseUrl, now },
    tenantId,
    {
      subject: 'member',
      subjectId: member.id,
      sessionId: session.id,
      claims: memberClaims(member),
    },
  );
  return { accessToken: token, expiresIn, refreshToken, refreshTokenExpiresAt: session.expiresAt, session, member };
}

export interface SignupInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  customFields?: Record<string, unknown>;
  tierId?: string | null;
  locale?: string;
  /** The member accepted the tenant's terms (required when the tenant asks for consent). */
  consent?: boolean;
}

/**
 * A paid tier chosen at sign-up: the member is created without it and the client
 * continues to checkout (`POST /v1/me/billing/checkout`); the tier is granted once paid.
 */
export interface PendingCheckout {
  tierId: string;
  interval: 'month' | 'year';
}

export type SignupResult = ({ verificationRequired: true } | ({ verificationRequired: false } & MemberSession)) & {
  checkout?: PendingCheckout;
};

/**
 * Signs a member up. When the tenant requires email verification (the default)
 * the member starts `pending`, a verification mail is queued, and the answer is
 * the same whether or not the email was already registered: sign-up does not
 * reveal who is a member. Without verification the member is active at once
 * and gets a session; an existing email is then a 409 (the tenant chose speed
 * over that protection).
 */
export async function signupMember(
  deps: AuthDeps,
  tenantId: string,
  input: SignupInput,
  meta: SessionMeta,
): Promise<SignupResult> {
  const problem = passwordProblem(input.password);
  if (problem) throw validationError([{ field: 'password', message: problem }]);
  const passwordHash = await deps.passwordHasher.hash(input.password);
  let checkout: PendingCheckout | undefined;
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
      const settings = tenant!.authSettings;
      if (settings.signup_enabled === false)
        throw new ApiError(AuthErrors.SIGNUP_DISABLED, 'This organization does not take sign-ups; ask for an invite.');
      const verify = settings.require_email_verification !== false;
      const consent = tenant!.siteSettings.consent;
      if (consent?.required && input.consent !== true) {
        throw validationError([{ field: 'consent', message: 'Accept the terms to sign up.' }]);
      }

      const defs = (await selectCustomFields(tx, tenantId, { lock: 'share' })).filter((d) => d.visibility !== 'staff');
      const { values, errors } = applyCustomFields(defs, input.customFields, {}, 'create');
      if (errors.length) throw validationError(errors);
      // A paid tier is not granted until paid: the member starts without it and is sent on to checkout.
      if (typeof input.tierId === 'string') {
        const [tier] = await tx
          .select()
          .from(tiers)
          .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, input.tierId)));
        const offered = tier?.active && !tier.archivedAt;
        if (offered && (tier.interval === 'month' || tier.interval === 'year')) {
          checkout = { tierId: tier.id, interval: tier.interval };
        } else if (!offered || tier.interval !== 'free') {
          throw validationError([
            { field: 'tier_id', message: 'Choose an active free tier, or a monthly or yearly tier to pay for.' },
          ]);
        }
      }
      const next = checkout ? { checkout } : {};
      const now = deps.clock.now();
      const [existing] = await tx
        .select({ id: members.id })
        .from(members)
        .where(
          and(
            eq(members.tenantId, tenantId),
            sql`lower(${members.email}) = ${input.email.toLowerCase()}`,
            isNull(members.deletedAt),
          ),
        );
      if (existing) {
        if (verify) return { verificationRequired: true, ...next };
        throw new ApiError(
          MemberErrors.MEMBER_EMAIL_TAKEN,
          'An account with this email already exists; sign in instead.',
        );
      }
      const [member] = await insertMembers(
        tx,
        deps,
        tenantId,
        [
          {
            email: input.email,
            firstName: input.firstName,
            lastName: input.lastName,
            status: verify ? 'pending' : 'active',
            tierId: checkout ? null : (input.tierId ?? null),
            customFields: values,
          },
        ],
        { actor: 'self', event: 'created', audit: false },
      );
      await tx.insert(memberCredentials).values({
        tenantId,
        memberId: member!.id,
        passwordHash,
        passwordUpdatedAt: now,
        locale: input.locale ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await recordPlatformActivity(tx, deps, tenantId, [
        { memberId: member!.id, type: 'member.signed_up', properties: { method: 'password' } },
      ]);
      // Proof of consent: when, and to which terms (the URL the tenant showed then).
      if (consent?.required) {
        await recordMemberEvents(tx, deps, tenantId, selfContext(member!.id), [
          { memberId: member!.id, type: 'consent_accepted', to: consent.terms_url ?? null },
        ]);
      }
      if (!verify)
        return { verificationRequired: false, ...(await startSession(tx, deps, tenantId, member!, meta)), ...next };
      await queueVerificationMail(tx, deps, tenantId, member!, input.locale ?? tenant!.defaultLocale);
      return { verificationRequired: true, ...next };
    });
  } catch (error) {
    // Two sign-ups with one email at the same moment: the loser sees what an existing email sees.
    if (isUniqueViolation(error, 'members_tenant_email_key'))
      return { verificationRequired: true, ...(checkout ? { checkout } : {}) };
    throw error;
  }
}

async function queueVerificationMail(
  tx: Tx,
  deps: AuthDeps,
  tenantId: string,
  member: MemberRow,
  locale: string,
): Promise<void> {
  const token = await issueOneTimeToken(tx, tenantId, 'verify_email', member.id, deps.clock.now());
  // The plaintext token lives only in the outbox row until the worker sends and scrubs it.
  await queueMail(tx, deps, tenantId, 'verify_email', member.email, locale, {
    token,
    member_id: member.id,
    first_name: member.firstName,
  });
}

/** Confirms an email with the code from the verification mail, activates a pending member and signs them in. */
export async function verifyMemberEmail(
  deps: AuthDeps,
  tenantId: string,
  token: string,
  meta: SessionMeta,
): Promise<MemberSession> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    const used = await consumeOneTimeToken(tx, tenantId, 'verify_email', token, now);
    if (!used)
      throw new ApiError(
        AuthErrors.INVALID_CODE,
        'The verification link is invalid, used or expired; request a new one.',
      );
    await tx
      .update(memberCredentials)
      .set({ emailVerifiedAt: now, updatedAt: now })
      .where(and(eq(memberCredentials.tenantId, tenantId), eq(memberCredentials.memberId, used.subjectId)));
    const [current] = await tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, used.subjectId)));
    if (!current || current.deletedAt)
      throw new ApiError(
        AuthErrors.INVALID_CODE,
        'The verification link is invalid, used or expired; request a new one.',
      );
    await recordPlatformActivity(tx, deps, tenantId, [{ memberId: current.id, type: 'member.email_verified' }]);
    return startSession(tx, deps, tenantId, await activateIfPending(tx, deps, tenantId, current, now), meta);
  });
}

/**
 * Password login, guarded per (account, client) pair (see `login-throttle.ts`):
 * an unknown email, a wrong password and a locked pair answer alike (401, same
 * work); a client that signed in to the account before is never locked out.
 */
export async function loginMember(
  deps: AuthDeps,
  tenantId: string,
  email: string,
  password: string,
  meta: SessionMeta,
): Promise<MemberSession> {
  const clientIp = meta.ip ?? null;
  const pair = await loginPair(deps, tenantId, 'member', email, clientIp);
  const { account, needsRehash } = await checkPasswordGuarded(deps, pair, password, async (tx) => {
    const [row] = await tx
      .select({
        member: members,
        credentials: memberCredentials,
        knownClient: signedInBefore(tenantId, 'member', members.id, clientIp),
      })
      .from(members)
      .innerJoin(
        memberCredentials,
        and(eq(memberCredentials.tenantId, members.tenantId), eq(memberCredentials.memberId, members.id)),
      )
      .where(
        and(
          eq(members.tenantId, tenantId),
          sql`lower(${members.email}) = ${email.toLowerCase()}`,
          isNull(members.deletedAt),
        ),
      );
    return row ? { account: row, passwordHash: row.credentials.passwordHash, knownClient: row.knownClient } : null;
  });
  const { member, credentials } = account;
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    if (needsRehash) {
      await tx
        .update(memberCredentials)
        .set({ passwordHash: await deps.passwordHasher.hash(password), updatedAt: now })
        .where(and(eq(memberCredentials.tenantId, tenantId), eq(memberCredentials.memberId, member.id)));
    }
    if (member.status === 'suspended')
      throw new ApiError(AuthErrors.MEMBER_SUSPENDED, 'This membership is suspended; contact the organization.');
    if (member.status === 'pending' && !credentials.emailVerifiedAt) {
      throw new ApiError(
        AuthErrors.EMAIL_NOT_VERIFIED,
        'Confirm your email address first: follow the link in the verification mail.',
      );
    }
    await noticeNewDevice(tx, deps, tenantId, member, credentials.locale, meta);
    await recordPlatformActivity(tx, deps, tenantId, [
      { memberId: member.id, type: 'member.signed_in', properties: { method: 'password' } },
    ]);
    return startSession(tx, deps, tenantId, member, meta);
  });
}

/**
 * Mails a notice when a member who has signed in before does so from a browser
 * (user agent) none of their sessions used: a stolen password shows up in the
 * owner's inbox.
 */
async function noticeNewDevice(
  tx: Tx,
  deps: AuthDeps,
  tenantId: string,
  member: MemberRow,
  locale: string | null,
  meta: SessionMeta,
): Promise<void> {
  const previous = await tx
    .select({ userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.tenantId, tenantId), eq(sessions.subjectType, 'member'), eq(sessions.subjectId, member.id)))
    .limit(200);
  if (previous.length === 0 || previous.some((s) => s.userAgent === (meta.userAgent ?? null))) return;
  await queueMail(tx, deps, tenantId, 'new_device', member.email, locale ?? (await tenantLocale(tx, tenantId)), {
    signed_in_at: deps.clock.now().toISOString(),
    first_name: member.firstName,
    device: meta.userAgent?.slice(0, 200) ?? null,
    ip: meta.ip ?? null,
  });
}

/**
 * Exchanges a member's refresh token (rotating it) for new tokens. A token of another
 * tenant or a staff token is refused without being spent; a reused one ends its
 * session and is audited, unless its own client replays it within the grace window.
 */
export async function refreshMemberSession(
  deps: AuthDeps,
  tenantId: string,
  refreshToken: string,
  client: SessionMeta,
): Promise<MemberSession> {
  const result = await renewSession(deps, refreshToken, { tenantId, subject: 'member', client });
  const now = deps.clock.now();
  const renewed = await deps.db.withTenant(tenantId, async (tx): Promise<MemberSession | null> => {
    const [found] = await tx
      .select()
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, result.session.subjectId)));
    if (!found || found.deletedAt || found.status === 'suspended') {
      // Returned, not thrown: the revocation must commit.
      await revokeSession(tx, tenantId, result.session.id, now, 'member_unavailable');
      return null;
    }
    // A refresh is the client saying "still here" while the member uses the site.
    const member = (await touchLastActive(tx, tenantId, found.id, now)) ? { ...found, lastActiveAt: now } : found;
    const { token, expiresIn } = await issueAccessToken(
      tx,
      { secretBox: deps.secretBox, issuerBaseUrl: deps.config.issuerBaseUrl, now },
      tenantId,
      {
        subject: 'member',
        subjectId: member.id,
        sessionId: result.session.id,
        claims: memberClaims(member),
      },
    );
    return {
      accessToken: token,
      expiresIn,
      refreshToken: result.refreshToken,
      refreshTokenExpiresAt: result.session.expiresAt,
      session: result.session,
      member,
    };
  });
  if (!renewed) throw rotationError({ outcome: 'invalid' });
  return renewed;
}

/** Finds an active member and their credentials by email, or null. */
async function findMemberByEmail(tx: Tx, tenantId: string, email: string) {
  const [row] = await tx
    .select({ member: members, credentials: memberCredentials })
    .from(members)
    .leftJoin(
      memberCredentials,
      and(eq(memberCredentials.tenantId, members.tenantId), eq(memberCredentials.memberId, members.id)),
    )
    .where(
      and(
        eq(members.tenantId, tenantId),
        sql`lower(${members.email}) = ${email.toLowerCase()}`,
        isNull(members.deletedAt),
      ),
    );
  return row ?? null;
}

async function queueMail(
  tx: Tx,
  deps: AuthDeps,
  tenantId: string,
  template: string,
  to: string,
  locale: string,
  data: Record<string, unknown>,
) {
  const now = deps.clock.now();
  await tx.insert(mailOutbox).values({
    tenantId,
    id: deps.ids.generate('mail'),
    template,
    toAddress: to,
    locale,
    data,
    createdAt: now,
    nextAttemptAt: now,
  });
}

async function tenantLocale(tx: Tx, tenantId: string): Promise<string> {
  const [tenant] = await tx.select({ locale: tenants.defaultLocale }).from(tenants).where(eq(tenants.id, tenantId));
  return tenant?.locale ?? 'en';
}

/**
 * Mails a sign-in link (magic link) or a password-reset link when the email
 * belongs to a member who may sign in; answers nothing either way, so neither
 * reveals who is a member.
 */
export async function requestEmailLink(
  deps: AuthDeps,
  tenantId: string,
  purpose: 'magic_link' | 'password_reset',
  email: string,
): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    if (purpose === 'magic_link') await assertMagicLinkEnabled(tx, tenantId);
    const found = await findMemberByEmail(tx, tenantId, email);
    if (!found || found.member.status === 'suspended') return;
    const token = await issueOneTimeToken(tx, tenantId, purpose, found.member.id, deps.clock.now());
    const locale = found.credentials?.locale ?? (await tenantLocale(tx, tenantId));
    await queueMail(tx, deps, tenantId, purpose, found.member.email, locale, {
      token,
      member_id: found.member.id,
      first_name: found.member.firstName,
    });
  });
}

/** 403 MAGIC_LINK_DISABLED when the tenant turned sign-in links off. */
/**
 * A pending member who proves their email (verification code or sign-in link) becomes
 * active, with the status event; any other member is returned as is.
 */
async function activateIfPending(
  tx: Tx,
  deps: Pick<AuthDeps, 'clock' | 'ids' | 'db'>,
  tenantId: string,
  member: MemberRow,
  now: Date,
): Promise<MemberRow> {
  if (member.status !== 'pending') return member;
  const [active] = (await tx
    .update(members)
    .set({ status: 'active', updatedAt: now })
    .where(and(eq(members.tenantId, tenantId), eq(members.id, member.id)))
    .returning()) as [MemberRow];
  await recordMemberEvents(tx, deps, tenantId, selfContext(member.id), [
    { memberId: member.id, type: 'status_changed', from: 'pending', to: 'active' },
  ]);
  return active;
}

async function assertMagicLinkEnabled(tx: Tx, tenantId: string): Promise<void> {
  const [tenant] = await tx.select({ auth: tenants.authSettings }).from(tenants).where(eq(tenants.id, tenantId));
  if (tenant?.auth.magic_link_enabled === false)
    throw new ApiError(
      AuthErrors.MAGIC_LINK_DISABLED,
      'This organization does not offer sign-in links; sign in with your password.',
    );
}

/** Signs in with the code of a magic link. Following the link also proves the email address. */
export async function verifyMagicLink(
  deps: AuthDeps,
  tenantId: string,
  token: string,
  meta: SessionMeta,
): Promise<MemberSession> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await assertMagicLinkEnabled(tx, tenantId);
    const used = await consumeOneTimeToken(tx, tenantId, 'magic_link', token, now);
    const [member] = used
      ? await tx
          .select()
          .from(members)
          .where(and(eq(members.tenantId, tenantId), eq(members.id, used.subjectId)))
      : [];
    if (!member || member.deletedAt || member.status === 'suspended') {
      throw new ApiError(AuthErrors.INVALID_CODE, 'The sign-in link is invalid, used or expired; request a new one.');
    }
    await tx
      .insert(memberCredentials)
      .values({ tenantId, memberId: member.id, emailVerifiedAt: now, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [memberCredentials.tenantId, memberCredentials.memberId],
        set: { emailVerifiedAt: now, updatedAt: now },
      });
    await recordPlatformActivity(tx, deps, tenantId, [
      { memberId: member.id, type: 'member.signed_in', properties: { method: 'magic_link' } },
    ]);
    return startSession(tx, deps, tenantId, await activateIfPending(tx, deps, tenantId, member, now), meta);
  });
}

/** Sets a new password from a reset code, ends every session of the member, and clears its sign-in failures. */
export async function resetPassword(deps: AuthDeps, tenantId: string, token: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw validationError([{ field: 'password', message: problem }]);
  const hash = await deps.passwordHasher.hash(password);
  await deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    const used = await consumeOneTimeToken(tx, tenantId, 'password_reset', token, now);
    if (!used)
      throw new ApiError(AuthErrors.INVALID_CODE, 'The reset link is invalid, used or expired; request a new one.');
    await setPassword(tx, tenantId, used.subjectId, hash, now);
    await endAllSessions(tx, tenantId, used.subjectId, now, 'password_reset');
    // Whoever reads the account's mail is its owner: no client of theirs stays locked or slowed.
    const [member] = await tx
      .select({ email: members.email })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), eq(members.id, used.subjectId)));
    if (member) await clearAccountFailures(tx, deps, tenantId, 'member', member.email);
  });
}

async function setPassword(tx: Tx, tenantId: string, memberId: string, hash: string, now: Date): Promise<void> {
  await tx
    .insert(memberCredentials)
    .values({ tenantId, memberId, passwordHash: hash, passwordUpdatedAt: now, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [memberCredentials.tenantId, memberCredentials.memberId],
      set: { passwordHash: hash, passwordUpdatedAt: now, updatedAt: now },
    });
}

async function endAllSessions(
  tx: Tx,
  tenantId: string,
  memberId: string,
  now: Date,
  reason: string,
  keep?: string,
): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.subjectType, 'member'),
        eq(sessions.subjectId, memberId),
        isNull(sessions.revokedAt),
        keep ? sql`${sessions.id} <> ${keep}` : undefined,
      ),
    );
}

/** Changes the password of a signed-in member who knows the current one; other sessions end. */
export async function changePassword(
  deps: AuthDeps,
  tenantId: string,
  memberId: string,
  sessionId: string,
  current: string,
  next: string,
): Promise<void> {
  const problem = passwordProblem(next);
  if (problem) throw validationError([{ field: 'new_password', message: problem }]);
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(memberCredentials)
      .where(and(eq(memberCredentials.tenantId, tenantId), eq(memberCredentials.memberId, memberId))),
  );
  const check = row?.passwordHash ? await deps.passwordHasher.verify(current, row.passwordHash) : { ok: false };
  if (!check.ok) throw validationError([{ field: 'current_password', message: 'Is not your current password.' }]);
  const hash = await deps.passwordHasher.hash(next);
  await deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await setPassword(tx, tenantId, memberId, hash, now);
    await endAllSessions(tx, tenantId, memberId, now, 'password_changed', sessionId);
  });
}

export interface AcceptInviteInput {
  token: string;
  password: string;
  firstName: string;
  lastName: string;
}

/**
 * Accepts an invitation: creates the member for the invited address (active,
 * with the invited tier, email proven by the link), sets the password, marks
 * the invite accepted and signs the member in — all in one transaction.
 */
export async function acceptInvite(
  deps: AuthDeps,
  tenantId: string,
  input: AcceptInviteInput,
  meta: SessionMeta,
): Promise<MemberSession> {
  const problem = passwordProblem(input.password);
  if (problem) throw validationError([{ field: 'password', message: problem }]);
  const hash = await deps.passwordHasher.hash(input.password);
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const now = deps.clock.now();
      const invite = await findInviteByToken(tx, tenantId, input.token, { now, lock: true });
      if (!invite)
        throw new ApiError(
          AuthErrors.INVALID_CODE,
          'The invitation link is invalid, used or expired; ask for a new one.',
        );
      if (invite.tierId) await lockTierForAssignment(tx, tenantId, invite.tierId);
      const [member] = await insertMembers(
        tx,
        deps,
        tenantId,
        [
          {
            email: invite.email,
            firstName: input.firstName,
            lastName: input.lastName,
            status: 'active',
            tierId: invite.tierId,
          },
        ],
        { actor: 'self', event: 'created', audit: false, source: 'invite' },
      );
      await tx.insert(memberCredentials).values({
        tenantId,
        memberId: member!.id,
        passwordHash: hash,
        passwordUpdatedAt: now,
        emailVerifiedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      await tx
        .update(invites)
        .set({ status: 'accepted', acceptedAt: now })
        .where(and(eq(invites.tenantId, tenantId), eq(invites.id, invite.id)));
      await appendAudit(tx, deps, tenantId, selfContext(member!.id), [
        { action: 'invite.accepted', targetType: 'invite', targetId: invite.id, diff: { member_id: member!.id } },
      ]);
      await recordPlatformActivity(tx, deps, tenantId, [
        { memberId: member!.id, type: 'member.signed_up', properties: { method: 'invite' } },
        { memberId: member!.id, type: 'member.invite_accepted', properties: { invite_id: invite.id } },
      ]);
      return startSession(tx, deps, tenantId, member!, meta);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'members_tenant_email_key')) {
      throw new ApiError(MemberErrors.MEMBER_EMAIL_TAKEN, 'A member with this email already exists; sign in instead.');
    }
    throw error;
  }
}
