import { createHmac } from 'node:crypto';
import type { DoubleState } from './state.js';
import type { Obj } from './types.js';

/** A `fetch`-shaped function webhooks can be delivered into (e.g. `(req) => app.request(req)`). */
export type FetchLike = (request: Request) => Response | Promise<Response>;

/** One delivery attempt of one event to one endpoint, as `webhooks.sent` lists them. */
export interface Delivery {
  eventId: string;
  type: string;
  /** The connected account the event belongs to (Connect endpoints), or null. */
  account: string | null;
  endpointId: string;
  url: string;
  /** The endpoint's HTTP status, `'dropped'` (lost on purpose by `drop(n)`) or `'error'` (unreachable). */
  status: number | 'dropped' | 'error';
}

/** Delivery behaviour, see {@link WebhookSender.mode}. */
export interface DeliveryMode {
  /** How many times each event is delivered (default 1). */
  duplicate?: number;
  /** Hold deliveries and send them in random order on `flush()`. */
  shuffle?: boolean;
  /** Hold deliveries until `flush()`. */
  hold?: boolean;
}

interface Pending {
  event: Obj;
  endpointId: string;
  url: string;
  secret: string;
}

/** What an endpoint needs to receive events (kept beside the endpoint object: the secret is never listed). */
export interface EndpointSecret {
  secret: string;
  connect: boolean;
}

/**
 * Sends events to webhook endpoints, signed like Stripe (`Stripe-Signature:
 * t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">`) so `stripe.webhooks.constructEvent`
 * verifies them. The signature time is the wall clock (what `constructEvent`
 * checks against by default), while the event's `created` is the double's clock.
 */
export class WebhookSender {
  /** Every delivery made (and dropped), in the order they were attempted. */
  readonly sent: Delivery[] = [];
  readonly endpoints = new Map<string, EndpointSecret>();
  private target: FetchLike | null = null;
  private settings: Required<DeliveryMode> = { duplicate: 1, shuffle: false, hold: false };
  private held: Pending[] = [];
  private toDrop = 0;
  private inFlight = new Set<Promise<void>>();
  private readonly pendingOf = new WeakMap<Delivery, Pending>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly state: DoubleState) {}

  /** Routes deliveries into `fetchLike` instead of real HTTP (null: back to HTTP). */
  deliverTo(fetchLike: FetchLike | null): void {
    this.target = fetchLike;
  }

  /** Changes how events are delivered from now on (unset fields keep their value). */
  mode(mode: DeliveryMode): void {
    this.settings = { ...this.settings, ...mode };
    if (this.settings.duplicate < 1) this.settings.duplicate = 1;
  }

  /** Loses the next `n` deliveries (each recorded in `sent` as `'dropped'`). */
  drop(n: number): void {
    this.toDrop += n;
  }

  /** Delivers everything held (shuffled when configured) and waits for every delivery under way. */
  async flush(): Promise<void> {
    const batch = this.held;
    this.held = [];
    if (this.settings.shuffle) shuffle(batch);
    for (const pending of batch) await this.send(pending);
    await this.idle();
  }

  /**
   * Sends again every event whose last delivery to an endpoint failed (unreachable or
   * not 2xx), as Stripe's automatic retries would, and waits for them. Dropped ones stay lost.
   */
  async redeliver(): Promise<void> {
    await this.idle();
    const latest = new Map<string, Delivery>();
    for (const delivery of this.sent) latest.set(`${delivery.eventId}|${delivery.endpointId}`, delivery);
    for (const delivery of latest.values()) {
      const failed = delivery.status === 'error' || (typeof delivery.status === 'number' && delivery.status >= 300);
      const pending = this.pendingOf.get(delivery);
      if (failed && pending) await this.send(pending, true);
    }
  }

  /** Resolves when no delivery is under way (held ones stay held). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Queues `event` (of `account`) for every endpoint that subscribes to it. */
  enqueue(account: string, event: Obj): void {
    for (const endpoint of this.endpointsFor(account, event.type)) {
      for (let copy = 0; copy < this.settings.duplicate; copy++) {
        const pending: Pending = { event, endpointId: endpoint.id, url: endpoint.url, secret: endpoint.secret };
        if (this.settings.hold || this.settings.shuffle) this.held.push(pending);
        else this.track(this.queued(pending));
      }
    }
  }

  /** Endpoints of the account itself, plus the platform's Connect endpoints for a connected account. */
  private endpointsFor(account: string, type: string): Array<{ id: string; url: string; secret: string }> {
    const out: Array<{ id: string; url: string; secret: string }> = [];
    const record = this.state.accounts.get(account);
    const consider = (owner: string, connect: boolean) => {
      for (const endpoint of this.state.store.all(owner, 'webhook_endpoint').reverse()) {
        const meta = this.endpoints.get(endpoint.id);
        if (!meta || meta.connect !== connect || endpoint.status !== 'enabled') continue;
        const events = endpoint.enabled_events as string[];
        if (!events.includes('*') && !events.includes(type)) continue;
        out.push({ id: endpoint.id, url: endpoint.url, secret: meta.secret });
      }
    };
    consider(account, false);
    if (record?.platform) consider(record.platform, true);
    return out;
  }

  /** Immediate deliveries go out one after another, in emission order. */
  private queued(pending: Pending): Promise<void> {
    this.chain = this.chain.then(() => this.send(pending));
    return this.chain;
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async send(pending: Pending, retry = false): Promise<void> {
    const { event } = pending;
    const delivery: Delivery = {
      eventId: event.id,
      type: event.type,
      account: event.account ?? null,
      endpointId: pending.endpointId,
      url: pending.url,
      status: 'dropped',
    };
    this.sent.push(delivery);
    this.pendingOf.set(delivery, pending);
    if (!retry && this.toDrop > 0) {
      this.toDrop--;
      return;
    }
    const payload = JSON.stringify(event, null, 2);
    const timestamp = Math.floor(Date.now() / 1000);
    const request = new Request(pending.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': signatureHeader(payload, pending.secret, timestamp),
      },
      body: payload,
    });
    try {
      if (!this.target && isReservedHost(pending.url)) throw new Error('unreachable');
      const response = await (this.target
        ? this.target(request)
        : fetch(request, { signal: AbortSignal.timeout(10_000) }));
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch {
      delivery.status = 'error';
    }
  }
}

/** Stripe's signature header for `payload`: `t=<timestamp>,v1=<hex HMAC-SHA256 of "t.payload">`. */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

/** `.test`, `.example`, `.invalid` and `.localhost`-style names never resolve (RFC 2606): fail fast instead of waiting on DNS. */
function isReservedHost(url: string): boolean {
  const host = new URL(url).hostname;
  return /\.(test|example|invalid)$/.test(host);
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
