import { AuthenticationError, MemberkitError } from '../errors.js';
import type { RealtimeEvent, RealtimeTopic } from './events.js';
import { SseParser } from './sse.js';

/** Where a subscription is: connecting the first time, open, waiting to reconnect, or closed for good. */
export type RealtimeStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What the stream's first frame (`event: ready`) says. */
export interface RealtimeReady {
  /** The topics as the API resolved them (`me` becomes `member.mem_…`). */
  topics: string[];
  /** The position the stream resumed after, or null for a fresh stream. */
  last_event_id: string | null;
}

/**
 * Why the API could not resume: `overflow` (the client fell too far behind), `pruned` (older than
 * the log keeps), `epoch_changed` (the log was reset), `unknown_event_id`.
 */
export interface RealtimeResync {
  reason: string;
}

/** Options of `mk.realtime.subscribe`. */
export interface SubscribeOptions {
  /** Resume after this event id (e.g. one you stored); the API replays what came after it. */
  lastEventId?: string | undefined;
  /** Called each time a stream is open (also after every reconnect). */
  onReady?: ((ready: RealtimeReady) => void) | undefined;
  /**
   * Called when the API could not resume and events may have been missed: refetch what you
   * show (lists, counts). The subscription then reconnects fresh by itself.
   */
  onResync?: ((resync: RealtimeResync) => void) | undefined;
  /**
   * Called with the typed error when the subscription stops for good: 401 (credential or
   * ticket refused; `CREDENTIAL_REVOKED` when the API closed the stream because the session
   * or key was revoked), 403 (`TOPIC_NOT_ALLOWED`, `ORIGIN_MISMATCH`, a publishable key),
   * 400 (`INVALID_TOPIC`).
   */
  onError?: ((error: MemberkitError) => void) | undefined;
  /** Called when the status changes. */
  onStatus?: ((status: RealtimeStatus) => void) | undefined;
  /** A stream silent this long (no event, no heartbeat) is taken as dead and reopened. Default 45,000 ms (3 heartbeats). */
  heartbeatTimeout?: number | undefined;
  /** Reconnect delays: exponential from `initialDelay` (default 1,000 ms) to `maxDelay` (default 30,000 ms), with jitter. */
  retry?: { initialDelay?: number | undefined; maxDelay?: number | undefined } | undefined;
  /** Closes the subscription when aborted. */
  signal?: AbortSignal | undefined;
}

/** A live subscription: reconnects and resumes by itself until `close()`. */
export interface RealtimeSubscription {
  /** Resolves when the first stream is open; rejects when the subscription stops before that (the error, or an `AbortError` on close). */
  readonly ready: Promise<void>;
  /** The id of the last logged event received (pass it as `lastEventId` to resume later). */
  readonly lastEventId: string | undefined;
  /** Where the subscription is. */
  readonly status: RealtimeStatus;
  /** Stops for good: closes the stream, cancels any reconnect. */
  close(): void;
}

/** Receives every event of a subscription. */
export type RealtimeHandler = (event: RealtimeEvent) => void;

/** How a subscription gets tickets and opens streams; the client supplies it (tests may too). */
export interface RealtimeConnector {
  /** A fresh single-use stream ticket. */
  ticket(signal: AbortSignal): Promise<string>;
  /** Opens `GET /v1/realtime`; resolves with the successful response, or throws a {@link MemberkitError}. */
  open(
    ticket: string,
    topics: readonly string[],
    lastEventId: string | undefined,
    signal: AbortSignal,
  ): Promise<Response>;
}

const DEFAULT_HEARTBEAT_TIMEOUT_MS = 45_000;
const DEFAULT_INITIAL_DELAY_MS = 1000;
const DEFAULT_MAX_DELAY_MS = 30_000;

type EndReason = 'eof' | 'resync' | 'timeout' | 'closed';

/** `<epoch>-<seq>` → its parts, or undefined when it is not one. */
function parseEventId(id: string): { epoch: string; seq: number } | undefined {
  const dash = id.lastIndexOf('-');
  if (dash <= 0) return undefined;
  const seq = Number(id.slice(dash + 1));
  return Number.isSafeInteger(seq) ? { epoch: id.slice(0, dash), seq } : undefined;
}

function reportHandlerError(error: unknown): void {
  // A throwing handler must not end the stream; surface the error the way the platform does.
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}

/**
 * One subscription to the real-time stream: gets a ticket, opens `GET /v1/realtime`,
 * parses the event stream, and on a drop reconnects with backoff and jitter, a new
 * ticket and `Last-Event-ID`, so no logged event is lost or doubled.
 */
export class LiveSubscription implements RealtimeSubscription {
  readonly ready: Promise<void>;
  readonly #topics: readonly string[];
  readonly #handler: RealtimeHandler;
  readonly #options: SubscribeOptions;
  readonly #connector: RealtimeConnector;
  #lastEventId: string | undefined;
  #status: RealtimeStatus = 'connecting';
  #closed = false;
  #everReady = false;
  #resolveReady!: () => void;
  #rejectReady!: (error: unknown) => void;
  #connection: AbortController | undefined;
  #wake: (() => void) | undefined;
  readonly #onOnline = () => this.#wake?.();
  readonly #onAbort = () => this.close();

  /** Made by `mk.realtime.subscribe`; starts connecting at once. */
  constructor(
    connector: RealtimeConnector,
    topics: readonly RealtimeTopic[],
    handler: RealtimeHandler,
    options: SubscribeOptions = {},
  ) {
    if (topics.length === 0) throw new TypeError('realtime.subscribe: give at least one topic.');
    this.#connector = connector;
    this.#topics = [...new Set(topics)];
    this.#handler = handler;
    this.#options = options;
    this.#lastEventId = options.lastEventId;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // Nobody may await `ready`: a rejection then must not be reported as unhandled.
    this.ready.catch(() => undefined);
    if (options.signal?.aborted) {
      this.close();
      return;
    }
    options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    // Back online (browsers): reconnect now instead of at the end of the backoff.
    globalThis.addEventListener?.('online', this.#onOnline);
    void this.#run();
  }

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  get status(): RealtimeStatus {
    return this.#status;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#connection?.abort();
    this.#wake?.();
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    globalThis.removeEventListener?.('online', this.#onOnline);
    if (!this.#everReady) this.#rejectReady(new DOMException('The subscription was closed.', 'AbortError'));
    this.#setStatus('closed');
  }

  #setStatus(status: RealtimeStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#options.onStatus?.(status);
  }

  #fail(error: MemberkitError): void {
    if (this.#closed) return;
    if (!this.#everReady) this.#rejectReady(error);
    this.#options.onError?.(error);
    this.close();
  }

  #delay(attempt: number): number {
    const initial = this.#options.retry?.initialDelay ?? DEFAULT_INITIAL_DELAY_MS;
    const max = this.#options.retry?.maxDelay ?? DEFAULT_MAX_DELAY_MS;
    const base = Math.min(initial * 2 ** attempt, max);
    // Jitter: clients dropped by one server restart must not all come back in the same millisecond.
    return base * (0.5 + Math.random() * 0.5);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    let attempt = 0;
    let refusedTickets = 0;
    while (!this.#closed) {
      const connection = new AbortController();
      this.#connection = connection;
      let reason: EndReason = 'eof';
      let phase: 'ticket' | 'stream' = 'ticket';
      try {
        const ticket = await this.#connector.ticket(connection.signal);
        if (this.#closed) return;
        phase = 'stream';
        const response = await this.#connector.open(ticket, this.#topics, this.#lastEventId, connection.signal);
        refusedTickets = 0;
        if (!response.body) throw new TypeError('The real-time response has no body.');
        reason = await this.#read(response.body, connection, () => {
          attempt = 0;
        });
      } catch (error) {
        if (this.#closed) return;
        if (error instanceof MemberkitError) {
          const transient = error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
          // A ticket can expire between getting and using it (a sleeping laptop): one fresh ticket, then give up.
          const ticketRefused = phase === 'stream' && error.status === 401 && refusedTickets++ === 0;
          if (!transient && !ticketRefused) {
            this.#fail(error);
            return;
          }
        }
        // Anything else (a dropped connection mid-body, a proxy's answer) is transient.
      } finally {
        connection.abort();
      }
      if (this.#closed) return;
      this.#setStatus(this.#everReady ? 'reconnecting' : 'connecting');
      if (reason === 'resync') continue;
      await this.#sleep(this.#delay(attempt++));
    }
  }

  /** Reads one stream until it ends; `onOpen` runs at its `ready` frame. */
  async #read(body: ReadableStream<Uint8Array>, connection: AbortController, onOpen: () => void): Promise<EndReason> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    const timeoutMs = this.#options.heartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        reader.cancel().catch(() => undefined);
      }, timeoutMs);
    };
    const onAbort = () => reader.cancel().catch(() => undefined);
    connection.signal.addEventListener('abort', onAbort, { once: true });
    let buffer = '';
    try {
      arm();
      for (;;) {
        const { done, value } = await reader.read();
        if (this.#closed) return 'closed';
        if (timedOut) return 'timeout';
        if (done) return 'eof';
        arm();
        buffer += decoder.decode(value, { stream: true });
        for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
          let line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          const parsed = parser.push(line);
          if (parsed.kind !== 'frame') continue;
          const { frame } = parsed;
          if (frame.event === 'ready') {
            const ready = this.#parse<RealtimeReady>(frame.data) ?? { topics: [], last_event_id: null };
            // Where this stream starts: a drop before the first event still resumes from here.
            const start = frame.id || ready.last_event_id;
            if (start) this.#lastEventId = start;
            onOpen();
            this.#everReady = true;
            this.#setStatus('open');
            this.#resolveReady();
            this.#options.onReady?.(ready);
          } else if (frame.event === 'resync') {
            // The position cannot be resumed: start over from now, and tell the app to refetch.
            this.#lastEventId = undefined;
            this.#options.onResync?.(this.#parse<RealtimeResync>(frame.data) ?? { reason: 'unknown' });
            return 'resync';
          } else if (frame.event === 'closed') {
            // The API ended the stream for good (the session or key was revoked): reconnecting cannot help.
            const closed = this.#parse<{ reason?: string }>(frame.data);
            this.#fail(
              new AuthenticationError({
                status: 401,
                code: (closed?.reason ?? 'stream_closed').toUpperCase(),
                title: 'Real-time stream closed',
                detail: `The API closed the stream: ${closed?.reason ?? 'no reason given'}.`,
              }),
            );
            return 'closed';
          } else {
            this.#dispatch(frame.id, frame.event, frame.data);
          }
          if (this.#closed) return 'closed';
        }
      }
    } catch (error) {
      if (this.#closed) return 'closed';
      if (timedOut) return 'timeout';
      throw error;
    } finally {
      clearTimeout(timer);
      connection.signal.removeEventListener('abort', onAbort);
      reader.cancel().catch(() => undefined);
    }
  }

  #parse<T>(data: string): T | undefined {
    try {
      return JSON.parse(data) as T;
    } catch {
      return undefined;
    }
  }

  #dispatch(frameId: string | undefined, frameEvent: string, data: string): void {
    const payload = this.#parse<Partial<RealtimeEvent> & { data?: unknown }>(data);
    if (!payload || typeof payload !== 'object') return;
    const id = frameId || payload.id || undefined;
    if (id !== undefined) {
      // A replay that overlaps what was already delivered must not deliver it twice.
      const next = parseEventId(id);
      const last = this.#lastEventId === undefined ? undefined : parseEventId(this.#lastEventId);
      if (next && last && next.epoch === last.epoch && next.seq <= last.seq) return;
      this.#lastEventId = id;
    }
    const event = {
      id,
      type: payload.type ?? frameEvent,
      topic: payload.topic ?? '',
      created_at: payload.created_at ?? '',
      data: payload.data,
    } as RealtimeEvent;
    try {
      this.#handler(event);
    } catch (error) {
      reportHandlerError(error);
    }
  }
}
