import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { feedPosts, memberCommunityPrefs, members, tiers } from '../db/schema/index.js';
import { appendEvents } from '../realtime/event-log.js';
import { authorNames, authorOf, postTopics, postTransitionEvents } from './feed-access.js';
import { toPostDto } from './feed-dto.js';
import type { ServiceDeps } from './service-deps.js';

/** The milestones a member can share: joining, upgrading to a pricier tier, each yearly anniversary. */
export type Milestone = 'joined' | 'upgraded' | 'anniversary';

/** What a milestone says: `upgraded` names the new tier, `anniversary` the years. */
export interface MilestoneData {
  tier_id?: string;
  years?: number;
}

/**
 * Posts a member's milestone to the tenant feed, in the caller's transaction, when the
 * member agreed to share milestones (member_community_prefs.share_milestones); a
 * no-op otherwise. Once per milestone: `joined` once ever, `upgraded` once per tier,
 * `anniversary` once per number of years (a per-member advisory lock keeps two
 * processes from posting the same one). Returns the post id, or null when nothing was posted.
 *
 * @example
 * // in the member service, when a member becomes active for the first time:
 * await recordMilestone(deps, tx, tenantId, member.id, 'joined', {});
 * // when a member moves to a tier with a higher price:
 * await recordMilestone(deps, tx, tenantId, member.id, 'upgraded', { tier_id: newTier.id });
 */
export async function recordMilestone(
  deps: ServiceDeps,
  tx: Tx,
  tenantId: string,
  memberId: string,
  milestone: Milestone,
  data: MilestoneData,
): Promise<string | null> {
  const [prefs] = await tx
    .select({ share: memberCommunityPrefs.shareMilestones })
    .from(memberCommunityPrefs)
    .where(and(eq(memberCommunityPrefs.tenantId, tenantId), eq(memberCommunityPrefs.memberId, memberId)));
  if (!prefs?.share) return null;
  const [member] = await tx
    .select({ id: members.id, firstName: members.firstName, lastName: members.lastName })
    .from(members)
    .where(and(eq(members.tenantId, tenantId), eq(members.id, memberId), isNull(members.deletedAt)));
  if (!member) return null;
  if (milestone === 'upgraded' && !data.tier_id) throw new Error('an upgraded milestone needs data.tier_id');
  if (milestone === 'anniversary' && !(Number.isInteger(data.years) && (data.years ?? 0) >= 1))
    throw new Error('an anniversary milestone needs data.years ≥ 1');

  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`feed-milestone:${tenantId}:${memberId}`}))`);
  const same = [
    eq(feedPosts.tenantId, tenantId),
    eq(feedPosts.kind, 'milestone'),
    eq(feedPosts.authorType, 'member'),
    eq(feedPosts.authorId, memberId),
    sql`${feedPosts.data}->>'milestone' = ${milestone}`,
    milestone === 'upgraded' ? sql`${feedPosts.data}->>'tier_id' = ${data.tier_id ?? ''}` : undefined,
    milestone === 'anniversary' ? sql`${feedPosts.data}->>'years' = ${String(data.years)}` : undefined,
  ];
  const [existing] = await tx
    .select({ id: feedPosts.id })
    .from(feedPosts)
    .where(and(...same))
    .limit(1);
  if (existing) return null;

  const name = `${member.firstName} ${member.lastName}`.trim() || 'A member';
  let body: string;
  const postData: Record<string, unknown> = { milestone, member_id: memberId };
  if (milestone === 'joined') body = `${name} joined.`;
  else if (milestone === 'upgraded') {
    const [tier] = await tx
      .select({ name: tiers.name })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), eq(tiers.id, data.tier_id!)));
    postData.tier_id = data.tier_id;
    postData.tier_name = tier?.name ?? null;
    body = tier ? `${name} upgraded to ${tier.name}.` : `${name} upgraded their membership.`;
  } else {
    postData.years = data.years;
    body = `${name} has been a member for ${data.years} ${data.years === 1 ? 'year' : 'years'}.`;
  }
  const now = deps.clock.now();
  const [row] = await tx
    .insert(feedPosts)
    .values({
      tenantId,
      id: deps.ids.generate('post'),
      kind: 'milestone',
      authorType: 'member',
      authorId: memberId,
      title: null,
      body,
      data: postData,
      publishAt: now,
      publishedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const post = row!;
  const names = await authorNames(tx, tenantId, [{ type: 'member', id: memberId }]);
  const dto = toPostDto(post, authorOf(names, 'member', memberId), []);
  await appendEvents(deps, tx, tenantId, postTransitionEvents(null, postTopics(post), dto, post.id));
  return post.id;
}
