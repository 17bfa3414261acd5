import type { ListPromise } from '../core/pagination.js';
import { Resource, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';

/** One member who is online or away. */
export type PresenceEntry = Schema<'Presence'>;
/** Online, away or offline. */
export type PresenceStatus = PresenceEntry['status'];
/** One page of who is online. */
export type PresenceList = Schema<'PresenceList'>;
/** Query of {@link PresenceResource.list}. */
export type ListPresenceParams = Omit<QueryOf<'listPresence'>, 'cursor'>;
/** Body of {@link PresenceResource.heartbeat}. */
export type PresenceHeartbeatParams = BodyOf<'sendPresenceHeartbeat'>;

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
  heartbeat(params: PresenceHeartbeatParams = {}, options?: CallOptions): Promise<PresenceEntry> {
    return this.call(
      { method: 'POST', path: '/v1/presence/heartbeat', body: params, auth: 'member', idempotent: false },
      options,
    );
  }
}
