import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityEvents, memberEvents, members, membershipDaily } from '../../db/schema/index.js';
import { createManualClock } from '../../lib/clock.js';
import { ingestActivity } from '../../services/activity-ingest.js';
import {
  createTestContext,
  drainActivityRollups,
  expectProblem,
  type TestContext,
  type TestTenant,
} from '../../testing/index.js';

/**
 * Growth and retention, computed twice: by the API from its rollups, and here by brute
 * force from `member_events`, `members` and raw `activity_events`, with a local-date
 * conversion of this file's own. Members come and go over 14 months through the real
 * API (sign-ups, staff, keys, imports, invitations), change tier and status, are
 * deleted, restored and erased, many of them around local midnight, in two tenants
 * whose zones are far apart.
 */

const START = Date.UTC(2025, 9, 1, 3, 0); // 2025-10-01
const clock = createManualClock(new Date(START));
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ clock });
});
afterAll(() => t.close());

// ---------------------------------------------------------------- local dates (this file's own)

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The local date of `instant` in `zone`, by Intl's calendar formatting. */
function localDate(instant: Date, zone: string): string {
  let f = dayFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, f);
  }
  return f.format(instant);
}
const plusDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const mondayOf = (day: string) => plusDays(day, -((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7));
const firstOf = (day: string) => `${day.slice(0, 7)}-01`;
const nextMonth = (day: string) => {
  const d = new Date(`${firstOf(day)}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};
type Interval = 'day' | 'week' | 'month';
const startOf = (day: string, interval: Interval) =>
  interval === 'day' ? day : interval === 'week' ? mondayOf(day) : firstOf(day);
const after = (period: string, interval: Interval) =>
  interval === 'day' ? plusDays(period, 1) : interval === 'week' ? plusDays(period, 7) : nextMonth(period);

// ---------------------------------------------------------------- a seeded random scenario

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface World {
  tenant: TestTenant;
  zone: string;
  tiers: string[];
  /** UTC hours at which local midnight falls (both offsets of the year). */
  midnightHours: number[];
  staffToken: { token: string; at: number } | null;
  live: Set<string>;
  deleted: Map<string, number>;
  erased: Set<string>;
  /** How often each kind of action happened (the scenario must cover them all). */
  done: Record<string, number>;
}

const STATUS_NEXT: Record<string, string[]> = {
  pending: ['active', 'inactive'],
  active: ['inactive', 'suspended'],
  inactive: ['active', 'suspended'],
  suspended: ['active', 'inactive'],
};

async function staffKey(w: World): Promise<string> {
  const now = clock.now().getTime();
  if (!w.staffToken || now - w.staffToken.at > 5 * 60_000) {
    const staff = await t.signInStaff(w.tenant, 'admin');
    w.staffToken = { token: staff.access_token, at: now };
  }
  return w.staffToken.token;
}

function ok(res: { status: number; text: string }, ...expected: number[]) {
  if (!expected.includes(res.status)) throw new Error(`unexpected ${res.status}: ${res.text}`);
}

async function getMember(w: World, id: string) {
  const res = await t.request('GET', `/v1/members/${id}`, { key: w.tenant.secret_key });
  ok(res, 200);
  return res.body as { id: string; email: string; status: string; tier_id: string | null };
}

/** One random lifecycle action through the API at the clock's time. */
async function act(w: World, rnd: () => number): Promise<void> {
  const did = (what: string) => {
    w.done[what] = (w.done[what] ?? 0) + 1;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const tierOrNone = () => (rnd() < 0.25 ? null : pick(w.tiers));
  const email = () => `m-${Math.floor(rnd() * 1e12).toString(36)}-${w.live.size}@example.org`;
  const liveIds = [...w.live];
  const r = rnd();
  if (r < 0.14 || liveIds.length < 4) {
    const session = await t.signUpMember(w.tenant, { email: email() });
    w.live.add(session.member.id);
  } else if (r < 0.24) {
    const res = await t.request('POST', '/v1/members', {
      key: await staffKey(w),
      body: {
        email: email(),
        first_name: 'S',
        last_name: 'Taff',
        tier_id: tierOrNone(),
        status: pick(['pending', 'active', 'inactive']),
      },
    });
    ok(res, 201);
    w.live.add(res.body.id);
  } else if (r < 0.32) {
    const res = await t.request('POST', '/v1/members', {
      key: w.tenant.secret_key,
      body: { email: email(), first_name: 'A', last_name: 'Pi', tier_id: tierOrNone() },
    });
    ok(res, 201);
    w.live.add(res.body.id);
  } else if (r < 0.38) {
    const rows = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () =>
      JSON.stringify({
        email: email(),
        first_name: 'Im',
        last_name: 'Port',
        status: pick(['pending', 'active', 'inactive', 'suspended']),
        ...(rnd() < 0.7 ? { tier_id: pick(w.tiers) } : {}),
      }),
    );
    // Now and then an existing member in the file, updated: its status and tier change too.
    let update = '';
    if (rnd() < 0.4 && liveIds.length > 0) {
      const m = await getMember(w, pick(liveIds));
      did('import_update');
      update = `${JSON.stringify({ email: m.email, first_name: 'Up', last_name: 'Dated', status: pick(STATUS_NEXT[m.status]!), tier_id: pick(w.tiers) })}\n`;
    }
    const res = await t.request('POST', '/v1/members/import?on_duplicate=update', {
      key: w.tenant.secret_key,
      rawBody: `${rows.join('\n')}\n${update}`,
      headers: { 'Content-Type': 'application/x-ndjson' },
    });
    ok(res, 200);
    if (!res.body.applied) throw new Error(`import not applied: ${res.text}`);
    const list = await t.request('GET', '/v1/members?limit=100&sort=created_at&order=desc', {
      key: w.tenant.secret_key,
    });
    for (const m of list.body.data as { id: string }[]) w.live.add(m.id);
  } else if (r < 0.44) {
    const to = `inv-${Math.floor(rnd() * 1e12).toString(36)}@example.org`;
    const invite = await t.request('POST', '/v1/invites', {
      key: w.tenant.secret_key,
      body: rnd() < 0.25 ? { email: to } : { email: to, tier_id: pick(w.tiers) },
    });
    ok(invite, 201);
    const token = await t.mailToken(w.tenant.id, 'invite', to);
    const accepted = await t.request('POST', '/v1/invites/accept', {
      key: w.tenant.publishable_key,
      body: { token, password: 'joining-password-1', first_name: 'In', last_name: 'Vited' },
    });
    ok(accepted, 201);
    w.live.add(accepted.body.member.id);
    did('invite');
  } else if (r < 0.62) {
    const m = await getMember(w, pick(liveIds));
    const res = await t.request('PATCH', `/v1/members/${m.id}`, {
      key: rnd() < 0.5 ? w.tenant.secret_key : await staffKey(w),
      body: { status: pick(STATUS_NEXT[m.status]!) },
    });
    ok(res, 200);
  } else if (r < 0.74) {
    const m = await getMember(w, pick(liveIds));
    const body: Record<string, unknown> = { tier_id: tierOrNone() };
    if (rnd() < 0.3) {
      body.status = pick(STATUS_NEXT[m.status]!); // both in one change
      did('status_and_tier');
    }
    ok(await t.request('PATCH', `/v1/members/${m.id}`, { key: w.tenant.secret_key, body }), 200);
  } else if (r < 0.8) {
    const ids = [...new Set(Array.from({ length: 3 }, () => pick(liveIds)))];
    const action =
      rnd() < 0.5
        ? { action: 'change_tier', member_ids: ids, params: { tier_id: tierOrNone() } }
        : { action: 'update_status', member_ids: ids, params: { status: pick(['inactive', 'active']) }, atomic: false };
    ok(await t.request('POST', '/v1/members/bulk', { key: w.tenant.secret_key, body: action }), 200);
  } else if (r < 0.9) {
    const id = pick(liveIds);
    if (rnd() < 0.3) {
      ok(
        await t.request('POST', '/v1/members/bulk', {
          key: w.tenant.secret_key,
          body: { action: 'delete', member_ids: [id] },
        }),
        200,
      );
    } else ok(await t.request('DELETE', `/v1/members/${id}`, { key: w.tenant.secret_key }), 200, 204);
    w.live.delete(id);
    w.deleted.set(id, clock.now().getTime());
  } else if (r < 0.97) {
    const restorable = [...w.deleted].filter(([, at]) => clock.now().getTime() - at < 29 * 86_400_000);
    if (restorable.length === 0) return;
    const [id] = pick(restorable);
    const res = await t.request('POST', `/v1/members/${id}/restore`, { key: w.tenant.secret_key });
    ok(res, 200, 409);
    if (res.status === 200) {
      did('restore');
      w.deleted.delete(id);
      w.live.add(id);
    }
  } else {
    // Erasure of a member deleted before (an inactive or suspended one, so erasure changes no status).
    const candidates = [...w.deleted.keys()];
    if (candidates.length === 0) return;
    const id = pick(candidates);
    const m = await getMember(w, id);
    if (m.status !== 'inactive' && m.status !== 'suspended') return;
    ok(await t.request('POST', `/v1/members/${id}/erase`, { key: w.tenant.secret_key }), 204);
    did('erase');
    w.deleted.delete(id);
    w.erased.add(id);
  }
}

/** A time in `[from, to)`: half of them within minutes of local midnight. */
function timeIn(w: World, rnd: () => number, from: number, to: number): number {
  const x = from + Math.floor(rnd() * (to - from));
  if (rnd() < 0.5) return x;
  const day = new Date(x);
  day.setUTCHours(w.midnightHours[Math.floor(rnd() * w.midnightHours.length)]!, 0, 0, 0);
  const near = day.getTime() + Math.floor((rnd() - 0.5) * 20 * 60_000);
  return Math.min(Math.max(near, from), to - 1);
}

async function activityOf(w: World, rnd: () => number, from: number, to: number): Promise<void> {
  const ids = [...w.live];
  const events: { id?: string; type: string; member_id: string; occurred_at: string }[] = [];
  const created = new Map(
    (
      await t.db.withTenant(w.tenant.id, (tx) =>
        tx.select({ id: members.id, createdAt: members.createdAt }).from(members),
      )
    ).map((m) => [m.id, m.createdAt.getTime()]),
  );
  for (const id of ids) {
    if (rnd() < 0.3) continue;
    const since = Math.max(from, (created.get(id) ?? from) + 1);
    if (since >= to) continue;
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      const at = new Date(timeIn(w, rnd, since, to)).toISOString();
      const type = ['page.viewed', 'event.attended', 'course.completed', 'x.quiz_passed'][Math.floor(rnd() * 4)]!;
      const clientId = rnd() < 0.5 ? `c-${id}-${at}-${i}` : undefined;
      events.push({ ...(clientId ? { id: clientId } : {}), type, member_id: id, occurred_at: at });
      if (clientId && rnd() < 0.2) events.push({ id: clientId, type, member_id: id, occurred_at: at }); // duplicate
    }
  }
  for (let i = 0; i < events.length; i += 500) {
    const result = await ingestActivity(t.deps, w.tenant.id, events.slice(i, i + 500), {
      source: 'api',
      backfill: true,
    });
    if (result.rejected > 0) throw new Error(`rejected: ${JSON.stringify(result.items.filter((x) => x.error))}`);
  }
}

async function makeWorld(zone: string, midnightHours: number[]): Promise<World> {
  const tenant = await t.createTenant();
  ok(await t.request('PATCH', '/v1/tenant', { key: tenant.secret_key, body: { time_zone: zone } }), 200);
  const tiers: string[] = [];
  for (const name of ['Bronze', 'Silver', 'Gold']) {
    const res = await t.request('POST', '/v1/tiers', {
      key: tenant.secret_key,
      body: { name, interval: 'free', price: { amount: 0 } },
    });
    ok(res, 201);
    tiers.push(res.body.id);
  }
  return {
    tenant,
    zone,
    tiers,
    midnightHours,
    staffToken: null,
    live: new Set(),
    deleted: new Map(),
    erased: new Set(),
    done: {},
  };
}

// ---------------------------------------------------------------- brute force

interface State {
  tier: string;
  status: string;
  deleted: boolean;
}

interface Truth {
  zone: string;
  /** Per member: creation (local date, join tier, source) and each state change with its local date. */
  members: {
    id: string;
    source: string;
    createdDay: string;
    joinTier: string;
    changes: { day: string; before: State | null; after: State }[];
  }[];
  /** Local dates on which each member had activity. */
  activity: Map<string, Set<string>>;
}

async function truthOf(w: World): Promise<Truth> {
  const { memberRows, eventRows, activityRows } = await t.db.withTenant(w.tenant.id, async (tx) => ({
    memberRows: await tx.select().from(members),
    eventRows: await tx.select().from(memberEvents),
    activityRows: await tx
      .select({ memberId: activityEvents.memberId, occurredAt: activityEvents.occurredAt })
      .from(activityEvents),
  }));
  const rank: Record<string, number> = {
    created: 0,
    imported: 0,
    status_changed: 1,
    tier_changed: 2,
    deleted: 3,
    restored: 3,
  };
  const out: Truth = { zone: w.zone, members: [], activity: new Map() };
  for (const m of memberRows) {
    const events = eventRows
      .filter((e) => e.memberId === m.id && e.type in rank)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || rank[a.type]! - rank[b.type]!);
    let state: State | null = null;
    const changes: Truth['members'][number]['changes'] = [];
    for (const e of events) {
      const before: State | null = state ? { ...state } : null;
      if (e.type === 'created' || e.type === 'imported')
        state = { tier: m.joinTierId ?? '', status: e.toValue!, deleted: false };
      else if (!state) throw new Error(`event before creation: ${e.type}`);
      else if (e.type === 'status_changed') state = { ...(state as State), status: e.toValue! };
      else if (e.type === 'tier_changed') state = { ...(state as State), tier: e.toValue ?? '' };
      else if (e.type === 'deleted') state = { ...(state as State), deleted: true };
      else if (e.type === 'restored') state = { ...(state as State), deleted: false };
      changes.push({ day: localDate(e.occurredAt, w.zone), before, after: { ...state! } });
    }
    // The events tell the whole story: replayed, they give the member as stored.
    expect({ id: m.id, ...state }).toEqual({
      id: m.id,
      tier: m.tierId ?? '',
      status: m.status,
      deleted: m.deletedAt !== null,
    });
    expect(changes[0]?.day).toBe(localDate(m.createdAt, w.zone));
    out.members.push({
      id: m.id,
      source: m.source,
      createdDay: localDate(m.createdAt, w.zone),
      joinTier: m.joinTierId ?? '',
      changes,
    });
  }
  for (const a of activityRows) {
    let days = out.activity.get(a.memberId);
    if (!days) {
      days = new Set();
      out.activity.set(a.memberId, days);
    }
    days.add(localDate(a.occurredAt, w.zone));
  }
  return out;
}

const LIVE = new Set(['pending', 'active']);
type Flow = { new: number; churned: number; reactivated: number; net: number; members: Record<string, number> };

/** Growth figures over `[start, end]` for members matching `of` (tier at the time, or source). */
function flowOf(
  truth: Truth,
  start: string,
  end: string,
  of: (m: Truth['members'][number], s: State) => boolean,
): Flow {
  const f: Flow = {
    new: 0,
    churned: 0,
    reactivated: 0,
    net: 0,
    members: { pending: 0, active: 0, inactive: 0, suspended: 0, total: 0 },
  };
  for (const m of truth.members) {
    let state: State | null = null;
    for (const c of m.changes) {
      if (c.day > end) break;
      state = c.after;
      if (c.day < start) continue;
      const b = c.before;
      // Counted under the state (tier) the member was in when it happened.
      const at = b ?? c.after;
      if (!b) {
        if (of(m, c.after)) f.new++;
      } else if (!b.deleted && c.after.deleted) {
        if (LIVE.has(b.status) && of(m, at)) f.churned++;
      } else if (b.deleted && !c.after.deleted) {
        if (LIVE.has(c.after.status) && of(m, at)) f.reactivated++;
      } else if (!b.deleted && b.status !== c.after.status) {
        if (LIVE.has(b.status) && !LIVE.has(c.after.status) && of(m, at)) f.churned++;
        if (!LIVE.has(b.status) && LIVE.has(c.after.status) && of(m, at)) f.reactivated++;
      }
    }
    if (state && !state.deleted && of(m, state)) {
      f.members[state.status]!++;
      f.members.total!++;
    }
  }
  f.net = f.new - f.churned + f.reactivated;
  return f;
}

const nonZero = (f: Flow) => f.new !== 0 || f.churned !== 0 || f.reactivated !== 0 || f.members.total !== 0;

function expectedGrowth(truth: Truth, from: string, to: string, interval: Interval) {
  const rows: Record<string, Flow> = {};
  const tiers = new Set(truth.members.flatMap((m) => m.changes.map((c) => c.after.tier)));
  const sources = ['signup', 'invite', 'import', 'staff', 'api', 'oidc'];
  for (let p = startOf(from, interval); p <= to; p = after(p, interval)) {
    const start = p < from ? from : p;
    const last = plusDays(after(p, interval), -1);
    const end = last > to ? to : last;
    rows[`${p} ${start} ${end}`] = flowOf(truth, start, end, () => true);
    for (const tier of tiers) {
      const f = flowOf(truth, start, end, (_, s) => s.tier === tier);
      if (nonZero(f)) rows[`${p} tier ${tier}`] = f;
    }
    for (const source of sources) {
      const f = flowOf(truth, start, end, (m) => m.source === source);
      if (nonZero(f)) rows[`${p} source ${source}`] = f;
    }
  }
  return rows;
}

// biome-ignore lint/suspicious/noExplicitAny: the answer's shape is what is asserted
function actualGrowth(body: any) {
  const rows: Record<string, Flow> = {};
  const strip = ({ new: n, churned, reactivated, net, members }: Flow) => ({
    new: n,
    churned,
    reactivated,
    net,
    members,
  });
  for (const b of body.series) {
    rows[`${b.period} ${b.start} ${b.end}`] = strip(b);
    for (const x of b.by_tier) if (nonZero(x)) rows[`${b.period} tier ${x.tier_id ?? ''}`] = strip(x);
    for (const x of b.by_source) if (nonZero(x)) rows[`${b.period} source ${x.source}`] = strip(x);
  }
  return rows;
}

function expectedRetention(truth: Truth, grain: 'week' | 'month', periods: number, today: string, tier?: string) {
  const current = startOf(today, grain);
  const starts = [current];
  for (let i = 1; i < periods; i++) starts.unshift(startOf(plusDays(starts[0]!, -1), grain));
  const cohorts = starts.map((cohort, index) => {
    const joined = truth.members.filter(
      (m) => startOf(m.createdDay, grain) === cohort && (tier === undefined || m.joinTier === tier),
    );
    const retention = [];
    let period = cohort;
    for (let offset = 0; offset < periods - index; offset++) {
      const p = period;
      const retained = joined.filter((m) =>
        [...(truth.activity.get(m.id) ?? [])].some((d) => startOf(d, grain) === p),
      ).length;
      retention.push({
        offset,
        period: p,
        retained,
        share: joined.length === 0 ? 0 : Math.round((retained / joined.length) * 10_000) / 10_000,
      });
      period = after(period, grain);
    }
    return { cohort, size: joined.length, retention };
  });
  const churn = starts.map((period) => {
    const end = plusDays(after(period, grain), -1);
    const f = flowOf(truth, period, end, (_, s) => tier === undefined || s.tier === tier);
    const before = flowOf(truth, '0000-01-01', plusDays(period, -1), (_, s) => tier === undefined || s.tier === tier);
    const atStart = before.members.pending! + before.members.active!;
    return {
      period,
      churned: f.churned,
      members_at_start: atStart,
      rate: atStart === 0 ? 0 : Math.round((f.churned / atStart) * 10_000) / 10_000,
    };
  });
  return { cohorts, churn };
}

// ---------------------------------------------------------------- the scenario

const MONTHS = 14;
const worlds: World[] = [];
const truths = new Map<string, Truth>();

describe('growth and retention against brute force', () => {
  beforeAll(async () => {
    worlds.push(await makeWorld('Pacific/Auckland', [10, 11, 12]));
    worlds.push(await makeWorld('America/Los_Angeles', [7, 8]));
    for (const [index, w] of worlds.entries()) {
      const rnd = prng(1234 + index);
      let monthStart = START;
      for (let month = 0; month < MONTHS; month++) {
        const d = new Date(monthStart);
        const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 3, 0);
        const times = Array.from({ length: 9 }, () => timeIn(w, rnd, monthStart, monthEnd)).sort((a, b) => a - b);
        for (const time of times) {
          clock.set(new Date(Math.max(time, clock.now().getTime() + 1000)));
          await act(w, rnd);
        }
        clock.set(new Date(Math.max(monthEnd, clock.now().getTime() + 1000)));
        await activityOf(w, rnd, monthStart, monthEnd);
        monthStart = monthEnd;
      }
    }
    await drainActivityRollups(t.deps);
    for (const w of worlds) truths.set(w.tenant.id, await truthOf(w));
  }, 600_000);

  it('stores each member with its source and join tier', async () => {
    const done = (what: string) => worlds.reduce((n, w) => n + (w.done[what] ?? 0), 0);
    for (const what of ['import_update', 'restore', 'erase', 'status_and_tier', 'invite'])
      expect(done(what), what).toBeGreaterThan(0);
    for (const w of worlds) {
      const rows = await t.db.withTenant(w.tenant.id, (tx) => tx.select().from(members));
      const sources = new Set(rows.map((r) => r.source));
      for (const s of ['signup', 'staff', 'api', 'import']) expect(sources).toContain(s);
    }
  });

  it('answers growth per month, week and day exactly as the member events say', async () => {
    for (const w of worlds) {
      const truth = truths.get(w.tenant.id)!;
      const today = localDate(clock.now(), w.zone);
      const first = localDate(new Date(START), w.zone);
      const windows: [string, string, Interval][] = [
        [first, today, 'month'],
        [plusDays(first, 40), plusDays(today, -20), 'week'],
        [plusDays(today, -75), plusDays(today, -3), 'day'],
        [plusDays(first, 100), plusDays(first, 100), 'month'],
      ];
      for (const [from, to, interval] of windows) {
        const res = await t.request('GET', `/v1/analytics/growth?from=${from}&to=${to}&interval=${interval}`, {
          key: w.tenant.secret_key,
        });
        expect(res.status, res.text).toBe(200);
        expect(res.body).toMatchObject({ object: 'growth', from, to, interval, time_zone: w.zone });
        expect(actualGrowth(res.body)).toEqual(expectedGrowth(truth, from, to, interval));
        const whole = flowOf(truth, from, to, () => true);
        expect(res.body.summary).toEqual(whole);
        const before = flowOf(truth, '0000-01-01', plusDays(from, -1), () => true);
        expect(res.body.members_at_start).toEqual(before.members);
      }
    }
  });

  it('answers retention by week and month, for all and per join tier, exactly as the raw events say', async () => {
    for (const w of worlds) {
      const truth = truths.get(w.tenant.id)!;
      const today = localDate(clock.now(), w.zone);
      const cases: [string, 'week' | 'month', number, string | undefined][] = [
        ['cohort=month&periods=15', 'month', 15, undefined],
        ['cohort=week&periods=20', 'week', 20, undefined],
        [`cohort=month&periods=12&tier_id=${w.tiers[1]}`, 'month', 12, w.tiers[1]],
        ['cohort=month&periods=3&tier_id=none', 'month', 3, ''],
      ];
      for (const [query, grain, periods, tier] of cases) {
        const res = await t.request('GET', `/v1/analytics/retention?${query}`, { key: w.tenant.secret_key });
        expect(res.status, res.text).toBe(200);
        const expected = expectedRetention(truth, grain, periods, today, tier);
        expect(res.body.cohorts).toEqual(expected.cohorts);
        expect(res.body.churn).toEqual(expected.churn);
        expect(res.body.current_period).toBe(startOf(today, grain));
        expect(res.body.cohorts.some((c: { size: number }) => c.size > 0)).toBe(true);
      }
    }
  });

  it('keeps the growth rollup equal to the members it counts', async () => {
    for (const w of worlds) {
      const { rollup, rows } = await t.db.withTenant(w.tenant.id, async (tx) => ({
        rollup: await tx.select().from(membershipDaily),
        rows: await tx.select().from(members),
      }));
      const sum = (f: (r: (typeof rollup)[number]) => number) => rollup.reduce((n, r) => n + f(r), 0);
      const count = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
      expect(sum((r) => r.joined)).toBe(rows.length);
      for (const s of ['pending', 'active', 'inactive', 'suspended'] as const)
        expect(sum((r) => r[s])).toBe(count((m) => m.deletedAt === null && m.status === s));
      expect(sum((r) => r.deleted)).toBe(count((m) => m.deletedAt !== null));
    }
  });
});

describe('labels and defaults', () => {
  it('labels sources and statuses in the request locale and defaults to 12 months', async () => {
    const w = worlds[0]!;
    const res = await t.request('GET', '/v1/analytics/growth', {
      key: w.tenant.secret_key,
      headers: { 'Accept-Language': 'de-DE, en;q=0.5' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.interval).toBe('month');
    expect(res.body.series).toHaveLength(12);
    expect(res.body.to).toBe(localDate(clock.now(), w.zone));
    expect(res.body.series[0].by_source.map((s: { source: string; label: string }) => [s.source, s.label])).toEqual([
      ['signup', 'Registrierung'],
      ['invite', 'Einladung'],
      ['import', 'Import'],
      ['staff', 'Vom Team angelegt'],
      ['api', 'API'],
      ['oidc', 'Single Sign-on'],
    ]);
    expect(res.body.statuses[1]).toEqual({ status: 'active', label: 'Aktiv' });
    const en = await t.request('GET', '/v1/analytics/retention', { key: w.tenant.secret_key });
    expect(en.status, en.text).toBe(200);
    expect(en.body).toMatchObject({ cohort: 'month', periods: 12, tier_id: null });
    expect(en.body.cohorts).toHaveLength(12);
  });
});

describe('bad input', () => {
  it('answers 422 problems naming the parameter', async () => {
    const tenant = await t.createTenant();
    const get = (path: string) => t.request('GET', path, { key: tenant.secret_key });
    const cases: [string, string, string][] = [
      ['/v1/analytics/growth?from=2026-03-01&to=2026-02-01', 'ANALYTICS_INVALID_RANGE', 'query.from'],
      ['/v1/analytics/growth?from=2020-01-01&to=2026-01-01', 'ANALYTICS_RANGE_TOO_LONG', 'query.to'],
      ['/v1/analytics/growth?from=2026-02-30&to=2026-03-01', 'VALIDATION_FAILED', 'query.from'],
      ['/v1/analytics/growth?to=yesterday', 'VALIDATION_FAILED', 'query.to'],
      ['/v1/analytics/growth?interval=year', 'VALIDATION_FAILED', 'query.interval'],
      ['/v1/analytics/retention?periods=0', 'VALIDATION_FAILED', 'query.periods'],
      ['/v1/analytics/retention?periods=37', 'VALIDATION_FAILED', 'query.periods'],
      ['/v1/analytics/retention?periods=2.5', 'VALIDATION_FAILED', 'query.periods'],
      ['/v1/analytics/retention?cohort=day', 'VALIDATION_FAILED', 'query.cohort'],
      ['/v1/analytics/retention?tier_id=gold', 'VALIDATION_FAILED', 'query.tier_id'],
    ];
    for (const [path, code, field] of cases) {
      const problem = expectProblem(await get(path), 422, code);
      expect(
        problem.errors?.map((e) => e.field),
        path,
      ).toContain(field);
    }
    // Three years exactly is fine, one day more is not.
    expect((await get('/v1/analytics/growth?from=2023-01-01&to=2025-12-31&interval=month')).status).toBe(200);
    expectProblem(await get('/v1/analytics/growth?from=2023-01-01&to=2026-01-01'), 422, 'ANALYTICS_RANGE_TOO_LONG');
    expectProblem(await get('/v1/analytics/growth?bucket=day'), 400, 'UNKNOWN_QUERY_PARAMETER');
  });

  it('needs analytics:read', async () => {
    const tenant = await t.createTenant();
    expectProblem(await t.request('GET', '/v1/analytics/growth'), 401);
    expectProblem(await t.request('GET', '/v1/analytics/retention', { key: tenant.publishable_key }), 403);
  });
});
