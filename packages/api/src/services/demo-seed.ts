import { and, eq, sql } from 'drizzle-orm';
import { customFields, members, tenants, tiers } from '../db/schema/index.js';
import type { Clock } from '../lib/clock.js';
import { createUlidGenerator } from '../lib/ids.js';
import { type ActivityInput, ingestActivity } from './activity-ingest.js';
import { ensureActivityPartitions, partitionMonth } from './activity-partitions.js';
import { applyActivityRollups } from './activity-rollups.js';
import { createApiKey } from './api-keys.js';
import type { AuditContext } from './audit-context.js';
import {
  createRandom,
  planActivity,
  planMembers,
  type DemoEvent,
  type DemoMemberPlan,
  type Random,
} from './demo-seed-activity.js';
import {
  insertMembers,
  type MemberEventInput,
  type MemberStatus,
  type NewMember,
  recordMemberEvents,
} from './members.js';
import type { ServiceDeps } from './service-deps.js';
import { insertTenant } from './tenants.js';

export const DEMO_TENANT = { name: 'Demo Association', slug: 'demo', timeZone: 'Europe/Berlin' } as const;

export interface DemoCredentials {
  tenantId: string;
  secretKey: string;
  publishableKey: string;
}

const DEMO_TIERS = [
  {
    name: 'Community',
    description: 'Free access to the newsletter and public events.',
    interval: 'free',
    priceAmount: 0,
    features: ['Newsletter', 'Public events'],
  },
  {
    name: 'Supporter',
    description: 'Support our work every month.',
    interval: 'month',
    priceAmount: 500,
    features: ['Newsletter', 'Member events', 'Forum'],
  },
  {
    name: 'Member',
    description: 'Full membership, billed yearly.',
    interval: 'year',
    priceAmount: 6000,
    features: ['Everything in Supporter', 'Voting rights', 'Annual report'],
  },
  {
    name: 'Patron',
    description: 'For those who want to give more.',
    interval: 'year',
    priceAmount: 25000,
    features: ['Everything in Member', 'Patron dinner', 'Name in the annual report'],
    capacity: 100,
  },
  {
    name: 'Lifetime',
    description: 'One payment, member for life.',
    interval: 'one_time',
    priceAmount: 90000,
    features: ['Everything in Member', 'Lifetime status'],
  },
] as const;

/** Fields that show what the widgets do with custom fields: a public one in the directory, a members-only choice. */
const DEMO_FIELDS = [
  {
    key: 'city',
    label: { en: 'City', de: 'Stadt' },
    type: 'text',
    required: false,
    visibility: 'public',
    memberEditable: true,
  },
  {
    key: 'interest',
    label: { en: 'Main interest', de: 'Hauptinteresse' },
    type: 'select',
    options: [
      { value: 'events', label: { en: 'Events', de: 'Veranstaltungen' } },
      { value: 'volunteering', label: { en: 'Volunteering', de: 'Ehrenamt' } },
      { value: 'networking', label: { en: 'Networking', de: 'Netzwerken' } },
    ],
    required: false,
    visibility: 'members',
    memberEditable: true,
  },
] as const;

const TAGS = ['volunteer', 'board', 'newsletter', 'speaker', 'mentor', 'donor', 'student', 'alumni'];

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back the demo's history goes: 13 months (the default raw-activity retention). */
const HISTORY_DAYS = 395;
/** Events per ingest call (the API's batch limit). */
const INGEST_BATCH = 1000;

/** Services run with the clock (and ids) placed at a moment of the demo's past. */
function depsAt(deps: ServiceDeps, instant: number): ServiceDeps {
  const clock: Clock = { now: () => new Date(instant) };
  return { db: deps.db, clock, ids: createUlidGenerator(clock) };
}

const SEED_CONTEXT: AuditContext = { actorType: 'system', actorId: 'demo-seed', requestId: null, ip: null };

/**
 * Creates the demo tenant ("Demo Association") with tiers, `memberCount`
 * realistic members and 13 months of their history, so the staff console and
 * the analytics endpoints have something to show on a fresh start. Names come
 * from a fixed faker seed and everything else from a seeded PRNG
 * (`demo-seed-activity.ts`), so every fresh start shows the same people and the
 * same story, relative to its own "now".
 *
 * The past is written the way it would have been: members join on their day
 * (their row, `created`/`imported` lifecycle event and growth figures in
 * `membership_daily` land there, through `applyMembershipEvents`), lapse, come
 * back and change tier on theirs (`recordMemberEvents` with its clock placed at
 * that moment: growth figures and `member.*` platform activity), and their
 * activity goes through the ingest as a backfill, each event under the tier the
 * member had at the time; then the rollups are applied. About 6 s more CPU than
 * the members alone on PGlite.
 */
export async function seedDemoTenant(deps: ServiceDeps, memberCount = 300): Promise<DemoCredentials> {
  const { faker } = await import('@faker-js/faker');
  faker.seed(20261127);
  const random = createRandom(20261127);
  const now = deps.clock.now().getTime();
  const start = now - HISTORY_DAYS * DAY_MS;
  const founded = start - 7 * DAY_MS;
  const plans = planMembers(random, memberCount, start, now);

  const { credentials, memberIds, tierIds } = await deps.db.withPlatform(async (tx, scope) => {
    const created = await insertTenant(tx, scope, depsAt(deps, founded), DEMO_TENANT);
    const tenantId = created.tenant.id;
    await tx
      .update(tenants)
      .set({
        locales: ['en', 'de'],
        allowedOrigins: ['http://127.0.0.1:8787', 'http://localhost:8787'],
        siteSettings: { directory: { enabled: true } },
      })
      .where(eq(tenants.id, tenantId));
    await tx.insert(customFields).values(
      DEMO_FIELDS.map((field, sortOrder) => ({
        tenantId,
        ...field,
        options: 'options' in field ? [...field.options] : [],
        sortOrder,
      })),
    );

    const tierRows = DEMO_TIERS.map((tier, index) => ({
      tenantId,
      id: deps.ids.generate('tier'),
      name: tier.name,
      description: tier.description,
      features: [...tier.features],
      priceAmount: tier.priceAmount,
      currency: 'eur',
      interval: tier.interval,
      capacity: 'capacity' in tier ? tier.capacity : null,
      sortOrder: index,
      createdAt: new Date(founded),
      updatedAt: new Date(founded),
    }));
    await tx.insert(tiers).values(tierRows);

    // Members join at their planned moment (insertMembers takes a creation time per member, and
    // growth counts each join on its day); imports and the rest are the two calls.
    const emails = new Set<string>();
    const people: NewMember[] = plans.map((plan, i) => {
      const firstName = faker.person.firstName();
      const lastName = faker.person.lastName();
      let email = faker.internet.email({ firstName, lastName, provider: 'example.org' }).toLowerCase();
      if (emails.has(email)) email = email.replace('@', `.${i}@`);
      emails.add(email);
      return {
        email,
        firstName,
        lastName,
        status: plan.status,
        tierId: tierRows[plan.tier]!.id,
        source: plan.source,
        tags: faker.helpers.arrayElements(TAGS, { min: 0, max: 3 }),
        customFields: {
          city: faker.location.city(),
          interest: faker.helpers.arrayElement(['events', 'volunteering', 'networking']),
        },
        createdAt: new Date(plan.createdAt),
      };
    });
    const memberIds: string[] = new Array(plans.length);
    for (const event of ['imported', 'created'] as const) {
      const indexes = plans.flatMap((plan, i) => ((plan.source === 'import') === (event === 'imported') ? [i] : []));
      const rows = await insertMembers(
        tx,
        deps,
        tenantId,
        indexes.map((i) => people[i]!),
        { actor: SEED_CONTEXT, event, audit: false },
      );
      rows.forEach((row, j) => {
        memberIds[indexes[j]!] = row.id;
      });
    }
    return {
      credentials: { tenantId, secretKey: created.secretKey, publishableKey: created.publishableKey },
      memberIds,
      tierIds: tierRows.map((t) => t.id),
    };
  });

  await seedHistory(deps, credentials.tenantId, plans, memberIds, tierIds, random, now);
  return credentials;
}

/**
 * The demo's history after the members joined: lapses, returns and tier changes
 * (each at its moment), and 13 months of activity through the ingest (backfill),
 * then the rollups applied and `last_active_at` set from each member's newest event.
 */
async function seedHistory(
  deps: ServiceDeps,
  tenantId: string,
  plans: DemoMemberPlan[],
  memberIds: string[],
  tierIds: string[],
  random: Random,
  now: number,
): Promise<void> {
  const events = planActivity(random, plans, now, DEMO_TENANT.timeZone, { platform: true });
  await ensureActivityPartitions(
    deps.db,
    tenantId,
    events.map((e) => partitionMonth(e.occurredAt)),
  );

  // The ingest stamps each event with the member's tier as it is then: events from
  // before a member's tier change go in before the change is made, the rest after.
  // (A member changes tier at most once in the plan.)
  const tierChangeAt = new Map<number, number>();
  plans.forEach((plan, member) => {
    const change = plan.changes.find((c) => c.tier !== undefined);
    if (change) tierChangeAt.set(member, change.at);
  });
  const before = events.filter((e) => e.occurredAt < (tierChangeAt.get(e.member) ?? Number.NEGATIVE_INFINITY));
  const after = events.filter((e) => e.occurredAt >= (tierChangeAt.get(e.member) ?? Number.NEGATIVE_INFINITY));
  await ingestDemoEvents(deps, tenantId, before, memberIds);

  const changes = plans
    .flatMap((plan, member) => plan.changes.map((change) => ({ member, change })))
    .sort((a, b) => a.change.at - b.change.at);
  // Each change as updateMember makes it (the row, then its lifecycle event through
  // recordMemberEvents: growth figures and platform activity), with the clock at its
  // moment; one transaction for all of them, in time order.
  await deps.db.withTenant(tenantId, async (tx) => {
    const state = plans.map((plan) => ({ status: plan.status as MemberStatus, tier: plan.tier }));
    for (const { member, change } of changes) {
      const id = memberIds[member]!;
      const current = state[member]!;
      const at = depsAt(deps, change.at);
      const lifecycle: MemberEventInput[] = [];
      if (change.status && change.status !== current.status) {
        lifecycle.push({ memberId: id, type: 'status_changed', from: current.status, to: change.status });
        current.status = change.status;
      }
      if (change.tier !== undefined && change.tier !== current.tier) {
        lifecycle.push({ memberId: id, type: 'tier_changed', from: tierIds[current.tier]!, to: tierIds[change.tier]! });
        current.tier = change.tier;
      }
      await tx
        .update(members)
        .set({ status: current.status, tierId: tierIds[current.tier]!, updatedAt: new Date(change.at) })
        .where(and(eq(members.tenantId, tenantId), eq(members.id, id)));
      await recordMemberEvents(tx, at, tenantId, SEED_CONTEXT, lifecycle);
    }
  });
  await ingestDemoEvents(deps, tenantId, after, memberIds);

  // The rollups, applied here rather than left to the worker: the demo is complete when npm start prints its banner.
  for (;;) {
    const applied = await deps.db.withTenant(tenantId, (tx) => applyActivityRollups(tx, tenantId, 100));
    if (applied.queueRows === 0) break;
  }

  await deps.db.withTenant(tenantId, (tx) =>
    tx.execute(sql`
      update members m set last_active_at = a.last
      from (select member_id, max(occurred_at) as last from activity_events
            where tenant_id = ${tenantId} group by member_id) a
      where m.tenant_id = ${tenantId} and m.id = a.member_id`),
  );
}

/**
 * Ingests planned events as a backfill (older than a week is allowed): the site's and
 * the integrator's events as `api`, sign-ins (`member.*`) as Memberkit records them.
 */
async function ingestDemoEvents(
  deps: ServiceDeps,
  tenantId: string,
  events: DemoEvent[],
  memberIds: string[],
): Promise<void> {
  const toInput = (e: DemoEvent): ActivityInput => ({
    type: e.type,
    member_id: memberIds[e.member]!,
    occurred_at: new Date(e.occurredAt),
    properties: e.properties,
  });
  for (const source of ['api', 'platform'] as const) {
    const list = events.filter((e) => e.type.startsWith('member.') === (source === 'platform'));
    for (let i = 0; i < list.length; i += INGEST_BATCH) {
      const batch = list.slice(i, i + INGEST_BATCH);
      const result = await ingestActivity(deps, tenantId, batch.map(toInput), { source, backfill: true, atomic: true });
      if (result.accepted !== batch.length)
        throw new Error(`demo seed: ${batch.length - result.accepted} events refused`);
    }
  }
}

/**
 * New keys for an existing demo tenant: used when the database already holds the
 * demo tenant but this machine no longer has its keys (only their hashes are stored).
 */
export async function issueDemoKeys(deps: ServiceDeps, tenantId: string): Promise<DemoCredentials> {
  const secret = await createApiKey(deps, tenantId, { kind: 'secret', role: 'admin', name: 'npm start (dev)' });
  const publishable = await createApiKey(deps, tenantId, { kind: 'publishable', name: 'npm start (dev)' });
  return { tenantId, secretKey: secret.key, publishableKey: publishable.key };
}
