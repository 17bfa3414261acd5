import { Resource } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';

/** What the tenant's community allows. */
export interface CommunitySettings {
  object?: 'community_settings' | undefined;
  /** Who sees who is online. */
  presence_visibility: 'off' | 'staff' | 'members';
  member_posts: boolean;
  member_comments: boolean;
  reactions: boolean;
  /** Member ↔ member conversations. */
  member_messaging: boolean;
  /** Members may open support conversations with staff. */
  support_inbox: boolean;
  message_rate_per_minute: number;
  post_rate_per_hour: number;
  updated_at: string | null;
}

/** Body of {@link CommunitySettingsResource.update}: only the fields sent change. */
export type UpdateCommunitySettingsParams = Partial<Omit<CommunitySettings, 'object' | 'updated_at'>>;

/** The member's own community preferences. */
export interface MemberCommunityPrefs {
  object?: string | undefined;
  /** Post the member's milestones (joined, upgraded, anniversary) to the feed. */
  share_milestones: boolean;
}

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
  update(params: Partial<MemberCommunityPrefs>, options?: CallOptions): Promise<MemberCommunityPrefs> {
    return this.call({ method: 'PATCH', path: '/v1/me/community', body: params, auth: 'member' }, options);
  }
}

/** A member the signed-in member blocked. */
export interface MemberBlock {
  object?: string | undefined;
  member_id: string;
  name?: string | undefined;
  created_at: string;
}

/** The member's blocks. */
export interface MemberBlockList {
  object: 'list';
  data: MemberBlock[];
  has_more?: boolean | undefined;
  next_cursor?: string | null | undefined;
}

/** `mk.me.blocks`: members the signed-in member blocked (no direct messages either way). */
export class MyBlocksResource extends Resource {
  /** Lists them (`GET /v1/me/blocks`). */
  list(options?: CallOptions): Promise<MemberBlockList> {
    return this.call({ method: 'GET', path: '/v1/me/blocks', auth: 'member' }, options);
  }

  /** Blocks a member (`PUT /v1/me/blocks/{member_id}`); idempotent. */
  block(memberId: string, options?: CallOptions): Promise<MemberBlock | undefined> {
    return this.call({ method: 'PUT', path: `/v1/me/blocks/${encodeURIComponent(memberId)}`, auth: 'member' }, options);
  }

  /** Unblocks a member (`DELETE /v1/me/blocks/{member_id}`). */
  unblock(memberId: string, options?: CallOptions): Promise<void> {
    return this.call(
      { method: 'DELETE', path: `/v1/me/blocks/${encodeURIComponent(memberId)}`, auth: 'member' },
      options,
    );
  }
}
