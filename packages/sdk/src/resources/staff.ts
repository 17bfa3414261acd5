import type { ListPromise } from '../core/pagination.js';
import { Resource, seg } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, Schema } from '../core/types.js';
import type { StaffSessionTokens } from './auth.js';

/** A staff user of the tenant. */
export type Staff = Schema<'Staff'>;
/** All staff users. */
export type StaffList = Schema<'StaffList'>;
/** The signed-in staff user with their permissions, from {@link StaffResource.me}. */
export type CurrentStaff = Schema<'CurrentStaff'>;
/** Body of {@link StaffResource.create}. */
export type InviteStaffParams = BodyOf<'inviteStaff'>;
/** Body of {@link StaffResource.update}. */
export type UpdateStaffParams = BodyOf<'updateStaff'>;
/** The new and the previous owner, from {@link StaffResource.transferOwnership}. */
export type OwnershipTransfer = Schema<'OwnershipTransfer'>;

/** `mk.staff`: staff users and their roles. */
export class StaffResource extends Resource {
  /**
   * Invites a staff user with a role (`POST /v1/staff`).
   *
   * @example
   * const staff = await mk.staff.create({ email: 'admin@example.org', role: 'manager' });
   */
  create(params: InviteStaffParams, options?: CallOptions): Promise<Staff> {
    return this.call({ method: 'POST', path: '/v1/staff', body: params }, options);
  }

  /**
   * The signed-in staff user and what their role may do (`GET /v1/staff/me`, staff access token only).
   *
   * @example
   * const staff = new Memberkit({ accessToken: staffToken, baseUrl });
   * const { permissions } = await staff.staff.me();
   */
  me(options?: CallOptions): Promise<CurrentStaff> {
    return this.call({ method: 'GET', path: '/v1/staff/me' }, options);
  }

  /** Lists staff users (`GET /v1/staff`). */
  list(options?: CallOptions): ListPromise<StaffList> {
    return this.paginate({ path: '/v1/staff' }, options);
  }

  /** Changes a staff user's role or name (`PATCH /v1/staff/{id}`). */
  update(id: string, params: UpdateStaffParams, options?: CallOptions): Promise<Staff> {
    return this.call({ method: 'PATCH', path: `/v1/staff/${seg(id)}`, body: params }, options);
  }

  /** Removes a staff user (`DELETE /v1/staff/{id}`). */
  del(id: string, options?: CallOptions): Promise<Staff> {
    return this.call({ method: 'DELETE', path: `/v1/staff/${seg(id)}` }, options);
  }

  /**
   * Mints a session for a staff user from the tenant's backend (`POST /v1/staff/{id}/sessions`,
   * secret key only), e.g. to sign staff in through your own login.
   */
  createSession(id: string, options?: CallOptions): Promise<StaffSessionTokens> {
    return this.call({ method: 'POST', path: `/v1/staff/${seg(id)}/sessions` }, options);
  }

  /**
   * Hands ownership to a staff user (`POST /v1/staff/{id}/transfer-ownership`): they become
   * an owner and the caller an admin. Only with the owner's own staff token.
   *
   * @example
   * const owner = new Memberkit({ accessToken: ownerStaffToken, baseUrl });
   * const { owner: heir } = await owner.staff.transferOwnership('stf_…');
   */
  transferOwnership(id: string, options?: CallOptions): Promise<OwnershipTransfer> {
    return this.call({ method: 'POST', path: `/v1/staff/${seg(id)}/transfer-ownership` }, options);
  }
}
