import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, QueryOf, ResponseOf, Schema } from '../core/types.js';

/** An invitation to join the tenant. */
export type Invite = Schema<'Invite'>;
/** One page of invites. */
export type InviteList = Schema<'InviteList'>;
/** Body of {@link InvitesResource.create}. */
export type CreateInviteParams = BodyOf<'createInvite'>;
/** Body of {@link InvitesResource.bulk}. */
export type CreateInvitesBulkParams = BodyOf<'createInvitesBulk'>;
/** Result of {@link InvitesResource.bulk}. */
export type InviteBulkResult = ResponseOf<'createInvitesBulk'>;
/** Query of {@link InvitesResource.list}. */
export type ListInvitesParams = Omit<QueryOf<'listInvites'>, 'cursor'>;

/** `mk.invites`: invitations with single-use, expiring tokens sent by mail. */
export class InvitesResource extends Resource {
  /**
   * Invites someone (`POST /v1/invites`); the mail goes out with a single-use link.
   *
   * @example
   * const invite = await mk.invites.create({ email: 'grace@example.org' });
   */
  create(params: CreateInviteParams, options?: CallOptions): Promise<Invite> {
    return this.call({ method: 'POST', path: '/v1/invites', body: params }, options);
  }

  /** Retrieves an invite (`GET /v1/invites/{id}`). */
  retrieve(id: string, options?: CallOptions): Promise<Invite> {
    return this.call({ method: 'GET', path: `/v1/invites/${seg(id)}` }, options);
  }

  /** Revokes an invite (`DELETE /v1/invites/{id}`). */
  del(id: string, options?: CallOptions): Promise<Invite> {
    return this.call({ method: 'DELETE', path: `/v1/invites/${seg(id)}` }, options);
  }

  /** Lists invites (`GET /v1/invites`). */
  list(params?: ListInvitesParams, options?: CallOptions): ListPromise<InviteList> {
    return this.paginate({ path: '/v1/invites', query: toQuery(params) }, options);
  }

  /** Sends an invite again with a fresh token (`POST /v1/invites/{id}/resend`). */
  resend(id: string, options?: CallOptions): Promise<Invite> {
    return this.call({ method: 'POST', path: `/v1/invites/${seg(id)}/resend` }, options);
  }

  /** Invites many people at once (`POST /v1/invites/bulk`). */
  bulk(params: CreateInvitesBulkParams, options?: CallOptions): Promise<InviteBulkResult> {
    return this.call({ method: 'POST', path: '/v1/invites/bulk', body: params }, options);
  }
}
