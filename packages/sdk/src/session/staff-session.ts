import { Memberkit } from '../client.js';
import type { FetchLike } from '../core/transport.js';
import type { Schema } from '../core/types.js';
import { MemberkitError } from '../errors.js';
import type { StaffSessionTokens } from '../resources/auth.js';
import type { CurrentStaff } from '../resources/staff.js';
import { readJwtClaims } from './jwt-claims.js';

/** One staff permission, `resource:action`, e.g. `member:update`. */
export type Permission = Schema<'Permission'>;

/**
 * Tokens to start a staff session with: the body of staff sign-in, invitation
 * acceptance, refresh or a session minted by the tenant's backend, or only an access
 * token (then nothing renews it; `expiring` says when to set a fresh one).
 */
export interface StaffGrant {
  access_token: string;
  /** With the session's `publishableKey`, the session renews itself. Refresh tokens rotate: one use each. */
  refresh_token?: string | undefined;
  /** Seconds until the access token expires; read from the token when absent. */
  expires_in?: number | undefined;
  /** Who signed in; read from the token when absent. */
  staff?: { id: string; role: string } | undefined;
  /** What the role may do; loaded with `GET /v1/staff/me` when absent. */
  permissions?: readonly Permission[] | undefined;
}

/** Options of a {@link StaffSession}. */
export interface StaffSessionOptions {
  /** Base URL of the Memberkit API. */
  baseUrl: string;
  /** The tenant's publishable key: needed to renew the session with its refresh token. */
  publishableKey?: string | undefined;
  /** A `fetch` to use instead of the global one (tests, proxies). */
  fetch?: FetchLike | undefined;
  /** Seconds before expiry to renew (default 60), so requests in flight never carry an expired token. */
  refreshMargin?: number | undefined;
  /** First wait after a renewal could not reach the API, in ms (default 1,000); doubles on each failure. */
  retryDelay?: number | undefined;
  /** Longest wait between renewal attempts, in ms (default 30,000). */
  maxRetryDelay?: number | undefined;
}

/**
 * Why a {@link StaffSessionEvent} fired: `change` (tokens, staff or permissions changed,
 * or the session ended), `refresh` (renewed), `expiring` (an access token that cannot be
 * renewed here is about to expire: set a fresh one), `end` (the API refused the renewal:
 * the session was ended elsewhere or its refresh token was spent).
 */
export type StaffSessionEventType = 'change' | 'refresh' | 'expiring' | 'end';

/** The event a {@link StaffSession} dispatches; read the session's getters for its state. */
export class StaffSessionEvent extends Event {
  /** When the access token expires (ms since epoch), or null once the session ended. */
  readonly expiresAt: number | null;
  /** Made by the session. */
  constructor(type: StaffSessionEventType, expiresAt: number | null) {
    super(type);
    this.expiresAt = expiresAt;
  }
}

/** Listener of {@link StaffSession.on}. */
export type StaffSessionListener = (event: StaffSessionEvent) => void;

const DEFAULT_MARGIN_S = 60;
const DEFAULT_RETRY_MS = 1_000;
const DEFAULT_MAX_RETRY_MS = 30_000;
/** A renewal is never scheduled sooner than this, so a token with a short life does not loop. */
const MIN_DELAY_MS = 5_000;

function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  // In Node a pending renewal must not keep the process alive.
  (timer as { unref?: () => void }).unref?.();
}

/** Whether a failed renewal may succeed later (offline, rate limited, server trouble) rather than being refused. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof MemberkitError)) return true;
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/**
 * A signed-in staff user (the admin elements' session): holds the staff access token,
 * renews it with the refresh token before it expires, at once when a sleeping page
 * wakes up past that moment, and again with backoff when the API cannot be reached
 * (a network failure or a 503 keeps the session); knows the staff user's permissions
 * as the API serves them. The staff counterpart of the member {@link Session}; it
 * never touches `mk.session`.
 *
 * @example
 * const staff = new StaffSession({ baseUrl, publishableKey: 'pk_…' });
 * staff.start(await new Memberkit({ baseUrl, publishableKey: 'pk_…' }).auth.staff.login({ email, password }));
 * staff.on('change', () => render(staff.client, staff.permissions));
 * staff.on('end', () => showSignIn());
 */
export class StaffSession extends EventTarget {
  readonly #options: StaffSessionOptions;
  readonly #marginMs: number;
  #accessToken: string | null = null;
  #refreshToken: string | null = null;
  #expiresAt: number | null = null;
  #staffId: string | null = null;
  #role: string | null = null;
  #permissions: readonly Permission[] | null = null;
  #client: Memberkit | null = null;
  #publicClient: Memberkit | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #loadTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #refreshing: Promise<boolean> | undefined;
  /** Bumped by start and stop, so answers that arrive after them are dropped. */
  #generation = 0;

  constructor(options: StaffSessionOptions) {
    super();
    if (!options.baseUrl) throw new TypeError('StaffSession: `baseUrl` is required.');
    this.#options = options;
    this.#marginMs = (options.refreshMargin ?? DEFAULT_MARGIN_S) * 1000;
  }

  /** Whether the session holds an access token. */
  get active(): boolean {
    return this.#accessToken !== null;
  }

  /** The staff access token (a JWT valid for minutes), or null. */
  get accessToken(): string | null {
    return this.#accessToken;
  }

  /** The refresh token, or null. Keep it secret: it signs the staff user in. */
  get refreshToken(): string | null {
    return this.#refreshToken;
  }

  /** When the access token expires (ms since epoch), or null. */
  get expiresAt(): number | null {
    return this.#expiresAt;
  }

  /** The staff user's id (`stf_…`), or null. */
  get staffId(): string | null {
    return this.#staffId;
  }

  /** The staff user's role (`owner`, `admin`, `manager`, `viewer`), or null. */
  get role(): string | null {
    return this.#role;
  }

  /** What the staff user may do, as the API serves it; null until known. */
  get permissions(): readonly Permission[] | null {
    return this.#permissions;
  }

  /** Whether the API said the staff user may do `permission` (false while the permissions are not known). */
  can(permission: Permission): boolean {
    return this.#permissions?.includes(permission) ?? false;
  }

  /** A client authenticated as the staff user, the same object until the access token changes; null when signed out. */
  get client(): Memberkit | null {
    if (!this.#accessToken) return null;
    this.#client ??= new Memberkit({
      accessToken: this.#accessToken,
      baseUrl: this.#options.baseUrl,
      fetch: this.#options.fetch,
    });
    return this.#client;
  }

  /**
   * Listens to an event; returns a function that stops listening.
   *
   * @example
   * const off = staff.on('end', () => location.assign('/admin/login'));
   */
  on(type: StaffSessionEventType, listener: StaffSessionListener): () => void {
    const handler = (event: Event) => listener(event as StaffSessionEvent);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /**
   * Starts (or replaces) the session with tokens and schedules its renewal. Loads the
   * permissions with `GET /v1/staff/me` when the grant has none. Fires `change`.
   */
  start(grant: StaffGrant): void {
    this.#generation++;
    this.#failures = 0;
    this.#refreshing = undefined;
    this.#apply(grant);
    this.#listenForWake();
    this.#emit('change');
    if (!grant.permissions) this.#loadPermissions(0);
  }

  /**
   * Renews the session now with its refresh token (done by itself before the token
   * expires). Resolves true when renewed; false when there is nothing to renew with, or
   * when the API refused the refresh token (the session then ends: `end`, `change`).
   * When the API cannot be reached it rejects, keeps the session and tries again with
   * backoff. Concurrent calls share one request: a refresh token may be used only once.
   */
  refresh(): Promise<boolean> {
    if (this.#refreshing) return this.#refreshing;
    const renewal = this.#renew().finally(() => {
      // A start() meanwhile may have begun another renewal: leave that one shared.
      if (this.#refreshing === renewal) this.#refreshing = undefined;
    });
    this.#refreshing = renewal;
    return renewal;
  }

  /** Reloads the staff user and permissions (`GET /v1/staff/me`), e.g. after a role change; fires `change` when they changed. */
  async reload(): Promise<CurrentStaff> {
    const client = this.client;
    if (!client) throw new TypeError('StaffSession: not started.');
    const generation = this.#generation;
    const token = this.#accessToken;
    const me = await client.staff.me();
    if (generation !== this.#generation || token !== this.#accessToken) return me;
    const changed =
      me.id !== this.#staffId ||
      me.role !== this.#role ||
      JSON.stringify(me.permissions) !== JSON.stringify(this.#permissions);
    this.#staffId = me.id;
    this.#role = me.role;
    this.#permissions = me.permissions;
    if (changed) this.#emit('change');
    return me;
  }

  /** Loads the permissions a grant came without; an API that cannot be reached is asked again, with backoff. */
  #loadPermissions(attempt: number): void {
    const generation = this.#generation;
    this.reload().catch((error: unknown) => {
      if (generation !== this.#generation || !isTransient(error)) return;
      this.#loadTimer = setTimeout(() => this.#loadPermissions(attempt + 1), this.#backoff(attempt));
      unrefTimer(this.#loadTimer);
    });
  }

  #backoff(attempt: number): number {
    const initial = this.#options.retryDelay ?? DEFAULT_RETRY_MS;
    return Math.min(this.#options.maxRetryDelay ?? DEFAULT_MAX_RETRY_MS, initial * 2 ** attempt);
  }

  /** Stops renewing and forgets the tokens (no request: revoke at the API separately). Fires no event. */
  stop(): void {
    this.#generation++;
    this.#reset();
    this.#unlistenForWake();
  }

  #apply(grant: StaffGrant): void {
    const claims = readJwtClaims(grant.access_token);
    const expiresAt =
      grant.expires_in !== undefined
        ? Date.now() + grant.expires_in * 1000
        : typeof claims?.exp === 'number'
          ? claims.exp * 1000
          : null;
    const staffId = grant.staff?.id ?? (typeof claims?.sub === 'string' ? claims.sub : null);
    if (grant.access_token !== this.#accessToken) this.#client = null;
    // Permissions known for the same staff user stay until fresh ones arrive; another user's never do.
    if (grant.permissions) this.#permissions = grant.permissions;
    else if (staffId !== this.#staffId) this.#permissions = null;
    this.#accessToken = grant.access_token;
    this.#refreshToken = grant.refresh_token ?? null;
    this.#expiresAt = expiresAt;
    this.#staffId = staffId;
    this.#role = grant.staff?.role ?? (typeof claims?.role === 'string' ? claims.role : null);
    this.#schedule();
  }

  get #renewable(): boolean {
    return this.#refreshToken !== null && Boolean(this.#options.publishableKey);
  }

  async #renew(): Promise<boolean> {
    const refreshToken = this.#refreshToken;
    if (!refreshToken || !this.#options.publishableKey) return false;
    const generation = this.#generation;
    this.#publicClient ??= new Memberkit({
      publishableKey: this.#options.publishableKey,
      baseUrl: this.#options.baseUrl,
      fetch: this.#options.fetch,
      session: { restore: false, autoRefresh: false },
    });
    let next: StaffSessionTokens;
    try {
      // This session retries itself, with backoff and for as long as it takes; the transport's quick retries would only add load.
      next = await this.#publicClient.auth.staff.refresh({ refresh_token: refreshToken }, { maxRetries: 0 });
    } catch (error) {
      if (generation !== this.#generation) return false;
      if (isTransient(error)) {
        this.#retryLater();
        throw error;
      }
      this.#reset();
      this.#unlistenForWake();
      this.#emit('end');
      this.#emit('change');
      return false;
    }
    if (generation !== this.#generation) return false;
    this.#failures = 0;
    this.#apply(next);
    this.#emit('refresh');
    this.#emit('change');
    return true;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#expiresAt === null) return;
    const untilMargin = this.#expiresAt - Date.now() - this.#marginMs;
    if (this.#renewable) {
      this.#timer = setTimeout(() => void this.refresh().catch(() => undefined), Math.max(MIN_DELAY_MS, untilMargin));
    } else {
      // Nothing here can renew it: tell the page in time to set a fresh token.
      this.#timer = setTimeout(() => this.#emit('expiring'), Math.max(0, untilMargin));
    }
    unrefTimer(this.#timer);
  }

  #retryLater(): void {
    clearTimeout(this.#timer);
    const delay = this.#backoff(this.#failures);
    this.#failures++;
    this.#timer = setTimeout(() => void this.refresh().catch(() => undefined), delay);
    unrefTimer(this.#timer);
  }

  #reset(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#loadTimer);
    this.#accessToken = null;
    this.#refreshToken = null;
    this.#expiresAt = null;
    this.#staffId = null;
    this.#role = null;
    this.#permissions = null;
    this.#client = null;
    this.#failures = 0;
  }

  // Timers do not run while a computer sleeps: on waking, renew at once if the token is (nearly) out.
  readonly #onVisible = (): void => {
    if (globalThis.document?.visibilityState !== 'visible' || !this.#renewable || this.#expiresAt === null) return;
    if (this.#expiresAt - Date.now() < this.#marginMs) void this.refresh().catch(() => undefined);
  };

  #listenForWake(): void {
    globalThis.document?.addEventListener('visibilitychange', this.#onVisible);
  }

  #unlistenForWake(): void {
    globalThis.document?.removeEventListener('visibilitychange', this.#onVisible);
  }

  #emit(type: StaffSessionEventType): void {
    this.dispatchEvent(new StaffSessionEvent(type, this.#expiresAt));
  }
}
