import { and, eq, inArray, isNull } from 'drizzle-orm';
import { roleAllows, type Permission } from '../access/permissions.js';
import { conversationParticipants, conversations, members } from '../db/schema/index.js';
import { feedTierTopic } from '../services/feed-access.js';
import type { AppDeps } from '../deps.js';
import { ApiError, type FieldError } from '../lib/errors.js';
import { getCommunitySettings } from '../services/community-settings.js';
import type { StreamPrincipal } from './tickets.js';
import { RealtimeErrors } from './tickets.js';
import { TOPICS } from './types.js';

/** Most topics one stream may ask for. */
export const MAX_TOPICS = 50;

const ID_BODY = '[0-9a-hjkmnp-tv-z]{26}';
const MEMBER_TOPIC = new RegExp(`^member\\.(mem_${ID_BODY})$`);
const CONVERSATION_TOPIC = new RegExp(`^conversation\\.(cnv_${ID_BODY})$`);
const NAMED = new Set(['members', 'feed', 'feed.staff', 'presence', 'inbox', 'me']);

/** A requested topic, parsed. */
export type RequestedTopic =
  | { kind: 'members' | 'feed' | 'feed.staff' | 'presence' | 'inbox' | 'me'; name: string }
  | { kind: 'member'; name: string; memberId: string }
  | { kind: 'conversation'; name: string; conversationId: string };

/**
 * Parses the `topics` query (comma-separated): `members`, `feed`, `feed.staff`,
 * `presence`, `inbox`, `me`, `member.<mem_id>`, `conversation.<cnv_id>`. Unknown or
 * malformed names are a 400 naming each; duplicates are folded.
 */
export function parseTopics(raw: string | undefined): RequestedTopic[] {
  const names = [
    ...new Set(
      (raw ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) {
    throw new ApiError(
      RealtimeErrors.INVALID_TOPIC,
      'Name at least one topic: topics=feed,me (members, feed, feed.staff, presence, inbox, me, member.<mem_id>, conversation.<cnv_id>).',
      { errors: [{ field: 'query.topics', message: 'Required.' }] },
    );
  }
  if (names.length > MAX_TOPICS) {
    throw new ApiError(RealtimeErrors.INVALID_TOPIC, `At most ${MAX_TOPICS} topics per stream.`, {
      errors: [{ field: 'query.topics', message: `${names.length} topics; at most ${MAX_TOPICS}.` }],
    });
  }
  const errors: FieldError[] = [];
  const unknown: string[] = [];
  const topics: RequestedTopic[] = [];
  for (const name of names) {
    const member = MEMBER_TOPIC.exec(name);
    const conversation = CONVERSATION_TOPIC.exec(name);
    if (NAMED.has(name)) topics.push({ kind: name as 'members', name });
    else if (member?.[1]) topics.push({ kind: 'member', name, memberId: member[1] });
    else if (conversation?.[1]) topics.push({ kind: 'conversation', name, conversationId: conversation[1] });
    else {
      unknown.push(`"${name.slice(0, 80)}"`);
      errors.push({ field: 'query.topics', message: `Unknown topic "${name.slice(0, 80)}".` });
    }
  }
  if (errors.length > 0) {
    throw new ApiError(
      RealtimeErrors.INVALID_TOPIC,
      `Unknown topic ${unknown.join(', ')}. Topics are members, feed, feed.staff, presence, inbox, me, member.<mem_id> and conversation.<cnv_id>.`,
      { errors },
    );
  }
  return topics;
}

/**
 * Authorises each requested topic for the stream's principal and resolves it to
 * the log topic (`me` → `member.<id>`). Members: `me` (or their own
 * `member.<id>`), `feed`, `presence` when the tenant shows presence to members,
 * and conversations they take part in (and have not left). Staff and secret keys:
 * `members` and `presence` need `member:read` (presence also visibility ≠ off),
 * `inbox` and conversations of this tenant need `message:read`, `feed` any staff,
 * `feed.staff` `feed:read`. The first refused topic is a 403 that names it (the
 * stream does not start). Reads run in the tenant's scope: another tenant's
 * conversation is simply not found.
 */
export async function authorizeTopics(
  deps: Pick<AppDeps, 'db'>,
  principal: StreamPrincipal,
  requested: readonly RequestedTopic[],
): Promise<string[]> {
  const { tenantId } = principal;
  return deps.db.withTenant(tenantId, async (tx) => {
    const refuse = (topic: RequestedTopic, why: string) =>
      new ApiError(RealtimeErrors.TOPIC_NOT_ALLOWED, `Topic ${topic.name} is not allowed: ${why}`);
    let visibility: 'off' | 'staff' | 'members' | undefined;
    const visibilityOnce = async () => {
      visibility ??= (await getCommunitySettings(tx, tenantId)).presenceVisibility;
      return visibility;
    };
    const conversationIds = requested.flatMap((t) => (t.kind === 'conversation' ? [t.conversationId] : []));
    const reachable = new Set<string>();
    if (conversationIds.length > 0) {
      if (principal.type === 'member') {
        const rows = await tx
          .select({ id: conversationParticipants.conversationId })
          .from(conversationParticipants)
          .where(
            and(
              eq(conversationParticipants.tenantId, tenantId),
              inArray(conversationParticipants.conversationId, conversationIds),
              eq(conversationParticipants.participantType, 'member'),
              eq(conversationParticipants.participantId, principal.memberId),
              isNull(conversationParticipants.leftAt),
            ),
          );
        for (const row of rows) reachable.add(row.id);
      } else {
        const rows = await tx
          .select({ id: conversations.id })
          .from(conversations)
          .where(and(eq(conversations.tenantId, tenantId), inArray(conversations.id, conversationIds)));
        for (const row of rows) reachable.add(row.id);
      }
    }

    const resolved: string[] = [];
    for (const topic of requested) {
      if (principal.type === 'member') {
        switch (topic.kind) {
          case 'me':
            resolved.push(TOPICS.member(principal.memberId));
            break;
          case 'member':
            if (topic.memberId !== principal.memberId) throw refuse(topic, 'a member receives only their own events.');
            resolved.push(topic.name);
            break;
          case 'feed': {
            resolved.push(TOPICS.feed);
            // Announcements for some tiers go to each tier's topic: a member's feed includes their tier's.
            const [member] = await tx
              .select({ tierId: members.tierId })
              .from(members)
              .where(and(eq(members.tenantId, tenantId), eq(members.id, principal.memberId)));
            if (member?.tierId) resolved.push(feedTierTopic(member.tierId));
            break;
          }
          case 'presence':
            if ((await visibilityOnce()) !== 'members')
              throw refuse(topic, "this community does not show members' presence to members.");
            resolved.push(TOPICS.presence);
            break;
          case 'conversation':
            if (!reachable.has(topic.conversationId))
              throw refuse(topic, 'you are not a participant of this conversation.');
            resolved.push(topic.name);
            break;
          default:
            throw refuse(topic, 'it is for staff.');
        }
        continue;
      }
      const role = principal.role;
      const needs = (permission: Permission) => {
        if (!roleAllows(role, permission))
          throw refuse(topic, `the role "${role}" lacks the permission ${permission}.`);
      };
      switch (topic.kind) {
        case 'members':
          needs('member:read');
          resolved.push(TOPICS.members);
          break;
        case 'feed':
          resolved.push(TOPICS.feed);
          break;
        case 'feed.staff':
          needs('feed:read');
          resolved.push('feed.staff');
          break;
        case 'presence':
          needs('member:read');
          if ((await visibilityOnce()) === 'off') throw refuse(topic, 'presence is turned off for this community.');
          resolved.push(TOPICS.presence);
          break;
        case 'inbox':
          needs('message:read');
          resolved.push(TOPICS.inbox);
          break;
        case 'conversation':
          needs('message:read');
          if (!reachable.has(topic.conversationId)) throw refuse(topic, 'no such conversation in this community.');
          resolved.push(topic.name);
          break;
        default:
          throw refuse(topic, "it is a member's own topic; staff subscribe to members, inbox or a conversation.");
      }
    }
    return [...new Set(resolved)];
  });
}
