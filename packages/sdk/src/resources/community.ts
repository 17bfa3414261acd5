import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';

/** What the tenant's community allows. */
export type CommunitySettings = Schema<'CommunitySettings'>;
/** Body of {@link CommunitySettingsResource.update}: only the fields sent change. */
export type UpdateCommunitySettingsParams = BodyOf<'updateCommunitySettings'>;
/** The member's own community preferences. */
export type MemberCommunityPrefs = Schema<'MemberCommunityPrefs'>;
/** Body of {@link MyCommunityResource.update}. */
export type UpdateMemberCommunityPrefsParams = BodyOf<'updateMyCommunityPrefs'>;
/** A member the signed-in member blocked. */
export type MemberBlock = Schema<'MemberBlock'>;
/** One page of the member's blocks. */
export type MemberBlockList = Schema<'MemberBlockList'>;
/** Query of {@link MyBlocksResource.list}. */
export type ListBlocksParams = Omit<QueryOf<'listMyBlocks'>, 'cursor'>;

/** `mk.community.settings`: the community switches (staff `tenant:update`; everyone may read). */
export class CommunitySettingsResource extends Resource {
  /** The settings (`GET /v1/community/settings`). */
  get(options?: CallOptions): Promise<CommunitySettings> {
    return this.call({ method: 'GET', path: '/v1/community/settings', auth: 'member' }, options);
  }

  /**
   * Changes settings (`PATCH /v1/community/settings`).
   *
   * @example
   * await mk.community.settings.update({ presence_visibility: 'members', member_messaging: true });
   */
  update(params: UpdateCommunitySettingsParams, options?: CallOptions): Promise<CommunitySettings> {
    return this.call({ method: 'PATCH', path: '/v1/community/settings', body: params }, options);
  }
}

/** `mk.community`: the tenant's community settings. */
export class CommunityResource extends Resource {
  /** Presence visibility, member posts and messaging, rate limits. */
  readonly settings: CommunitySettingsResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.settings = new CommunitySettingsResource(transport);
  }
}

/** `mk.me.community`: the member's community preferences. */
export class MyCommunityResource extends Resource {
  /** The preferences (`GET /v1/me/community`). */
  get(options?: CallOptions): Promise<MemberCommunityPrefs> {
    return this.call({ method: 'GET', path: '/v1/me/community', auth: 'member' }, options);
  }

  /** Changes them (`PATCH /v1/me/community`). */
  update(params: UpdateMemberCommunityPrefsParams, options?: CallOptions): Promise<MemberCommunityPrefs> {
    return this.call({ method: 'PATCH', path: '/v1/me/community', body: params, auth: 'member' }, options);
  }
}

/** `mk.me.blocks`: members the signed-in member blocked (no direct messages either way). */
export class MyBlocksResource extends Resource {
  /** Lists them (`GET /v1/me/blocks`): await it for one page, or iterate it for all. */
  list(params?: ListBlocksParams, options?: CallOptions): ListPromise<MemberBlockList> {
    return this.paginate({ path: '/v1/me/blocks', query: toQuery(params), auth: 'member' }, options);
  }

  /** Blocks a member (`PUT /v1/me/blocks/{member_id}`); idempotent. */
  block(memberId: string, options?: CallOptions): Promise<MemberBlock> {
    return this.call({ method: 'PUT', path: `/v1/me/blocks/${seg(memberId)}`, auth: 'member' }, options);
  }

  /** Unblocks a member (`DELETE /v1/me/blocks/{member_id}`). */
  unblock(memberId: string, options?: CallOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/v1/me/blocks/${seg(memberId)}`, auth: 'member' }, options);
  }
}
