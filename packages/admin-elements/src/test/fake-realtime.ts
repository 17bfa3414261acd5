/**
 * A stand-in for the real-time stream in the admin elements' browser tests: the
 * elements subscribe through it as through `mk.realtime`, and a test delivers events
 * (usually the API's own answer to a change the test made, as the stream would carry it).
 */
import type { LiveStatus, RealtimeEvent, RealtimeSource, Unsubscribe } from '../table/realtime.js';

interface Sub {
  topics: readonly string[];
  handler: (event: RealtimeEvent) => void;
}

/** A {@link RealtimeSource} whose events the test sends with {@link FakeRealtime.emit}. */
export class FakeRealtime implements RealtimeSource {
  readonly subs = new Set<Sub>();
  #seq = 0;

  subscribe(
    topics: readonly string[],
    handler: (event: RealtimeEvent) => void,
    options?: { onStatus?: ((status: LiveStatus) => void) | undefined },
  ): Unsubscribe {
    const sub = { topics: [...topics], handler };
    this.subs.add(sub);
    options?.onStatus?.('open');
    return () => this.subs.delete(sub);
  }

  /** Topics someone is subscribed to now. */
  get topics(): string[] {
    return [...new Set([...this.subs].flatMap((s) => s.topics))];
  }

  /** Delivers an event to every subscriber of its topic. */
  emit(topic: string, type: string, data: unknown): void {
    this.#seq += 1;
    const event: RealtimeEvent = { id: `1-${this.#seq}`, type, topic, created_at: new Date().toISOString(), data };
    for (const sub of [...this.subs]) if (sub.topics.includes(topic) || type === 'resync') sub.handler(event);
  }
}
