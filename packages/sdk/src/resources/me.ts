import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';
import type { Me, Session } from '../session/session.js';
import { MyBlocksResource, MyCommunityResource } from './community.js';
import { MyBillingResource } from './my-billing.js';
import { MyNotificationsResource } from './notifications.js';

/** Body of {@link MeResource.update}. */
export type UpdateMeParams = BodyOf<'updateMe'>;
/** Body of {@link MeResource.changePassword}. */
export type ChangePasswordParams = BodyOf<'changeMyPassword'>;
/** Everything stored about the member (GDPR export). */
export type MemberExport = Schema<'MemberExport'>;
/** One of the member's sessions (devices). */
export type MemberSession = Schema<'MemberSession'>;
/** The member's sessions. */
export type MemberSessionList = Schema<'MemberSessionList'>;
/** One page of the member's own activity. */
export type MyActivityList = Schema<'ActivityEventList'>;
/** Type filter and page size of {@link MeResource.activity}. */
export type ListMyActivityParams = Omit<QueryOf<'listMyActivity'>, 'cursor'>;
/** What {@link MySessionsResource.revokeOthers} ended. */
export type SessionRevocation = Schema<'SessionRevocation'>;

/** `mk.me.sessions`: the signed-in member's sessions (devices). */
export class MySessionsResource extends Resource {
  /** Lists the member's active sessions (`GET /v1/me/sessions`). */
  list(options?: CallOptions): ListPromise<MemberSessionList> {
    return this.paginate({ path: '/v1/me/sessions', auth: 'member' }, options);
  }

  /** Signs one session out (`DELETE /v1/me/sessions/{id}`). */
  del(id: string, options?: CallOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/v1/me/sessions/${seg(id)}`, auth: 'member' }, options);
  }

  /**
   * Signs out every session but this one, at once (`DELETE /v1/me/sessions`):
   * "sign out all other devices". Resolves to how many were ended.
   */
  revokeOthers(options?: CallOptions): Promise<SessionRevocation> {
    return this.call({ method: 'DELETE', path: '/v1/me/sessions', auth: 'member' }, options);
  }
}

/**
 * `mk.me`: the signed-in member's own account. Sends the session's access token (or the
 * client's `accessToken`).
 */
export class MeResource extends Resource {
  /** The member's sessions. */
  readonly sessions: MySessionsResource;
  /** The member's subscription, cards, invoices and usage. */
  readonly billing: MyBillingResource;
  /** The member's notifications and their preferences. */
  readonly notifications: MyNotificationsResource;
  /** The member's community preferences (sharing milestones). */
  readonly community: MyCommunityResource;
  /** Members the member blocked. */
  readonly blocks: MyBlocksResource;
  readonly #session: Session;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport, session: Session) {
    super(transport);
    this.#session = session;
    this.sessions = new MySessionsResource(transport);
    this.billing = new MyBillingResource(transport);
    this.notifications = new MyNotificationsResource(transport);
    this.community = new MyCommunityResource(transport);
    this.blocks = new MyBlocksResource(transport);
  }

  /** Retrieves the member (`GET /v1/me`). */
  async retrieve(options?: CallOptions): Promise<Me> {
    const me = await this.call<Me>({ method: 'GET', path: '/v1/me', auth: 'member' }, options);
    this.#session.updateMember(me);
    return me;
  }

  /**
   * Updates the member's profile (`PATCH /v1/me`); `mk.session.member` follows.
   *
   * @example
   * await mk.me.update({ first_name: 'Augusta Ada' });
   */
  async update(params: UpdateMeParams, options?: CallOptions): Promise<Me> {
    const me = await this.call<Me>({ method: 'PATCH', path: '/v1/me', body: params, auth: 'member' }, options);
    this.#session.updateMember(me);
    return me;
  }

  /** Deletes the member's account (GDPR erasure; `DELETE /v1/me`) and ends the session. */
  async del(options?: CallOptions): Promise<void> {
    await this.call({ method: 'DELETE', path: '/v1/me', auth: 'member' }, options);
    await this.#session.clear();
  }

  /** Everything stored about the member, as JSON (GDPR export; `GET /v1/me/export`). */
  export(options?: CallOptions): Promise<MemberExport> {
    return this.call({ method: 'GET', path: '/v1/me/export', auth: 'member' }, options);
  }

  /**
   * The member's own activity, newest first (`GET /v1/me/activity`): await it for one
   * page, or iterate it for every event.
   *
   * @example
   * const { data } = await mk.me.activity({ limit: 10 });
   */
  activity(params?: ListMyActivityParams, options?: CallOptions): ListPromise<MyActivityList> {
    return this.paginate({ path: '/v1/me/activity', query: toQuery(params), auth: 'member' }, options);
  }

  /** Changes the password, given the current one (`POST /v1/me/password`). */
  changePassword(params: ChangePasswordParams, options?: CallOptions): Promise<void> {
    return this.call({ method: 'POST', path: '/v1/me/password', body: params, auth: 'member' }, options);
  }
}
