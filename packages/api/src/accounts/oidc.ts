import { recordPlatformActivity } from '../services/platform-activity.js';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import {
  memberCredentials,
  members,
  oidcIdentities,
  oidcProviders,
  sessions,
  tenants,
  type MemberRow,
} from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { isIdBody, ulidBody } from '../lib/ids.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { insertMembers, recordMemberEvents } from '../services/members.js';
import type { AuthDeps, MemberSession } from './member-auth.js';
import { startSession } from './member-auth.js';
import {
  buildOidcAuthorizationUrl,
  connectOidcProvider,
  exchangeOidcCode,
  isInsecureIssuer,
  newLoginSecrets,
  OidcExchangeError,
  type OidcProfile,
} from './oidc-client.js';
import { returnAddressProblem, withFragment } from './oidc-redirect.js';
import { formatOidcState, parseOidcState } from './oidc-state.js';
import { consumeOneTimeToken, issueOneTimeToken, ONE_TIME_TTL_MS } from './one-time-tokens.js';
import type { SessionMeta } from './sessions.js';

/**
 * OpenID Connect login for members: the providers a tenant configures, and the
 * authorization-code flow (PKCE, state, nonce) that links or creates a member
 * by verified email and hands a session back to the widget's page.
 */

/** Error codes of OIDC provider management and login (problem+json `code`). */
export const OidcErrors = defineErrorCodes({
  OIDC_PROVIDER_NOT_FOUND: { status: 404, title: 'OIDC provider not found' },
  OIDC_REDIRECT_URI_NOT_ALLOWED: { status: 403, title: 'Redirect URI not allowed' },
  OIDC_INVALID_STATE: { status: 400, title: 'Invalid or expired sign-in state' },
  OIDC_PROVIDER_UNAVAILABLE: { status: 502, title: 'Identity provider unavailable' },
});

/** Row of `oidc_providers`. */
export type OidcProviderRow = typeof oidcProviders.$inferSelect;

/** Scopes a provider gets when the tenant names none. */
export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'] as const;

/** Our redirect URI at every provider: one for all tenants, the tenant travels in `state`. */
export const OIDC_CALLBACK_PATH = '/v1/auth/oidc/callback';

/** The callback URL tenants register at their provider. */
export function oidcCallbackUrl(issuerBaseUrl: string): string {
  return `${issuerBaseUrl.replace(/\/+$/, '')}${OIDC_CALLBACK_PATH}`;
}

const PROVIDER_ID = /^oidc_(.{26})$/;

/** True when `value` has the shape of a provider id (`oidc_<ulid>`), so a wrong id is a 404 without a query. */
export function isOidcProviderId(value: string): boolean {
  const body = PROVIDER_ID.exec(value)?.[1];
  return body !== undefined && isIdBody(body);
}

/** The sealing context of a provider's client secret: a ciphertext copied to another row does not open there. */
function secretContext(tenantId: string, providerId: string): string {
  return `oidc_client_secret:${tenantId}:${providerId}`;
}

function providerNotFound(id: string): ApiError {
  return new ApiError(OidcErrors.OIDC_PROVIDER_NOT_FOUND, `No OIDC provider ${id}.`);
}

/** What audit diffs show of a provider: never the secret, only whether there is one. */
function auditView(row: OidcProviderRow) {
  return {
    name: row.name,
    issuer: row.issuer,
    client_id: row.clientId,
    client_type: row.clientSecretSealed ? 'confidential' : 'public',
    scopes: row.scopes,
    auto_create_members: row.autoCreateMembers,
    enabled: row.enabled,
  };
}

/**
 * Plain-http issuers are for a provider on the developer's own machine. A
 * deployment that itself runs on https refuses them, so a tenant admin cannot
 * point the API at services on its host's loopback interface.
 */
function checkIssuerScheme(issuer: string, issuerBaseUrl: string): void {
  if (isInsecureIssuer(issuer) && new URL(issuerBaseUrl).protocol === 'https:') {
    throw validationError([
      {
        field: 'issuer',
        message: 'Must be an https URL: plain http issuers are accepted on development deployments only.',
      },
    ]);
  }
}

/** A provider to create. */
export interface NewOidcProvider {
  name: string;
  issuer: string;
  clientId: string;
  /** Null for a public client (PKCE only). */
  clientSecret: string | null;
  scopes: string[];
  autoCreateMembers: boolean;
  enabled: boolean;
}

/** Fields of a provider that can change. The issuer and client id cannot: member links are bound to them. */
export interface OidcProviderPatch {
  name?: string;
  /** A new secret, or null to make the client public. */
  clientSecret?: string | null;
  scopes?: string[];
  autoCreateMembers?: boolean;
  enabled?: boolean;
}

/** Creates a provider; the client secret is sealed under the master key and never returned. Audited. */
export async function createOidcProvider(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  input: NewOidcProvider,
): Promise<OidcProviderRow> {
  checkIssuerScheme(input.issuer, deps.config.issuerBaseUrl);
  const now = deps.clock.now();
  // The id prefix table in lib/ids.ts is shared; provider ids use the same ULID body.
  const id = `oidc_${ulidBody(now.getTime())}`;
  const sealed =
    input.clientSecret === null ? null : await deps.secretBox.seal(input.clientSecret, secretContext(tenantId, id));
  return deps.db.withTenant(tenantId, async (tx) => {
    const [row] = await tx
      .insert(oidcProviders)
      .values({
        tenantId,
        id,
        name: input.name,
        issuer: input.issuer,
        clientId: input.clientId,
        clientSecretSealed: sealed,
        scopes: input.scopes,
        autoCreateMembers: input.autoCreateMembers,
        enabled: input.enabled,
        createdAt: now,
      })
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'oidc_provider.created', targetType: 'oidc_provider', targetId: id, diff: auditView(row!) },
    ]);
    return row!;
  });
}

/** A tenant's providers, newest first; `afterId` is the keyset cursor. Fetches `limit + 1` rows. */
export function listOidcProviders(
  deps: AuthDeps,
  tenantId: string,
  page: { limit: number; afterId?: string },
): Promise<OidcProviderRow[]> {
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(oidcProviders)
      .where(and(eq(oidcProviders.tenantId, tenantId), page.afterId ? lt(oidcProviders.id, page.afterId) : undefined))
      .orderBy(desc(oidcProviders.id))
      .limit(page.limit + 1),
  );
}

/** One provider of the tenant, or 404. */
export async function getOidcProvider(deps: AuthDeps, tenantId: string, id: string): Promise<OidcProviderRow> {
  if (!isOidcProviderId(id)) throw providerNotFound(id);
  const [row] = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(oidcProviders)
      .where(and(eq(oidcProviders.tenantId, tenantId), eq(oidcProviders.id, id))),
  );
  if (!row) throw providerNotFound(id);
  return row;
}

/** Changes a provider's name, secret, scopes or switches. Audited with a diff (the secret only as "rotated"). */
export async function updateOidcProvider(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
  patch: OidcProviderPatch,
): Promise<OidcProviderRow> {
  if (!isOidcProviderId(id)) throw providerNotFound(id);
  const sealed =
    patch.clientSecret === undefined || patch.clientSecret === null
      ? patch.clientSecret
      : await deps.secretBox.seal(patch.clientSecret, secretContext(tenantId, id));
  return deps.db.withTenant(tenantId, async (tx) => {
    const where = and(eq(oidcProviders.tenantId, tenantId), eq(oidcProviders.id, id));
    const [before] = await tx.select().from(oidcProviders).where(where).for('update');
    if (!before) throw providerNotFound(id);
    const values = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(sealed !== undefined ? { clientSecretSealed: sealed } : {}),
      ...(patch.scopes !== undefined ? { scopes: patch.scopes } : {}),
      ...(patch.autoCreateMembers !== undefined ? { autoCreateMembers: patch.autoCreateMembers } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    };
    // An empty PATCH changes nothing (drizzle refuses an UPDATE without values: it was a 500).
    if (Object.keys(values).length === 0) return before;
    const [after] = await tx.update(oidcProviders).set(values).where(where).returning();
    const diff: Record<string, unknown> = diffOf(auditView(before), auditView(after!));
    if (typeof patch.clientSecret === 'string') diff.client_credentials_rotated = true;
    if (Object.keys(diff).length > 0) {
      await appendAudit(tx, deps, tenantId, ctx, [
        { action: 'oidc_provider.updated', targetType: 'oidc_provider', targetId: id, diff },
      ]);
    }
    return after!;
  });
}

/**
 * Deletes a provider and, with it, its links to members (the members stay and
 * can sign in another way). Audited.
 */
export async function deleteOidcProvider(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  id: string,
): Promise<void> {
  if (!isOidcProviderId(id)) throw providerNotFound(id);
  await deps.db.withTenant(tenantId, async (tx) => {
    const [deleted] = await tx
      .delete(oidcProviders)
      .where(and(eq(oidcProviders.tenantId, tenantId), eq(oidcProviders.id, id)))
      .returning();
    if (!deleted) throw providerNotFound(id);
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'oidc_provider.deleted', targetType: 'oidc_provider', targetId: id, diff: auditView(deleted) },
    ]);
  });
}

/** The client settings of a provider, its secret opened. */
async function clientSettings(deps: AuthDeps, provider: OidcProviderRow) {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecretSealed
      ? await deps.secretBox.open(provider.clientSecretSealed, secretContext(provider.tenantId, provider.id))
      : null,
  };
}

/** What the login start needs from the publishable key. */
export interface OidcStartCredential {
  /** The publishable key's id: the session opened at the callback remembers it (its origins accept the tokens). */
  id: string;
  tenantId: string;
  allowedOrigins: readonly string[];
}

/** What the state row keeps between start and callback. */
interface StoredLogin {
  provider_id: string;
  redirect_uri: string;
  code_verifier: string;
  nonce: string;
  /** The caller's own opaque value, echoed back in the result fragment. */
  client_state: string | null;
  /** The publishable key the login started with (absent in states stored before it was kept). */
  publishable_key_id: string | null;
}

function storedLogin(data: Record<string, unknown>): StoredLogin | null {
  const { provider_id, redirect_uri, code_verifier, nonce, client_state, publishable_key_id } = data;
  if (
    typeof provider_id !== 'string' ||
    typeof redirect_uri !== 'string' ||
    typeof code_verifier !== 'string' ||
    typeof nonce !== 'string'
  )
    return null;
  return {
    provider_id,
    redirect_uri,
    code_verifier,
    nonce,
    client_state: typeof client_state === 'string' ? client_state : null,
    publishable_key_id: typeof publishable_key_id === 'string' ? publishable_key_id : null,
  };
}

/**
 * Starts a login: checks the provider (of the key's tenant, enabled) and the
 * return address (on an allowed origin), discovers the provider, keeps the
 * PKCE verifier, nonce and return address in a single-use state row (10
 * minutes), and returns the provider's authorization URL to send the browser to.
 */
export async function startOidcLogin(
  deps: AuthDeps,
  credential: OidcStartCredential,
  providerId: string,
  input: { redirectUri: string; clientState: string | null },
): Promise<URL> {
  const { tenantId } = credential;
  const provider = await getOidcProvider(deps, tenantId, providerId);
  // A disabled provider looks like none to the public.
  if (!provider.enabled) throw providerNotFound(providerId);
  const problem = returnAddressProblem(input.redirectUri, credential.allowedOrigins);
  if (problem) throw new ApiError(OidcErrors.OIDC_REDIRECT_URI_NOT_ALLOWED, problem);

  let config: Awaited<ReturnType<typeof connectOidcProvider>>;
  try {
    config = await connectOidcProvider(await clientSettings(deps, provider));
  } catch (error) {
    if (error instanceof OidcExchangeError)
      throw new ApiError(OidcErrors.OIDC_PROVIDER_UNAVAILABLE, error.message, { cause: error });
    throw error;
  }
  const { codeVerifier, nonce } = newLoginSecrets();
  const stored: StoredLogin = {
    provider_id: provider.id,
    redirect_uri: input.redirectUri,
    code_verifier: codeVerifier,
    nonce,
    client_state: input.clientState,
    publishable_key_id: credential.id,
  };
  const token = await deps.db.withTenant(tenantId, (tx) =>
    issueOneTimeToken(tx, tenantId, 'oidc_state', provider.id, deps.clock.now(), { ...stored }, ONE_TIME_TTL_MS),
  );
  return buildOidcAuthorizationUrl(config, {
    redirectUri: oidcCallbackUrl(deps.config.issuerBaseUrl),
    scopes: provider.scopes,
    state: formatOidcState(tenantId, token),
    nonce,
    codeVerifier,
  });
}

/** Error codes of a failed login, as the widget's page receives them in `#error=`. */
export type OidcLoginError =
  | 'access_denied'
  | 'provider_error'
  | 'email_not_verified'
  | 'account_not_found'
  | 'member_suspended';

/** Where the callback sends the browser: the page that started the login, with tokens or an error in the fragment. */
export interface OidcCallbackResult {
  location: string;
  /** The member signed in, on success. */
  session: MemberSession | null;
  /** Why the login failed, when it did (for the request log; the page gets only the code and our description). */
  failure: { error: OidcLoginError; cause?: unknown } | null;
}

/** Who is signing in and from where, for the session and audit entries. */
export interface OidcCallbackMeta extends SessionMeta {
  requestId: string | null;
}

type MemberResolution = { member: MemberRow } | { error: OidcLoginError; description: string };

/**
 * Finishes a login at our callback. Without a valid state there is nowhere
 * safe to send the browser: 400. With one, the state is spent (single use,
 * even if the rest fails) and every outcome is a redirect to the page that
 * started the login: tokens in the fragment on success, `error` and
 * `error_description` otherwise.
 */
export async function completeOidcLogin(
  deps: AuthDeps,
  query: URLSearchParams,
  meta: OidcCallbackMeta,
): Promise<OidcCallbackResult> {
  const state = query.get('state') ?? '';
  const parsed = parseOidcState(state);
  const invalid = () =>
    new ApiError(
      OidcErrors.OIDC_INVALID_STATE,
      'The sign-in link is invalid, used or expired; start the sign-in again.',
    );
  if (!parsed) throw invalid();
  const { tenantId } = parsed;
  const used = await deps.db.withTenant(tenantId, (tx) =>
    consumeOneTimeToken(tx, tenantId, 'oidc_state', parsed.token, deps.clock.now()),
  );
  const login = used ? storedLogin(used.data) : null;
  if (!login) throw invalid();

  const echo: Record<string, string> = login.client_state !== null ? { state: login.client_state } : {};
  const fail = (error: OidcLoginError, description: string, cause?: unknown): OidcCallbackResult => ({
    location: withFragment(login.redirect_uri, { error, error_description: description, ...echo }),
    session: null,
    failure: { error, ...(cause !== undefined ? { cause } : {}) },
  });

  const providerError = query.get('error');
  if (providerError !== null) {
    // The provider's own description is not passed on: it is text from outside that the page might show.
    return fail(
      providerError === 'access_denied' ? 'access_denied' : 'provider_error',
      'The identity provider did not sign you in.',
      providerError,
    );
  }
  const [provider] = await deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(oidcProviders)
      .where(and(eq(oidcProviders.tenantId, tenantId), eq(oidcProviders.id, login.provider_id))),
  );
  if (!provider?.enabled) return fail('provider_error', 'This sign-in method is no longer available.');

  let profile: OidcProfile;
  try {
    const config = await connectOidcProvider(await clientSettings(deps, provider));
    const callbackUrl = new URL(oidcCallbackUrl(deps.config.issuerBaseUrl));
    callbackUrl.search = query.toString();
    profile = await exchangeOidcCode(config, callbackUrl, {
      state,
      nonce: login.nonce,
      codeVerifier: login.code_verifier,
    });
  } catch (error) {
    if (error instanceof OidcExchangeError) return fail('provider_error', error.message, error);
    throw error;
  }
  if (!profile.email || !profile.emailVerified) {
    return fail(
      'email_not_verified',
      'The identity provider did not confirm an email address for this account; verify it there first.',
    );
  }

  const session = await signInWithProfile(
    deps,
    tenantId,
    provider,
    { ...profile, email: profile.email },
    { ...meta, publishableKeyId: login.publishable_key_id },
  );
  if ('error' in session) return fail(session.error, session.description);
  return {
    location: withFragment(login.redirect_uri, {
      access_token: session.accessToken,
      token_type: 'Bearer',
      expires_in: String(session.expiresIn),
      refresh_token: session.refreshToken,
      ...echo,
    }),
    session,
    failure: null,
  };
}

/** Links or creates the member and opens a session, in one transaction; retried once when a concurrent login of the same person won a race. */
async function signInWithProfile(
  deps: AuthDeps,
  tenantId: string,
  provider: OidcProviderRow,
  profile: OidcProfile & { email: string },
  meta: OidcCallbackMeta,
): Promise<MemberSession | { error: OidcLoginError; description: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.db.withTenant(tenantId, async (tx) => {
        const resolved = await resolveMember(tx, deps, tenantId, provider, profile, meta);
        if ('error' in resolved) return resolved;
        await recordPlatformActivity(tx, deps, tenantId, [
          {
            memberId: resolved.member.id,
            type: 'member.signed_in',
            properties: { method: 'oidc', provider: provider.id },
          },
        ]);
        return startSession(tx, deps, tenantId, resolved.member, meta);
      });
    } catch (error) {
      // Two first logins of one person at once: the loser's insert of the link or member fails; the retry finds them.
      const race =
        isUniqueViolation(error, 'oidc_identities_pkey') || isUniqueViolation(error, 'members_tenant_email_key');
      if (!race || attempt >= 1) throw error;
    }
  }
}

/** First and last name from the provider's claims; the email's local part when it sends none. */
function namesOf(profile: OidcProfile & { email: string }): { firstName: string; lastName: string } {
  const clip = (value: string) => value.slice(0, 100);
  if (profile.givenName || profile.familyName)
    return { firstName: clip(profile.givenName ?? ''), lastName: clip(profile.familyName ?? '') };
  if (profile.name) {
    const parts = profile.name.split(/\s+/);
    const last = parts.length > 1 ? parts.pop()! : '';
    return { firstName: clip(parts.join(' ')), lastName: clip(last) };
  }
  return { firstName: clip(profile.email.split('@')[0] ?? profile.email), lastName: '' };
}

/**
 * The member for a provider identity: the one already linked to (provider,
 * subject); else the one with the verified email, which gets linked; else a new
 * one when the provider and the tenant allow sign-up. A pending member is
 * activated: the provider has just proven the address.
 */
async function resolveMember(
  tx: Tx,
  deps: AuthDeps,
  tenantId: string,
  provider: OidcProviderRow,
  profile: OidcProfile & { email: string },
  meta: OidcCallbackMeta,
): Promise<MemberResolution> {
  const now = deps.clock.now();
  const actor = (memberId: string): AuditContext => ({
    actorType: 'member',
    actorId: memberId,
    requestId: meta.requestId,
    ip: meta.ip ?? null,
  });
  const identityWhere = and(
    eq(oidcIdentities.tenantId, tenantId),
    eq(oidcIdentities.providerId, provider.id),
    eq(oidcIdentities.subject, profile.subject),
  );

  const [linked] = await tx
    .select({ member: members })
    .from(oidcIdentities)
    .innerJoin(members, and(eq(members.tenantId, oidcIdentities.tenantId), eq(members.id, oidcIdentities.memberId)))
    .where(identityWhere);
  let member: MemberRow | undefined = linked?.member;
  if (member?.deletedAt) {
    // The member was deleted: the link goes with them, and the person signs in as anyone new would.
    await tx.delete(oidcIdentities).where(identityWhere);
    member = undefined;
  }

  if (!member) {
    const [byEmail] = await tx
      .select({
        member: members,
        verifiedAt: memberCredentials.emailVerifiedAt,
        passwordHash: memberCredentials.passwordHash,
      })
      .from(members)
      .leftJoin(
        memberCredentials,
        and(eq(memberCredentials.tenantId, members.tenantId), eq(memberCredentials.memberId, members.id)),
      )
      .where(
        and(
          eq(members.tenantId, tenantId),
          sql`lower(${members.email}) = ${profile.email.toLowerCase()}`,
          isNull(members.deletedAt),
        ),
      );
    if (byEmail) {
      member = byEmail.member;
      if (member.status === 'suspended') return suspended();
      if (!byEmail.verifiedAt)
        await claimUnverifiedAccount(tx, tenantId, member.id, now, byEmail.passwordHash !== null);
    } else {
      const [tenant] = await tx
        .select({ settings: tenants.authSettings })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      if (!provider.autoCreateMembers || tenant?.settings.signup_enabled === false) {
        return {
          error: 'account_not_found',
          description: 'There is no membership for this email address; ask the organization for an invite.',
        };
      }
      member = await createOidcMember(tx, deps, tenantId, profile, now);
    }
    await tx
      .insert(oidcIdentities)
      .values({ tenantId, providerId: provider.id, subject: profile.subject, memberId: member.id, createdAt: now });
    await appendAudit(tx, deps, tenantId, actor(member.id), [
      {
        action: 'oidc_identity.linked',
        targetType: 'member',
        targetId: member.id,
        diff: { provider_id: provider.id, subject: profile.subject },
      },
    ]);
  }

  if (member.status === 'suspended') return suspended();
  if (member.status === 'pending') {
    [member] = (await tx
      .update(members)
      .set({ status: 'active', updatedAt: now })
      .where(and(eq(members.tenantId, tenantId), eq(members.id, member.id)))
      .returning()) as [MemberRow];
    await recordMemberEvents(tx, deps, tenantId, actor(member.id), [
      { memberId: member.id, type: 'status_changed', from: 'pending', to: 'active' },
    ]);
  }
  return { member };
}

function suspended(): MemberResolution {
  return { error: 'member_suspended', description: 'This membership is suspended; contact the organization.' };
}

/**
 * Linking by email to an account whose address was never verified: whoever set
 * its password (or holds its sessions) never proved they own the address, so
 * they could have registered it ahead of its owner (account pre-hijacking).
 * The password and sessions end; the verified owner takes the account over.
 */
async function claimUnverifiedAccount(
  tx: Tx,
  tenantId: string,
  memberId: string,
  now: Date,
  hadPassword: boolean,
): Promise<void> {
  await tx
    .insert(memberCredentials)
    .values({ tenantId, memberId, emailVerifiedAt: now, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [memberCredentials.tenantId, memberCredentials.memberId],
      set: {
        emailVerifiedAt: now,
        updatedAt: now,
        ...(hadPassword ? { passwordHash: null, passwordUpdatedAt: now } : {}),
      },
    });
  await tx
    .update(sessions)
    .set({ revokedAt: now, revokedReason: 'oidc_account_claimed' })
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.subjectType, 'member'),
        eq(sessions.subjectId, memberId),
        isNull(sessions.revokedAt),
      ),
    );
}

/**
 * A new active member from the provider's profile, email verified. Custom
 * fields start empty: a redirect has no form to fill in required ones.
 */
async function createOidcMember(
  tx: Tx,
  deps: AuthDeps,
  tenantId: string,
  profile: OidcProfile & { email: string },
  now: Date,
): Promise<MemberRow> {
  const [member] = await insertMembers(
    tx,
    deps,
    tenantId,
    [{ email: profile.email, ...namesOf(profile), status: 'active', tierId: null }],
    { actor: 'self', event: 'created', audit: false, source: 'oidc' },
  );
  await recordPlatformActivity(tx, deps, tenantId, [
    { memberId: member!.id, type: 'member.signed_up', properties: { method: 'oidc' } },
  ]);
  await tx
    .insert(memberCredentials)
    .values({ tenantId, memberId: member!.id, emailVerifiedAt: now, createdAt: now, updatedAt: now });
  return member!;
}
