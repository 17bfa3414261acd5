import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { type FeedCommentRow, type FeedPostRow, members, staffUsers, tenants } from '../db/schema/index.js';
import type { AuthorType } from '../db/schema/feed.js';
import { TOPICS, type RealtimeEventInput } from '../realtime/types.js';
import type { AuditContext } from './audit-context.js';
import { getCommunitySettings } from './community-settings.js';

/** The reactions a post can get. */
export const FEED_REACTIONS = ['like', 'love', 'celebrate', 'laugh', 'wow', 'sad'] as const;
export type FeedReaction = (typeof FEED_REACTIONS)[number];

/** Longest post or announcement body, and longest comment, in characters. */
export const MAX_POST_BODY = 10_000;
export const MAX_COMMENT_BODY = 2_000;

/**
 * The staff-only feed topic: scheduled, hidden and tier-restricted posts (and their
 * comments and reactions) as staff see them. Staff subscribe to `feed` and `feed.staff`;
 * nothing is sent on both, so a staff stream never gets an event twice.
 */
export const FEED_STAFF_TOPIC = 'feed.staff';

/** The topic of the members of one tier: posts restricted to that tier. */
export const feedTierTopic = (tierId: string) => `feed.tier.${tierId}`;

/**
 * Who acts in the feed. Members act for themselves; staff users and secret keys act
 * for the tenant (`canManage`: their role has `feed:manage`). A secret key writes as
 * the organisation (`platform` author named after the tenant).
 */
export type FeedActor =
  | { type: 'member'; memberId: string }
  | { type: 'staff'; staffId: string; canManage: boolean; audit: AuditContext }
  | { type: 'api_key'; keyId: string; canManage: boolean; audit: AuditContext };

/** What an actor is called in `author_type`/`actor_type` columns, and its id. */
export function actorRef(actor: FeedActor): { type: AuthorType; id: string } {
  if (actor.type === 'member') return { type: 'member', id: actor.memberId };
  if (actor.type === 'staff') return { type: 'staff', id: actor.staffId };
  return { type: 'platform', id: actor.keyId };
}

/** A reader of the feed, resolved in the transaction: a member with their tier, or staff. */
export type FeedViewer = { type: 'member'; memberId: string; tierId: string | null } | { type: 'staff' };

/** The community rules the feed follows (see community_settings; the defaults when the tenant has no row). */
export interface FeedSettings {
  memberPosts: boolean;
  memberComments: boolean;
  reactions: boolean;
  postRatePerHour: number;
}

/** The tenant's feed rules, read in the caller's transaction. */
export async function readFeedSettings(tx: Tx, tenantId: string): Promise<FeedSettings> {
  const settings = await getCommunitySettings(tx, tenantId);
  return {
    memberPosts: settings.memberPosts,
    memberComments: settings.memberComments,
    reactions: settings.reactions,
    postRatePerHour: settings.postRatePerHour,
  };
}

/** The viewer an actor reads as (a member's current tier decides which restricted posts they see). */
export async function viewerOf(tx: Tx, tenantId: string, actor: FeedActor): Promise<FeedViewer> {
  if (actor.type !== 'member') return { type: 'staff' };
  const [row] = await tx
    .select({ tierId: members.tierId })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, actor.memberId)));
  return { type: 'member', memberId: actor.memberId, tierId: row?.tierId ?? null };
}

/** Whether `viewer` may see the post (members: published, not hidden, their tier in the audience). */
export function canSeePost(viewer: FeedViewer, post: FeedPostRow): boolean {
  if (post.deletedAt) return false;
  if (viewer.type === 'staff') return true;
  if (post.hiddenAt || !post.publishedAt) return false;
  return !post.audienceTierIds || (viewer.tierId !== null && post.audienceTierIds.includes(viewer.tierId));
}

/** Whether `viewer` may see the comment (given they see its post). */
export function canSeeComment(viewer: FeedViewer, comment: FeedCommentRow): boolean {
  if (comment.deletedAt) return false;
  return viewer.type === 'staff' || !comment.hiddenAt;
}

/**
 * Where a post's events go: the member topics whose subscribers may see it (`feed`
 * for everyone, one `feed.tier.<id>` per audience tier, none while it is scheduled,
 * hidden or deleted), and whether staff need it on {@link FEED_STAFF_TOPIC} (when it is
 * not on `feed`, which staff read).
 */
export interface PostTopics {
  member: string[];
  staff: boolean;
}

export function postTopics(post: FeedPostRow): PostTopics {
  if (post.deletedAt) return { member: [], staff: false };
  if (post.hiddenAt || !post.publishedAt) return { member: [], staff: true };
  if (!post.audienceTierIds) return { member: [TOPICS.feed], staff: false };
  return { member: post.audienceTierIds.map(feedTierTopic), staff: true };
}

/** The same event on every topic of a post (comments, reactions, edits that change no visibility). */
export function eventsForPost(
  topics: PostTopics,
  type: string,
  memberData: Record<string, unknown>,
  staffData: Record<string, unknown> = memberData,
): RealtimeEventInput[] {
  const out: RealtimeEventInput[] = topics.member.map((topic) => ({ topic, type, data: memberData }));
  if (topics.staff) out.push({ topic: FEED_STAFF_TOPIC, type, data: staffData });
  return out;
}

/**
 * The events of a post whose visibility may have changed from `before` to `after`
 * (null: it did not exist / is gone): created where it appears, updated where it
 * stays, deleted where it disappears; staff get the staff view on `feed.staff`.
 */
export function postTransitionEvents(
  before: PostTopics | null,
  after: PostTopics | null,
  dto: Record<string, unknown>,
  id: string,
): RealtimeEventInput[] {
  const was = new Set(before?.member ?? []);
  const now = new Set(after?.member ?? []);
  const gone = { id, object: 'feed_post' };
  const memberDto = { ...dto, hidden: false, my_reactions: [] };
  const out: RealtimeEventInput[] = [];
  for (const topic of was) if (!now.has(topic)) out.push({ topic, type: 'feed.post_deleted', data: gone });
  for (const topic of now)
    out.push({ topic, type: was.has(topic) ? 'feed.post_updated' : 'feed.post_created', data: memberDto });
  const staffSaw = before !== null && (before.staff || was.has(TOPICS.feed));
  if (after?.staff)
    out.push({
      topic: FEED_STAFF_TOPIC,
      type: staffSaw ? 'feed.post_updated' : 'feed.post_created',
      data: { ...dto, my_reactions: [] },
    });
  else if (before?.staff && !now.has(TOPICS.feed))
    out.push({ topic: FEED_STAFF_TOPIC, type: 'feed.post_deleted', data: gone });
  return out;
}

/** An author as DTOs show it. */
export interface AuthorDto {
  type: AuthorType;
  id: string;
  name: string;
}

/**
 * Names of authors: members by first and last name, staff users by name, the
 * organisation (a secret key's posts) by the tenant's name. Looked up when read, so a
 * rename shows everywhere at once.
 */
export async function authorNames(
  tx: Tx,
  tenantId: string,
  refs: readonly { type: AuthorType; id: string }[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const idsOf = (type: AuthorType) => [...new Set(refs.filter((r) => r.type === type).map((r) => r.id))];
  const memberIds = idsOf('member');
  if (memberIds.length > 0) {
    const rows = await tx
      .select({ id: members.id, firstName: members.firstName, lastName: members.lastName })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), inArray(members.id, memberIds)));
    for (const m of rows) names.set(`member:${m.id}`, `${m.firstName} ${m.lastName}`.trim() || 'Member');
  }
  const staffIds = idsOf('staff');
  if (staffIds.length > 0) {
    const rows = await tx
      .select({ id: staffUsers.id, name: staffUsers.name })
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, staffIds)));
    for (const s of rows) names.set(`staff:${s.id}`, s.name);
  }
  if (idsOf('platform').length > 0) {
    const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
    for (const id of idsOf('platform')) names.set(`platform:${id}`, tenant?.name ?? 'Team');
  }
  return names;
}

/** The author of a row with its name (a removed author reads as "Former member" / "Former staff"). */
export function authorOf(names: Map<string, string>, type: AuthorType, id: string): AuthorDto {
  const fallback = type === 'member' ? 'Former member' : type === 'staff' ? 'Former staff' : 'Team';
  return { type, id, name: names.get(`${type}:${id}`) ?? fallback };
}
