import type { ListPromise } from '../core/pagination.js';
import { Resource, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';

/** Online or away; offline members are not listed. */
export type PresenceStatus = 'online' | 'away' | 'offline';

/** One member who is online or away. */
export interface PresenceEntry {
  member_id: string;
  name: string;
  status: PresenceStatus;
  last_seen_at: string;
}

/** One page of who is online. */
export interface PresenceList {
  object: 'list';
  data: PresenceEntry[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Query of {@link PresenceResource.list}. */
export interface ListPresenceParams {
  limit?: number | undefined;
}

/** `mk.presence`: who is online, as the tenant's presence visibility allows. */
export class PresenceResource extends Resource {
  /**
   * Members online or away (`GET /v1/presence`). Answers 403 `PRESENCE_DISABLED` when the
   * tenant turned presence off (or, for members, shows it to staff only).
   *
   * @example
   * for await (const p of mk.presence.list()) console.log(p.name, p.status);
   */
  list(params?: ListPresenceParams, options?: CallOptions): ListPromise<PresenceList> {
    return this.paginate({ path: '/v1/presence', query: toQuery(params), auth: 'member' }, options);
  }

  /**
   * Keeps the signed-in member online, or marks them away (`POST /v1/presence/heartbeat`).
   * An open real-time stream does this by itself.
   */
  heartbeat(params: { status: 'online' | 'away' }, options?: CallOptions): Promise<PresenceEntry | undefined> {
    return this.call(
      { method: 'POST', path: '/v1/presence/heartbeat', body: params, auth: 'member', idempotent: false },
      options,
    );
  }
}
