import { Resource, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, QueryOf, ResponseOf, Schema } from '../core/types.js';

/** One event as {@link ActivityResource.record} takes it. */
export type ActivityEventInput = Schema<'ActivityEventInput'>;
/** Per-event results of {@link ActivityResource.record}: accepted, duplicate or rejected with the reason. */
export type ActivityIngestResult = ResponseOf<'createActivity'>;
/** One recorded activity event, as the timelines list them. */
export type ActivityEvent = Schema<'ActivityEvent'>;
/** One page of a timeline. */
export type ActivityEventList = Schema<'ActivityEventList'>;
/** Event types with their counts over a range of days. */
export type ActivityTypeList = Schema<'ActivityTypeList'>;
/** Range of {@link ActivityResource.types}: local days of the tenant, both included. */
export type ListActivityTypesParams = QueryOf<'listActivityTypes'>;

/** Options of {@link ActivityResource.record}, besides the call options. */
export interface RecordActivityOptions extends CallOptions {
  /** One invalid event fails the whole batch (422 `ACTIVITY_BATCH_REJECTED`) and nothing is written. Default false. */
  atomic?: boolean | undefined;
}

/** A random event id (`A–Z a–z 0–9 _ . : -`, as the API takes them). */
function randomEventId(): string {
  const c = globalThis.crypto;
  // randomUUID exists only in secure contexts in browsers; getRandomValues everywhere.
  const random =
    typeof c.randomUUID === 'function'
      ? c.randomUUID().replaceAll('-', '')
      : Array.from(c.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `sdk_${random}`;
}

function isEventList(
  events: ActivityEventInput | readonly ActivityEventInput[],
): events is readonly ActivityEventInput[] {
  return Array.isArray(events);
}

/**
 * `mk.activity`: what members do, for the timelines and analytics. Secret keys record
 * events of any member; a member's access token (or a signed-in session) records the
 * member's own.
 */
export class ActivityResource extends Resource {
  /**
   * Records one event or a batch of up to 1,000 (`POST /v1/activity`). Each event
   * without an `id` gets a random one before the first attempt, so the SDK's retries
   * (after a timeout, a 5xx, a lost connection) count it once: the API reports a
   * repeat as `duplicate`. To retry a call of your own safely, give events your own
   * `id`s. Invalid events are rejected one by one (see `items`) unless `atomic` is set.
   *
   * @example
   * await mk.activity.record({ type: 'event.attended', member_id: 'mem_…', properties: { event: 'agm-2026' } });
   * const result = await mk.activity.record(events, { atomic: true });
   */
  record(
    events: ActivityEventInput | readonly ActivityEventInput[],
    options: RecordActivityOptions = {},
  ): Promise<ActivityIngestResult> {
    const { atomic, ...callOptions } = options;
    const list: readonly ActivityEventInput[] = isEventList(events) ? events : [events];
    // Copies: the caller's objects are left as they were.
    const withIds = list.map((event) => (event.id === undefined ? { ...event, id: randomEventId() } : event));
    const body: BodyOf<'createActivity'> = { events: withIds, ...(atomic === undefined ? {} : { atomic }) };
    // `member`: a signed-in session's token when there is one, else the client's own credential.
    return this.call({ method: 'POST', path: '/v1/activity', body, auth: 'member' }, callOptions);
  }

  /**
   * The event types recorded over a range of local days, with their events and distinct
   * members, most frequent first (`GET /v1/activity/types`; the last 30 days by default).
   *
   * @example
   * const { data } = await mk.activity.types({ from: '2026-11-01', to: '2026-11-30' });
   */
  types(params?: ListActivityTypesParams, options?: CallOptions): Promise<ActivityTypeList> {
    return this.call({ method: 'GET', path: '/v1/activity/types', query: toQuery(params) }, options);
  }
}
