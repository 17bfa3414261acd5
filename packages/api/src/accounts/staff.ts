import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { assertWithinCeiling, RoleCeilingErrors, type RoleActor } from '../access/role-ceiling.js';
import type { Tx } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { mailOutbox, sessions, staffUsers, tenants, type StaffRole } from '../db/schema/index.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';
import { validationError } from '../lib/validation.js';
import { appendAudit, diffOf } from '../services/audit.js';
import type { AuditContext } from '../services/audit-context.js';
import { issueAccessToken } from '../access/access-tokens.js';
import { passwordProblem } from './common-passwords.js';
import { AuthErrors, type AuthDeps } from './member-auth.js';
import { checkPasswordGuarded, loginPair, signedInBefore } from './login-throttle.js';
import { consumeOneTimeToken, issueOneTimeToken } from './one-time-tokens.js';
import { createSession, renewSession, rotationError, type SessionMeta, type SessionRow } from './sessions.js';

/** The staff roles, most powerful first. */
export { STAFF_ROLES } from '../db/schema/index.js';

export const StaffErrors = defineErrorCodes({
  STAFF_NOT_FOUND: { status: 404, title: 'Staff user not found' },
  STAFF_EMAIL_TAKEN: { status: 409, title: 'Staff email already in use' },
  STAFF_LAST_OWNER: { status: 409, title: 'Cannot remove the last owner' },
  STAFF_OWNERSHIP_TO_SELF: { status: 409, title: 'Cannot transfer ownership to yourself' },
});

export type StaffRow = typeof staffUsers.$inferSelect;
/** Staff invitations stay valid for 7 days (they are not sign-in codes). */
const STAFF_INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface StaffSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  session: SessionRow;
  staff: StaffRow;
}

/** Opens a staff session (audience `memberkit:staff`, never accepted where a member token is). */
async function startStaffSession(
  tx: Tx,
  deps: AuthDeps,
  tenantId: string,
  staff: StaffRow,
  meta: SessionMeta,
): Promise<StaffSession> {
  const now = deps.clock.now();
  const { session, refreshToken } = await createSession(tx, { ids: deps.ids, now }, tenantId, 'staff', staff.id, meta);
  const { token, expiresIn } = await issueAccessToken(
    tx,
    { secretBox: deps.secretBox, issuerBaseUrl: deps.config.issuerBaseUrl, now },
    tenantId,
    {
      subject: 'staff',
      subjectId: staff.id,
      sessionId: session.id,
      claims: { role: staff.role },
    },
  );
  return { accessToken: token, expiresIn, refreshToken, session, staff };
}

/**
 * Who may give or take which role, under the role ceiling (`access/role-ceiling.ts`):
 * the staff user acted on has, and gets, a role at most the actor's own. So only
 * owners (and the platform operator) make or touch owners.
 */
function assertMayAssign(actor: RoleActor, from: StaffRole | null, to: StaffRole | null): void {
  if (from) assertWithinCeiling(actor, from, 'change or remove a staff user who is');
  if (to) assertWithinCeiling(actor, to, 'give a staff user the role');
}

async function assertNotLastOwner(tx: Tx, tenantId: string, staff: StaffRow): Promise<void> {
  if (staff.role !== 'owner' || staff.status !== 'active') return;
  const owners = await tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(
      and(
        eq(staffUsers.tenantId, tenantId),
        eq(staffUsers.role, 'owner'),
        eq(staffUsers.status, 'active'),
        ne(staffUsers.id, staff.id),
      ),
    )
    .for('update');
  if (owners.length === 0)
    throw new ApiError(
      StaffErrors.STAFF_LAST_OWNER,
      'This is the last active owner; make someone else an owner first.',
    );
}

/** Invites a staff user: an account in `invited` state and a mail with a single-use link to set a password. */
export async function inviteStaff(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  actor: RoleActor,
  input: { email: string; name: string; role: StaffRole },
): Promise<{ staff: StaffRow; token: string }> {
  assertMayAssign(actor, null, input.role);
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const now = deps.clock.now();
      const [staff] = await tx
        .insert(staffUsers)
        .values({
          tenantId,
          id: deps.ids.generate('stf'),
          email: input.email,
          name: input.name,
          role: input.role,
          status: 'invited',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const token = await issueOneTimeToken(tx, tenantId, 'staff_invite', staff!.id, now, {}, STAFF_INVITE_TTL_MS);
      const [tenant] = await tx
        .select({ name: tenants.name, locale: tenants.defaultLocale })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      await tx.insert(mailOutbox).values({
        tenantId,
        id: deps.ids.generate('mail'),
        template: 'staff_invite',
        toAddress: input.email,
        locale: tenant?.locale ?? 'en',
        data: {
          token,
          staff_id: staff!.id,
          name: input.name,
          role: input.role,
          tenant_name: tenant?.name ?? '',
          expires_at: new Date(now.getTime() + STAFF_INVITE_TTL_MS).toISOString(),
        },
        createdAt: now,
        nextAttemptAt: now,
      });
      await appendAudit(tx, deps, tenantId, ctx, [
        {
          action: 'staff.invited',
          targetType: 'staff',
          targetId: staff!.id,
          diff: { email: input.email, name: input.name, role: input.role },
        },
      ]);
      return { staff: staff!, token };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'staff_users_email_key'))
      throw new ApiError(StaffErrors.STAFF_EMAIL_TAKEN, `${input.email} is already on the staff.`);
    throw error;
  }
}

export function listStaff(deps: AuthDeps, tenantId: string): Promise<StaffRow[]> {
  return deps.db.withTenant(tenantId, (tx) =>
    tx
      .select()
      .from(staffUsers)
      .where(eq(staffUsers.tenantId, tenantId))
      .orderBy(asc(staffUsers.createdAt), asc(staffUsers.id)),
  );
}

async function lockStaff(tx: Tx, tenantId: string, id: string): Promise<StaffRow> {
  const [row] = await tx
    .select()
    .from(staffUsers)
    .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, id)))
    .for('update');
  if (!row) throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No staff user ${id}.`);
  return row;
}

/** Changes a staff user's role; it applies to their next request (roles are read fresh). */
export async function updateStaffRole(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  actor: RoleActor,
  id: string,
  role: StaffRole,
): Promise<StaffRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await lockStaff(tx, tenantId, id);
    if (current.status === 'disabled') throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No staff user ${id}.`);
    assertMayAssign(actor, current.role, role);
    if (current.role === role) return current;
    if (role !== 'owner') await assertNotLastOwner(tx, tenantId, current);
    const [row] = await tx
      .update(staffUsers)
      .set({ role, updatedAt: deps.clock.now() })
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, id)))
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'staff.role_changed',
        targetType: 'staff',
        targetId: id,
        diff: diffOf({ role: current.role }, { role }),
      },
    ]);
    return row!;
  });
}

/** Removes a staff user: the account is disabled and every session of it ends at once. */
export async function removeStaff(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  actor: RoleActor,
  id: string,
): Promise<StaffRow> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const current = await lockStaff(tx, tenantId, id);
    if (current.status === 'disabled') return current;
    assertMayAssign(actor, current.role, null);
    await assertNotLastOwner(tx, tenantId, current);
    const now = deps.clock.now();
    const [row] = await tx
      .update(staffUsers)
      .set({ status: 'disabled', updatedAt: now })
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, id)))
      .returning();
    await tx
      .update(sessions)
      .set({ revokedAt: now, revokedReason: 'staff_removed' })
      .where(
        and(
          eq(sessions.tenantId, tenantId),
          eq(sessions.subjectType, 'staff'),
          eq(sessions.subjectId, id),
          isNull(sessions.revokedAt),
        ),
      );
    await appendAudit(tx, deps, tenantId, ctx, [{ action: 'staff.removed', targetType: 'staff', targetId: id }]);
    return row!;
  });
}

/** The new and the former owner after {@link transferOwnership}. */
export interface OwnershipTransfer {
  owner: StaffRow;
  previousOwner: StaffRow;
}

/**
 * Hands ownership over: in one transaction staff user `id` becomes an owner and
 * the acting owner an admin, audited as `staff.ownership_transferred` next to
 * both role changes. Only an owner acting as themselves (a staff session) may:
 * secret keys never act as owner. The tenant has an owner before, during and after.
 */
export async function transferOwnership(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  actor: RoleActor,
  id: string,
): Promise<OwnershipTransfer> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const actorStaffId = actor.type === 'staff' ? actor.staffId : null;
    // Both rows locked in id order: two opposite transfers at once wait for each other instead of deadlocking.
    const rows = await tx
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, actorStaffId ? [id, actorStaffId] : [id])))
      .orderBy(asc(staffUsers.id))
      .for('update');
    const target = rows.find((row) => row.id === id);
    if (target?.status !== 'active') throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No active staff user ${id}.`);
    // The actor's role is read again under the lock: a concurrent transfer may have made them an admin since the request was authenticated.
    const self = rows.find((row) => row.id === actorStaffId);
    if (self?.role !== 'owner' || self.status !== 'active') {
      throw new ApiError(
        RoleCeilingErrors.ROLE_CEILING,
        'Only an owner, signed in as themselves, can transfer ownership; secret keys never act as owner.',
      );
    }
    if (self.id === target.id)
      throw new ApiError(
        StaffErrors.STAFF_OWNERSHIP_TO_SELF,
        'You are the owner already; name the staff user who should take over.',
      );
    const now = deps.clock.now();
    const [owner] = await tx
      .update(staffUsers)
      .set({ role: 'owner', updatedAt: now })
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, target.id)))
      .returning();
    const [previousOwner] = await tx
      .update(staffUsers)
      .set({ role: 'admin', updatedAt: now })
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, self.id)))
      .returning();
    await appendAudit(tx, deps, tenantId, ctx, [
      {
        action: 'staff.ownership_transferred',
        targetType: 'staff',
        targetId: target.id,
        diff: { owner: { from: self.id, to: target.id } },
      },
      ...(target.role === 'owner'
        ? []
        : [
            {
              action: 'staff.role_changed',
              targetType: 'staff',
              targetId: target.id,
              diff: diffOf({ role: target.role }, { role: 'owner' }),
            },
          ]),
      {
        action: 'staff.role_changed',
        targetType: 'staff',
        targetId: self.id,
        diff: diffOf({ role: 'owner' }, { role: 'admin' }),
      },
    ]);
    return { owner: owner!, previousOwner: previousOwner! };
  });
}

/** Sets the password from an invite link and signs the new staff user in. */
export async function acceptStaffInvite(
  deps: AuthDeps,
  tenantId: string,
  token: string,
  password: string,
  meta: SessionMeta,
): Promise<StaffSession> {
  const problem = passwordProblem(password);
  if (problem) throw validationError([{ field: 'password', message: problem }]);
  const hash = await deps.passwordHasher.hash(password);
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    const used = await consumeOneTimeToken(tx, tenantId, 'staff_invite', token, now);
    if (!used)
      throw new ApiError(
        AuthErrors.INVALID_CODE,
        'The invitation link is invalid, used or expired; ask for a new one.',
      );
    const [staff] = await tx
      .update(staffUsers)
      .set({ passwordHash: hash, status: 'active', lastLoginAt: now, updatedAt: now })
      .where(
        and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, used.subjectId), eq(staffUsers.status, 'invited')),
      )
      .returning();
    if (!staff)
      throw new ApiError(
        AuthErrors.INVALID_CODE,
        'The invitation link is invalid, used or expired; ask for a new one.',
      );
    return startStaffSession(tx, deps, tenantId, staff, meta);
  });
}

/**
 * Staff password sign-in, guarded per (account, client) pair like members' (see
 * `login-throttle.ts`): unknown email, wrong password and a locked pair answer alike.
 */
export async function loginStaff(
  deps: AuthDeps,
  tenantId: string,
  email: string,
  password: string,
  meta: SessionMeta,
): Promise<StaffSession> {
  const clientIp = meta.ip ?? null;
  const pair = await loginPair(deps, tenantId, 'staff', email, clientIp);
  const { account: staff, needsRehash } = await checkPasswordGuarded(deps, pair, password, async (tx) => {
    const [row] = await tx
      .select({ staff: staffUsers, knownClient: signedInBefore(tenantId, 'staff', staffUsers.id, clientIp) })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.tenantId, tenantId),
          sql`lower(${staffUsers.email}) = ${email.toLowerCase()}`,
          eq(staffUsers.status, 'active'),
        ),
      );
    return row ? { account: row.staff, passwordHash: row.staff.passwordHash, knownClient: row.knownClient } : null;
  });
  return deps.db.withTenant(tenantId, async (tx) => {
    const now = deps.clock.now();
    await tx
      .update(staffUsers)
      .set({ lastLoginAt: now, ...(needsRehash ? { passwordHash: await deps.passwordHasher.hash(password) } : {}) })
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, staff.id)));
    return startStaffSession(tx, deps, tenantId, staff, meta);
  });
}

/**
 * A staff session minted by the tenant's backend (secret key) for embedding admin
 * elements in its own site. Under the role ceiling: only for a staff user whose
 * role is at most the actor's, so no key mints a session as an owner.
 */
export async function mintStaffSession(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  actor: RoleActor,
  id: string,
  meta: SessionMeta,
): Promise<StaffSession> {
  return deps.db.withTenant(tenantId, async (tx) => {
    const staff = await lockStaff(tx, tenantId, id);
    if (staff.status !== 'active') throw new ApiError(StaffErrors.STAFF_NOT_FOUND, `No active staff user ${id}.`);
    assertWithinCeiling(actor, staff.role, 'mint a session for a staff user who is');
    const session = await startStaffSession(tx, deps, tenantId, staff, meta);
    await appendAudit(tx, deps, tenantId, ctx, [
      { action: 'staff.session_minted', targetType: 'staff', targetId: id, diff: { session_id: session.session.id } },
    ]);
    return session;
  });
}

/**
 * Rotates a staff refresh token, like members' ({@link renewSession}): a member's token
 * or another tenant's is refused here without being spent.
 */
export async function refreshStaffSession(
  deps: AuthDeps,
  tenantId: string,
  refreshToken: string,
  client: SessionMeta,
): Promise<StaffSession> {
  const result = await renewSession(deps, refreshToken, { tenantId, subject: 'staff', client });
  const now = deps.clock.now();
  return deps.db.withTenant(tenantId, async (tx) => {
    const [staff] = await tx
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, result.session.subjectId)));
    if (staff?.status !== 'active') throw rotationError({ outcome: 'invalid' });
    const { token, expiresIn } = await issueAccessToken(
      tx,
      { secretBox: deps.secretBox, issuerBaseUrl: deps.config.issuerBaseUrl, now },
      tenantId,
      {
        subject: 'staff',
        subjectId: staff.id,
        sessionId: result.session.id,
        claims: { role: staff.role },
      },
    );
    return { accessToken: token, expiresIn, refreshToken: result.refreshToken, session: result.session, staff };
  });
}

/**
 * Creates an active staff account with a password, without an invitation: for
 * operators setting up a tenant (and the demo tenant's owner in development).
 */
export async function createStaffWithPassword(
  deps: AuthDeps,
  tenantId: string,
  ctx: AuditContext,
  input: { email: string; name: string; role: StaffRole; password: string },
): Promise<StaffRow> {
  const problem = passwordProblem(input.password);
  if (problem) throw validationError([{ field: 'password', message: problem }]);
  const passwordHash = await deps.passwordHasher.hash(input.password);
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const now = deps.clock.now();
      const [staff] = await tx
        .insert(staffUsers)
        .values({
          tenantId,
          id: deps.ids.generate('stf'),
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash,
          status: 'active',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await appendAudit(tx, deps, tenantId, ctx, [
        {
          action: 'staff.created',
          targetType: 'staff',
          targetId: staff!.id,
          diff: { email: input.email, name: input.name, role: input.role },
        },
      ]);
      return staff!;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'staff_users_email_key'))
      throw new ApiError(StaffErrors.STAFF_EMAIL_TAKEN, `${input.email} is already on the staff.`);
    throw error;
  }
}
