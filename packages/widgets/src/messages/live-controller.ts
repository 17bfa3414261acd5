import type { Memberkit, RealtimeEvent, RealtimeSubscription, RealtimeTopic } from '@memberkit/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a {@link LiveController} calls on its element. */
export interface LiveHandlers {
  /** An event of one of the topics. */
  event(event: RealtimeEvent): void;
  /**
   * The API could not resume the stream (events may have been missed): whatever the
   * element shows must be loaded again.
   */
  resync(): void;
  /**
   * A fresh stream opened (the first one, or one that could not resume): events from
   * before it were not delivered, so what the element loaded before may already be out
   * of date. Elements that load in parallel with opening the stream reload here.
   */
  opened?(): void;
}

/**
 * Keeps one real-time subscription (`mk.realtime.subscribe`) open for an element while
 * it is connected and has a client and a signed-in member: `sync(client, topics)` after
 * each update opens, changes or closes it (a change of topics or client resubscribes;
 * the SDK resumes from the last event id across reconnects).
 */
export class LiveController implements ReactiveController {
  readonly #handlers: LiveHandlers;
  #subscription: RealtimeSubscription | undefined;
  #key = '';
  #connected = false;
  #client: Memberkit | undefined;
  #topics: RealtimeTopic[] = [];
  #member = '';

  constructor(host: ReactiveControllerHost, handlers: LiveHandlers) {
    this.#handlers = handlers;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#apply();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#close();
  }

  /**
   * Subscribes `client` to `topics` for the member `memberId` (no member or no topics:
   * closes). Cheap when nothing changed; another member resubscribes.
   */
  sync(client: Memberkit | undefined, memberId: string | null | undefined, topics: readonly RealtimeTopic[]): void {
    this.#client = client;
    this.#member = memberId ?? '';
    this.#topics = memberId ? [...topics].sort() : [];
    this.#apply();
  }

  #apply(): void {
    const client = this.#client;
    const wanted = this.#connected && client && this.#topics.length > 0;
    const key = wanted ? `${this.#member} ${this.#topics.join(',')}` : '';
    if (key === this.#key && (this.#subscription || !wanted)) return;
    this.#close();
    if (!wanted || !client) return;
    this.#key = key;
    // A fresh stream (the subscription's first, or the one after a resync) starts now: what
    // happened between the element's load and this moment came before it. Later streams
    // resume where the last one stopped (the SDK sends Last-Event-ID) and miss nothing.
    let fresh = true;
    this.#subscription = client.realtime.subscribe(this.#topics, (event) => this.#handlers.event(event), {
      onResync: () => {
        fresh = true;
        this.#handlers.resync();
      },
      onReady: (ready) => {
        if (!fresh && ready.last_event_id !== null) return;
        fresh = false;
        this.#handlers.opened?.();
      },
      // Stopped for good (a topic refused, the session ended): the element keeps what it shows.
      onError: () => undefined,
    });
    // Its first open may fail (the API restarting): it retries by itself; nobody awaits `ready`.
    this.#subscription.ready.catch(() => undefined);
  }

  #close(): void {
    this.#subscription?.close();
    this.#subscription = undefined;
    this.#key = '';
  }
}
