import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { members } from './members.js';
import { tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

/** How a tenant's members sign in: per-tenant switches read by the auth routes. */
export interface TenantAuthSettings {
  /** New members stay `pending` until they verify their email. */
  require_email_verification?: boolean;
  /** Members may sign themselves up (otherwise only invites and staff create them). */
  signup_enabled?: boolean;
  /** Members may sign in with a link sent by email (default true). */
  magic_link_enabled?: boolean;
}

/** A member's login secrets and verification state, apart from the member profile (erasure deletes this row). */
export const memberCredentials = pgTable(
  'member_credentials',
  {
    tenantId: tenantIdColumn(),
    memberId: text('member_id').notNull(),
    /** Null for members who only sign in by magic link or OIDC. */
    passwordHash: text('password_hash'),
    passwordUpdatedAt: timestamptz('password_updated_at'),
    emailVerifiedAt: timestamptz('email_verified_at'),
    locale: text('locale'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'member_credentials_pkey', columns: [t.tenantId, t.memberId] }),
    foreignKey({
      name: 'member_credentials_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export const SESSION_SUBJECTS = ['member', 'staff'] as const;

/**
 * Login sessions of members and staff. The refresh token rotates on every use;
 * `refresh_hash` is the current one. A token presented again after rotation
 * (found in `refresh_token_uses`) revokes the whole session: its family.
 */
export const sessions = pgTable(
  'sessions',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    subjectType: text('subject_type', { enum: SESSION_SUBJECTS }).notNull(),
    subjectId: text('subject_id').notNull(),
    refreshHash: text('refresh_hash').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    lastUsedAt: timestamptz('last_used_at').notNull().default(sql`now()`),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    revokedReason: text('revoked_reason'),
    userAgent: text('user_agent'),
    ip: text('ip'),
    /**
     * The publishable key the session was opened through (sign-in from a browser), if any:
     * its access tokens are accepted from that key's origins as well as the tenant's while
     * the key is not revoked. No foreign key: a deleted key just stops adding origins.
     */
    publishableKeyId: text('publishable_key_id'),
  },
  (t) => [
    primaryKey({ name: 'sessions_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'sessions_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete('cascade'),
    uniqueIndex('sessions_refresh_key').on(t.tenantId, t.refreshHash),
    index('sessions_subject_idx').on(t.tenantId, t.subjectType, t.subjectId, t.createdAt),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Refresh tokens already rotated away: presenting one again is reuse, unless it comes
 * from the same client within the reuse grace window (two tabs refreshing at once).
 */
export const refreshTokenUses = pgTable(
  'refresh_token_uses',
  {
    tenantId: tenantIdColumn(),
    tokenHash: text('token_hash').notNull(),
    sessionId: text('session_id').notNull(),
    usedAt: timestamptz('used_at').notNull().default(sql`now()`),
    /** Keyed digest of the user agent and IP that rotated the token: only that client gets the grace. */
    clientDigest: text('client_digest'),
  },
  (t) => [
    primaryKey({ name: 'refresh_token_uses_pkey', columns: [t.tenantId, t.tokenHash] }),
    foreignKey({
      name: 'refresh_token_uses_session_fk',
      columns: [t.tenantId, t.sessionId],
      foreignColumns: [sessions.tenantId, sessions.id],
    }).onDelete('cascade'),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Failed password sign-ins per (account, client) pair, for the progressive slow-down
 * and lock of that pair only (never of the account as a whole). Both halves are keyed
 * digests: the account is the normalized email (unknown emails are counted alike, so
 * the answers tell nothing about who has an account), the client its IP.
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    tenantId: tenantIdColumn(),
    subjectType: text('subject_type', { enum: SESSION_SUBJECTS }).notNull(),
    accountDigest: text('account_digest').notNull(),
    clientDigest: text('client_digest').notNull(),
    failures: integer('failures').notNull().default(0),
    windowStart: timestamptz('window_start').notNull(),
    lastFailureAt: timestamptz('last_failure_at').notNull(),
    lockedUntil: timestamptz('locked_until'),
  },
  (t) => [
    primaryKey({ name: 'login_throttles_pkey', columns: [t.tenantId, t.subjectType, t.accountDigest, t.clientDigest] }),
    foreignKey({ name: 'login_throttles_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export const ONE_TIME_PURPOSES = [
  'verify_email',
  'magic_link',
  'password_reset',
  'staff_invite',
  'oidc_state',
] as const;
export type OneTimePurpose = (typeof ONE_TIME_PURPOSES)[number];

/** Single-use, expiring codes (email verification, magic links, password resets): only their hash is stored. */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    tenantId: tenantIdColumn(),
    tokenHash: text('token_hash').notNull(),
    purpose: text('purpose', { enum: ONE_TIME_PURPOSES }).notNull(),
    subjectId: text('subject_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [
    primaryKey({ name: 'one_time_tokens_pkey', columns: [t.tenantId, t.tokenHash] }),
    foreignKey({ name: 'one_time_tokens_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    index('one_time_tokens_subject_idx').on(t.tenantId, t.subjectId, t.purpose),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/**
 * Per-tenant ES256 signing keys for access tokens. The private key is sealed
 * with the master key; retired keys stay published until their last token expires.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    tenantId: tenantIdColumn(),
    kid: text('kid').notNull(),
    alg: text('alg').notNull().default('ES256'),
    publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
    privateJwkSealed: text('private_jwk_sealed').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    retiredAt: timestamptz('retired_at'),
  },
  (t) => [
    primaryKey({ name: 'signing_keys_pkey', columns: [t.tenantId, t.kid] }),
    foreignKey({ name: 'signing_keys_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export const STAFF_ROLES = ['owner', 'admin', 'manager', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A tenant's staff accounts (its admins), with the same roles as secret keys plus `owner`. */
export const staffUsers = pgTable(
  'staff_users',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
    passwordHash: text('password_hash'),
    status: text('status', { enum: ['invited', 'active', 'disabled'] })
      .notNull()
      .default('invited'),
    lastLoginAt: timestamptz('last_login_at'),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'staff_users_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'staff_users_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    uniqueIndex('staff_users_email_key').on(t.tenantId, sql`lower(${t.email})`),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** Per-tenant OIDC providers for member login; the client secret is sealed with the master key. */
export const oidcProviders = pgTable(
  'oidc_providers',
  {
    tenantId: tenantIdColumn(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    clientSecretSealed: text('client_secret_sealed'),
    scopes: text('scopes').array().notNull().default(sql`'{openid,email,profile}'::text[]`),
    autoCreateMembers: boolean('auto_create_members').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'oidc_providers_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'oidc_providers_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

/** Links between members and their identities at OIDC providers. */
export const oidcIdentities = pgTable(
  'oidc_identities',
  {
    tenantId: tenantIdColumn(),
    providerId: text('provider_id').notNull(),
    subject: text('subject').notNull(),
    memberId: text('member_id').notNull(),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'oidc_identities_pkey', columns: [t.tenantId, t.providerId, t.subject] }),
    foreignKey({
      name: 'oidc_identities_member_fk',
      columns: [t.tenantId, t.memberId],
      foreignColumns: [members.tenantId, members.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'oidc_identities_provider_fk',
      columns: [t.tenantId, t.providerId],
      foreignColumns: [oidcProviders.tenantId, oidcProviders.id],
    }).onDelete('cascade'),
    index('oidc_identities_member_idx').on(t.tenantId, t.memberId),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();
