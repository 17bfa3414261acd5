import { ApiError, defineErrorCodes } from '../lib/errors.js';
import type { Credential } from './credential.js';
import { roleAtMost, type Role, type SecretKeyRole } from './permissions.js';

/**
 * The role ceiling: a credential acts only on principals whose role is at most
 * its own. Permissions (`permissions.ts`) say which actions a role may take; the
 * ceiling says on whom. It applies to every action that creates or reaches a
 * principal with a role: creating or revoking a secret key, inviting a staff
 * user, changing their role (both the role they have and the role they get),
 * removing them, and minting a session as them. So an admin may act on admins,
 * managers and viewers, never on an owner nor make one; a manager never on an
 * admin key. Equal roles are within reach on purpose: a tenant's backend mints
 * sessions for its admins with an admin key (audited under the key), and admins
 * replace one another. Secret keys top out at `admin` (there are no owner keys), so no key
 * ever acts as an owner: owners are appointed by the platform operator or by an
 * owner, and ownership is handed over only by its owner (`transferOwnership`).
 */
export const RoleCeilingErrors = defineErrorCodes({
  ROLE_CEILING: { status: 403, title: 'Above the role of the credential' },
});

/** Who acts, as the role ceiling sees them. */
export type RoleActor =
  | { type: 'staff'; role: Role; staffId: string }
  | { type: 'secret_key'; role: SecretKeyRole }
  /** The platform operator key: above every tenant role, it appoints owners. */
  | { type: 'platform' }
  /** Trusted in-process callers (CLI, `npm start`'s demo setup). */
  | { type: 'system' };

/** The role ceiling of a tenant credential that passed `requireCredential`. */
export function roleActorOf(credential: Extract<Credential, { type: 'secret_key' | 'staff' }>): RoleActor {
  return credential.type === 'staff'
    ? { type: 'staff', role: credential.role, staffId: credential.staffId }
    : { type: 'secret_key', role: credential.role };
}

/** The highest role `actor` may act on. */
export function ceilingOf(actor: RoleActor): Role {
  return actor.type === 'platform' || actor.type === 'system' ? 'owner' : actor.role;
}

/**
 * Throws 403 `ROLE_CEILING` unless `role` is at most the actor's own. `what`
 * completes "cannot …", e.g. `invite a staff user as`.
 * @example
 * assertWithinCeiling(actor, input.role, 'invite a staff user as');
 */
export function assertWithinCeiling(actor: RoleActor, role: Role, what: string): void {
  if (roleAtMost(role, ceilingOf(actor))) return;
  const who = actor.type === 'staff' ? 'Your staff role' : "This key's role";
  throw new ApiError(
    RoleCeilingErrors.ROLE_CEILING,
    `${who} "${ceilingOf(actor)}" cannot ${what} "${role}": a credential acts only on roles at most its own${actor.type === 'secret_key' ? ' (secret keys never act as owner)' : ''}.`,
  );
}
