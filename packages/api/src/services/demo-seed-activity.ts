/**
 * The demo tenant's history (`npm start`), planned in memory before anything is
 * written: when each member joined, how (source), with which tier, what changed
 * later (status, tier), and 13 months of their activity. Pure and deterministic:
 * a seeded PRNG and the start time decide everything, so every fresh start shows
 * the same story relative to its own "now".
 */

import { cachedZoneOffsetMs, zoneOffsetMs } from '../lib/time-zone.js';

/** mulberry32: a tiny seeded PRNG, good enough for demo data and the same everywhere. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [value, weight] of items) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return items[items.length - 1]![0];
    },
  };
}

export type Random = ReturnType<typeof createRandom>;

const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------
// Local calendar days in the tenant's zone
// ---------------------------------------------------------------------------

/** A local calendar date as a day number: days since 1970-01-01 of the naive (zone-less) date. */
type DayNumber = number;

/** The local day (in `zone`) of an instant. */
export function localDayOf(instant: number, zone: string): DayNumber {
  return Math.floor((instant + cachedZoneOffsetMs(instant, zone)) / DAY_MS);
}

/** Offsets at the start and the end of local days: Intl is slow, and most days have one offset. */
const dayOffsets = new Map<string, [number, number]>();

/** The instant a local wall-clock time (`day` plus `minute` minutes) happens in `zone`. */
export function localInstant(day: DayNumber, minute: number, zone: string): number {
  const naive = day * DAY_MS + minute * 60_000;
  const key = `${zone} ${day}`;
  let offsets = dayOffsets.get(key);
  if (!offsets) {
    offsets = [
      zoneOffsetMs(day * DAY_MS - 14 * 3_600_000, zone),
      zoneOffsetMs((day + 1) * DAY_MS + 14 * 3_600_000, zone),
    ];
    dayOffsets.set(key, offsets);
  }
  if (offsets[0] === offsets[1]) return naive - offsets[0];
  // A daylight-saving change that day: two passes settle the offset.
  const instant = naive - zoneOffsetMs(naive, zone);
  return naive - zoneOffsetMs(instant, zone);
}

/** 0 = Monday … 6 = Sunday. */
function weekdayOf(day: DayNumber): number {
  return (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

function monthOf(day: DayNumber): number {
  return new Date(day * DAY_MS).getUTCMonth();
}

// ---------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------

/** How much a member uses the site. `dormant` ones were active after joining, then stopped. */
export type DemoProfile = 'power' | 'regular' | 'occasional' | 'dormant' | 'none';

export type DemoSource = 'signup' | 'invite' | 'import' | 'staff' | 'api' | 'oidc';
export type DemoStatus = 'pending' | 'active' | 'inactive' | 'suspended';

/** A lifecycle change after joining. */
export interface DemoChange {
  at: number;
  status?: DemoStatus;
  /** Index into the demo tiers. */
  tier?: number;
}

export interface DemoMemberPlan {
  createdAt: number;
  source: DemoSource;
  status: DemoStatus;
  /** Index into the demo tiers: the tier the member joined with. */
  tier: number;
  profile: DemoProfile;
  /** Later changes, in time order. */
  changes: DemoChange[];
}

/** Tier indexes of the demo tiers (Community, Supporter, Member, Patron, Lifetime). */
const JOIN_TIERS = [
  [0, 40],
  [1, 20],
  [2, 30],
  [3, 5],
  [4, 5],
] as const;

/** How many joins a day gets relative to others: growth over the year, autumn and January peaks, summer dip. */
const MONTH_JOIN_WEIGHT = [1.4, 1.1, 1, 1, 0.9, 0.7, 0.5, 0.5, 1.3, 1.3, 1.1, 0.6];
/** Activity by month (seasonal): quiet in summer and over the holidays. */
const MONTH_ACTIVITY = [1.1, 1.05, 1, 1, 0.95, 0.85, 0.7, 0.65, 1.1, 1.1, 1.05, 0.75];
/** Activity by weekday, Monday first: weekdays busier than weekends. */
const WEEKDAY_ACTIVITY = [1.1, 1.15, 1.1, 1.05, 0.9, 0.55, 0.65];

/**
 * Who joins when, how, and what happens to them afterwards. `start` and `now` are
 * instants; members join between them (a founding import in the first days, then
 * a growing stream with seasonal peaks).
 */
export function planMembers(random: Random, count: number, start: number, now: number): DemoMemberPlan[] {
  const span = now - start;
  const plans: DemoMemberPlan[] = [];
  const founders = Math.round(count * 0.15);
  for (let i = 0; i < count; i++) {
    let createdAt: number;
    let source: DemoSource;
    if (i < founders) {
      // The founding members, imported from the association's old spreadsheet in the first days.
      createdAt = start + random.int(0, 2 * DAY_MS);
      source = 'import';
    } else {
      // Rejection sampling: more joins later in the year (growth) and in busy months.
      for (;;) {
        const t = start + random.next() * span;
        const growth = 0.5 + (t - start) / span;
        if (random.next() * 2.1 < growth * MONTH_JOIN_WEIGHT[new Date(t).getUTCMonth()]!) {
          createdAt = Math.floor(t);
          break;
        }
      }
      source = random.weighted<DemoSource>([
        ['signup', 55],
        ['invite', 18],
        ['staff', 10],
        ['oidc', 10],
        ['api', 7],
      ]);
    }
    const tier = random.weighted(JOIN_TIERS);
    const age = now - createdAt;
    // Who never confirmed their address: recent sign-ups only.
    const pending = source === 'signup' && age < 30 * DAY_MS && random.chance(0.6);
    const plan: DemoMemberPlan = {
      createdAt,
      source,
      status: pending ? 'pending' : 'active',
      tier,
      profile: pending
        ? 'none'
        : random.weighted<DemoProfile>([
            ['power', 8],
            ['regular', 27],
            ['occasional', 35],
            ['dormant', 30],
          ]),
      changes: [],
    };
    if (!pending && age > 60 * DAY_MS) {
      const roll = random.next();
      if (roll < 0.13) {
        // Lapsed: became inactive (or, rarely, suspended) some weeks or months after joining.
        const at = createdAt + random.int(45, Math.max(46, Math.floor(age / DAY_MS) - 7)) * DAY_MS;
        plan.changes.push({ at, status: random.chance(0.2) ? 'suspended' : 'inactive' });
        // A few come back.
        if (random.chance(0.15) && now - at > 40 * DAY_MS) {
          plan.changes.push({
            at: at + random.int(20, Math.floor((now - at) / DAY_MS) - 10) * DAY_MS,
            status: 'active',
          });
        }
      } else if (roll < 0.3 && (tier === 0 || tier === 1)) {
        // Upgrades from the free and the monthly tier.
        const at = createdAt + random.int(20, Math.floor(age / DAY_MS) - 5) * DAY_MS;
        plan.changes.push({ at, tier: tier === 0 ? random.pick([1, 2]) : 2 });
      } else if (roll < 0.33 && tier === 2) {
        const at = createdAt + random.int(30, Math.floor(age / DAY_MS) - 5) * DAY_MS;
        plan.changes.push({ at, tier: 0 });
      }
    }
    plans.push(plan);
  }
  return plans;
}

/** The member's status at `at`. */
function statusAt(plan: DemoMemberPlan, at: number): DemoStatus {
  let status = plan.status;
  for (const change of plan.changes) if (change.at <= at && change.status) status = change.status;
  return status;
}

/** The member's tier index at `at`. */
export function tierAt(plan: DemoMemberPlan, at: number): number {
  let tier = plan.tier;
  for (const change of plan.changes) if (change.at <= at && change.tier !== undefined) tier = change.tier;
  return tier;
}

// ---------------------------------------------------------------------------
// Activity
// ---------------------------------------------------------------------------

export interface DemoEvent {
  /** Index of the member in the plan. */
  member: number;
  type: string;
  occurredAt: number;
  properties: Record<string, string | number | boolean>;
}

const PAGES = [
  ['/', 'Home', 30],
  ['/members', 'Members area', 22],
  ['/directory', 'Directory', 12],
  ['/profile', 'Profile', 8],
  ['/events', 'Events', 14],
  ['/news', 'News', 16],
  ['/courses', 'Courses', 6],
  ['/library', 'Library', 6],
  ['/forum', 'Forum', 8],
] as const;

const DOWNLOADS = [
  ['annual-report.pdf', 'pdf', 2400],
  ['member-handbook.pdf', 'pdf', 1100],
  ['meeting-minutes.docx', 'docx', 80],
  ['event-photos.zip', 'zip', 48000],
  ['newsletter.pdf', 'pdf', 650],
] as const;

const COURSES = [
  ['onboarding', 'Getting started', 30],
  ['volunteering-101', 'Volunteering 101', 60],
  ['fundraising', 'Fundraising basics', 90],
  ['public-speaking', 'Public speaking', 120],
] as const;

const EVENT_TITLES = ['Monthly meetup', 'Workshop', 'Members evening', 'Talk', 'Volunteer day', 'General assembly'];

const FORUM_TOPICS = ['Introductions', 'Events', 'Volunteering', 'Ideas', 'Off topic'];

/** Chance to be active on an ordinary day, and how many things a member does in an active day. */
const PROFILE_RATE: Record<DemoProfile, { daily: number; events: [number, number]; attend: number }> = {
  power: { daily: 0.5, events: [1, 5], attend: 0.45 },
  regular: { daily: 0.14, events: [1, 4], attend: 0.22 },
  occasional: { daily: 0.04, events: [1, 3], attend: 0.07 },
  dormant: { daily: 0.1, events: [1, 3], attend: 0.1 },
  none: { daily: 0, events: [0, 0], attend: 0 },
};

/** A local minute of the day people use the site: lunch time and evenings. */
function sessionMinute(random: Random): number {
  const hour = random.weighted([
    [7, 3],
    [8, 5],
    [9, 6],
    [10, 6],
    [11, 6],
    [12, 9],
    [13, 8],
    [14, 5],
    [15, 5],
    [16, 5],
    [17, 6],
    [18, 8],
    [19, 11],
    [20, 12],
    [21, 10],
    [22, 6],
    [23, 2],
  ] as const);
  return hour * 60 + random.int(0, 59);
}

/**
 * 13 months of activity for the planned members: site visits (`page.viewed`, with
 * `member.signed_in` starting many of them), downloads, the association's events
 * (registered a few days ahead, attended on the evening), courses started and
 * completed, and forum posts (`x.forum.posted`) by the paying tiers. Active members
 * follow their profile, a weekly rhythm and the seasons; dormant ones stop after
 * their first weeks; lapsing ones fade out before their status changes. Sorted by time.
 */
export function planActivity(
  random: Random,
  plans: DemoMemberPlan[],
  now: number,
  zone: string,
  /** Also the platform's own events (`member.signed_in`, `member.signed_up`, …), as Memberkit would have recorded them. */
  options: { platform: boolean },
): DemoEvent[] {
  const events: DemoEvent[] = [];
  const today = localDayOf(now, zone);
  const firstDay = Math.min(...plans.map((p) => localDayOf(p.createdAt, zone)));

  // The association's events: a meetup on the second Thursday of each month and one more event most months.
  const calendar: { day: DayNumber; id: string; title: string }[] = [];
  for (let day = firstDay; day <= today + 20; day++) {
    const date = new Date(day * DAY_MS);
    const dom = date.getUTCDate();
    const weekday = weekdayOf(day);
    const ym = `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
    if (weekday === 3 && dom >= 8 && dom <= 14) calendar.push({ day, id: `meetup-${ym}`, title: 'Monthly meetup' });
    else if (weekday === 5 && dom >= 22 && dom <= 28 && monthOf(day) !== 7)
      calendar.push({ day, id: `event-${ym}`, title: EVENT_TITLES[(monthOf(day) % (EVENT_TITLES.length - 1)) + 1]! });
  }

  plans.forEach((plan, member) => {
    const rate = PROFILE_RATE[plan.profile];
    if (options.platform) {
      // What Memberkit records when members join: sign-up and address confirmation, or the accepted invitation.
      const second = 1000;
      if (plan.source === 'signup' || plan.source === 'oidc') {
        events.push({
          member,
          type: 'member.signed_up',
          occurredAt: plan.createdAt + second,
          properties: { method: plan.source === 'oidc' ? 'oidc' : 'password' },
        });
      }
      if (plan.source === 'signup' && plan.status !== 'pending') {
        events.push({
          member,
          type: 'member.email_verified',
          occurredAt: plan.createdAt + random.int(60, 1800) * second,
          properties: {},
        });
      }
      if (plan.source === 'invite') {
        events.push({ member, type: 'member.invite_accepted', occurredAt: plan.createdAt + second, properties: {} });
      }
      const profileEdit = plan.createdAt + random.int(1, 30) * DAY_MS;
      if (plan.status !== 'pending' && random.chance(0.35) && profileEdit < now) {
        events.push({
          member,
          type: 'member.profile_updated',
          occurredAt: profileEdit,
          properties: { fields: 'custom_fields' },
        });
      }
    }
    if (rate.daily === 0) return;
    const joinDay = localDayOf(plan.createdAt, zone);
    const dormantAfter = joinDay + random.int(14, 60);
    const lapse = plan.changes.find((c) => c.status && c.status !== 'active');
    const lapseDay = lapse ? localDayOf(lapse.at, zone) : Number.POSITIVE_INFINITY;
    const back = plan.changes.find((c) => c.status === 'active');
    const backDay = back ? localDayOf(back.at, zone) : Number.POSITIVE_INFINITY;
    const push = (type: string, occurredAt: number, properties: DemoEvent['properties']) => {
      if (occurredAt > plan.createdAt && occurredAt <= now) events.push({ member, type, occurredAt, properties });
    };
    let courseInProgress: { index: number; due: DayNumber } | null = null;

    for (let day = joinDay; day <= today; day++) {
      // Lapsed members do nothing while inactive or suspended; they fade out in the weeks before.
      if (day >= lapseDay && day < backDay) continue;
      let factor = MONTH_ACTIVITY[monthOf(day)]! * WEEKDAY_ACTIVITY[weekdayOf(day)]!;
      if (day - joinDay < 14) factor *= 1.8; // new members look around
      if (plan.profile === 'dormant' && day > dormantAfter) factor *= day - dormantAfter < 30 ? 0.15 : 0.004;
      if (lapseDay - day < 45 && day < lapseDay) factor *= Math.max(0.1, (lapseDay - day) / 45);
      if (!random.chance(Math.min(0.95, rate.daily * factor))) continue;

      const tier = tierAt(plan, localInstant(day, 12 * 60, zone));
      let minute = sessionMinute(random);
      const at = () => localInstant(day, Math.min(minute, 24 * 60 - 1), zone) + random.int(0, 59_000);
      if (options.platform && random.chance(0.35)) push('member.signed_in', at(), {});
      const count = random.int(rate.events[0], rate.events[1]);
      for (let n = 0; n < count; n++) {
        minute += random.int(0, 6);
        const roll = random.next();
        if (roll < 0.72 || n === 0) {
          const [path, title] = random.weighted(PAGES.map(([p, t, w]) => [[p, t], w] as const));
          push('page.viewed', at(), { path, title });
        } else if (roll < 0.84) {
          const [file, format, size] = random.pick(DOWNLOADS);
          push('content.downloaded', at(), { file, format, size_kb: size });
        } else if (roll < 0.92 && tier >= 1) {
          push('x.forum.posted', at(), { topic: random.pick(FORUM_TOPICS) });
        } else if (!courseInProgress && random.chance(0.3)) {
          const index = random.int(0, COURSES.length - 1);
          const [course, title] = COURSES[index]!;
          push('course.started', at(), { course, title });
          courseInProgress = { index, due: day + random.int(3, 40) };
        } else {
          push('page.viewed', at(), { path: '/news', title: 'News' });
        }
      }
      if (courseInProgress && day >= courseInProgress.due) {
        if (random.chance(0.7)) {
          const [course, title, minutes] = COURSES[courseInProgress.index]!;
          minute += random.int(5, 40);
          push('course.completed', at(), { course, title, minutes });
        }
        courseInProgress = null;
      }
    }

    // Events: registered a few days ahead while active, attended on the evening (most of them).
    for (const event of calendar) {
      const ahead = event.day - random.int(1, 10);
      if (ahead < joinDay || ahead > today) continue;
      if (ahead >= lapseDay && ahead < backDay) continue;
      if (plan.profile === 'dormant' && ahead > dormantAfter + 20) continue;
      if (statusAt(plan, localInstant(ahead, 12 * 60, zone)) !== 'active') continue;
      if (!random.chance(rate.attend * MONTH_ACTIVITY[monthOf(event.day)]!)) continue;
      push('event.registered', localInstant(ahead, sessionMinute(random), zone), {
        event_id: event.id,
        title: event.title,
      });
      if (event.day <= today && random.chance(0.75)) {
        push('event.attended', localInstant(event.day, 19 * 60 + random.int(0, 40), zone), {
          event_id: event.id,
          title: event.title,
          guests: random.weighted([
            [0, 70],
            [1, 22],
            [2, 8],
          ] as const),
        });
      }
    }
  });
  events.sort((a, b) => a.occurredAt - b.occurredAt || a.member - b.member);
  return events;
}
