import { AuthenticationError, InvalidRequestError, MemberkitError } from '../errors.js';
import type { Transport } from '../core/transport.js';
import type { Schema } from '../core/types.js';
import { localStorageStorage, memoryStorage, type TokenStorage } from './storage.js';

/** The signed-in member as the member may see themselves. */
export type Me = Schema<'Me'>;
/** Tokens from sign-up, sign-in, refresh, magic link, email verification or invite acceptance. */
export type SessionTokens = Schema<'SessionTokens'>;

/** Tokens to start a session with; `member` is loaded with `GET /v1/me` when absent (e.g. after OIDC). */
export interface TokenGrant {
  access_token: string;
  refresh_token: string;
  /** Seconds until the access token expires. */
  expires_in: number;
  member?: Me | undefined;
}

/** Options of the browser session, under `session` in the client options. */
export interface SessionOptions {
  /** Where the refresh token is kept: `memory` (default), `localStorage`, or your own {@link TokenStorage}. */
  storage?: 'memory' | 'localStorage' | TokenStorage | undefined;
  /** `localStorage` key; defaults to `memberkit.refresh_token.<publishable key>`. */
  storageKey?: string | undefined;
  /** Refresh the access token shortly before it expires (default true). */
  autoRefresh?: boolean | undefined;
  /** Seconds before expiry to refresh (default 60). */
  refreshMargin?: number | undefined;
  /** Restore a stored session when the client is made (default true). */
  restore?: boolean | undefined;
}

/** Why a {@link SessionEvent} fired. */
export type SessionEventType = 'signin' | 'signout' | 'refresh' | 'member' | 'change';

/** The event a {@link Session} dispatches; `member` is the member after the change. */
export class SessionEvent extends Event {
  /** The signed-in member after the change, or null when signed out. */
  readonly member: Me | null;
  /** Made by the session. */
  constructor(type: SessionEventType, member: Me | null) {
    super(type);
    this.member = member;
  }
}

/** Listener of {@link Session.on}. */
export type SessionListener = (event: SessionEvent) => void;

const REFRESH_PATH = '/v1/auth/refresh';
/** Refresh before a member request when the token has less than this left (timers sleep in background tabs). */
const PREFLIGHT_MARGIN_MS = 10_000;
const RETRY_AFTER_NETWORK_FAILURE_MS = 30_000;

function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  // In Node a pending refresh must not keep the process alive.
  (timer as { unref?: () => void }).unref?.();
}

/**
 * A signed-in member in a browser (or any publishable-key client): holds the access
 * token, refreshes it before it expires, keeps the refresh token in pluggable storage
 * and tells listeners when the member signs in or out. Made by {@link Memberkit} as
 * `mk.session`; the `mk.auth` methods start and end it.
 *
 * Events: `signin`, `signout`, `refresh`, `member` (the member object changed) and
 * `change` (after any of them).
 *
 * @example
 * const mk = new Memberkit({ publishableKey: 'pk_…', baseUrl, session: { storage: 'localStorage' } });
 * await mk.session.ready;
 * mk.session.on('change', () => render(mk.session.member));
 */
export class Session extends EventTarget {
  /** Resolves once a stored session was restored (or found absent or invalid). Never rejects. */
  readonly ready: Promise<void>;

  readonly #transport: Transport;
  readonly #storage: TokenStorage;
  readonly #shared: boolean;
  readonly #lockName: string;
  readonly #autoRefresh: boolean;
  readonly #marginMs: number;
  #accessToken: string | null = null;
  #refreshToken: string | null = null;
  #expiresAt: number | null = null;
  #member: Me | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<boolean> | undefined;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport, options: SessionOptions, publishableKey: string | undefined) {
    super();
    this.#transport = transport;
    const key = options.storageKey ?? `memberkit.refresh_token.${publishableKey ?? 'default'}`;
    const storage = options.storage ?? 'memory';
    this.#storage =
      storage === 'memory' ? memoryStorage() : storage === 'localStorage' ? localStorageStorage(key) : storage;
    this.#shared = storage === 'localStorage';
    this.#lockName = `memberkit-refresh:${key}`;
    this.#autoRefresh = options.autoRefresh ?? true;
    this.#marginMs = (options.refreshMargin ?? 60) * 1000;
    this.ready = publishableKey && options.restore !== false ? this.#restore() : Promise.resolve();
    if (this.#shared) this.#followOtherTabs(key);
  }

  /** The signed-in member, or null. */
  get member(): Me | null {
    return this.#member;
  }

  /** The member's current access token (a JWT, valid for minutes), or null. */
  get accessToken(): string | null {
    return this.#accessToken;
  }

  /** The current refresh token, or null. Keep it secret: it signs the member in. */
  get refreshToken(): string | null {
    return this.#refreshToken;
  }

  /** When the access token expires (ms since epoch), or null. */
  get expiresAt(): number | null {
    return this.#expiresAt;
  }

  /** Whether a member is signed in. */
  get signedIn(): boolean {
    return this.#accessToken !== null;
  }

  /**
   * Listens to an event; returns a function that stops listening.
   *
   * @example
   * const off = mk.session.on('signout', () => location.assign('/login'));
   */
  on(type: SessionEventType, listener: SessionListener): () => void {
    const handler = (event: Event) => listener(event as SessionEvent);
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /**
   * Starts (or replaces) the session with tokens, e.g. from the OIDC redirect fragment or
   * a session your backend minted. Loads the member when the grant has none.
   */
  async setTokens(grant: TokenGrant): Promise<Me> {
    const wasSignedIn = this.signedIn;
    const previous = this.#member;
    this.#accessToken = grant.access_token;
    this.#refreshToken = grant.refresh_token;
    this.#expiresAt = Date.now() + grant.expires_in * 1000;
    await this.#storage.set(grant.refresh_token);
    this.#schedule();
    let member: Me;
    try {
      member = grant.member ?? (await this.#fetchMember());
    } catch (error) {
      // Tokens the API does not accept start no session; a session that was there stays as it was before.
      if (!wasSignedIn) await this.#reset();
      throw error;
    }
    const memberChanged = JSON.stringify(member) !== JSON.stringify(this.#member);
    this.#member = member;
    // Signing in as someone else without signing out first is a sign-in, not a refresh.
    this.#emit(wasSignedIn && previous?.id === member.id ? 'refresh' : 'signin');
    if (memberChanged) this.#emit('member');
    this.#emit('change');
    return member;
  }

  /**
   * Exchanges the refresh token for new tokens now (`POST /v1/auth/refresh`). Resolves
   * true when refreshed, false when there was nothing to refresh or the API refused the
   * refresh token (the session then ends with `signout`). Network failures reject.
   * Concurrent calls share one request; with `localStorage`, tabs take turns (Web Locks).
   */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#withTabLock(() => this.#refreshNow()).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Reloads the member with `GET /v1/me`, e.g. after changing it elsewhere; fires `member` when it changed. */
  async reloadMember(): Promise<Me> {
    const member = await this.#fetchMember();
    this.updateMember(member);
    return member;
  }

  /** Replaces the member object (the SDK calls it after `me.update`); fires `member` and `change` when it changed. */
  updateMember(member: Me): void {
    if (!this.signedIn || JSON.stringify(member) === JSON.stringify(this.#member)) return;
    this.#member = member;
    this.#emit('member');
    this.#emit('change');
  }

  /** Ends the session locally (no request; `mk.auth.logout()` also revokes it at the API). */
  async clear(): Promise<void> {
    const wasSignedIn = this.signedIn || this.#refreshToken !== null;
    const hadMember = this.#member !== null;
    await this.#reset();
    if (!wasSignedIn) return;
    this.#emit('signout');
    if (hadMember) this.#emit('member');
    this.#emit('change');
  }

  /** @internal The token for a member-scoped request, refreshed first when about to expire. */
  async memberToken(): Promise<string | undefined> {
    // Calls made while a stored session is being restored wait for it (nothing inside the restore calls here).
    await this.ready;
    if (this.#accessToken && this.#expiresAt !== null && this.#expiresAt - Date.now() < PREFLIGHT_MARGIN_MS) {
      await this.refresh().catch(() => false);
    }
    return this.#accessToken ?? undefined;
  }

  async #reset(): Promise<void> {
    this.#accessToken = null;
    this.#refreshToken = null;
    this.#expiresAt = null;
    this.#member = null;
    clearTimeout(this.#timer);
    await this.#storage.remove();
  }

  async #restore(): Promise<void> {
    try {
      const stored = await this.#storage.get();
      if (!stored) return;
      this.#refreshToken = stored;
      await this.refresh();
    } catch {
      // Offline at page load: stay signed out for now; the stored token is kept for the next load.
    }
  }

  async #refreshNow(): Promise<boolean> {
    if (this.#shared) {
      // Another tab may have rotated the token since: the one in storage is the live one.
      const stored = await this.#storage.get();
      if (stored && stored !== this.#refreshToken) this.#refreshToken = stored;
    }
    const refreshToken = this.#refreshToken;
    if (!refreshToken) return false;
    let tokens: SessionTokens;
    try {
      tokens = await this.#transport.request<SessionTokens>({
        method: 'POST',
        path: REFRESH_PATH,
        body: { refresh_token: refreshToken },
        auth: 'publishable',
      });
    } catch (error) {
      if (error instanceof AuthenticationError || error instanceof InvalidRequestError) {
        await this.clear();
        return false;
      }
      throw error;
    }
    await this.setTokens(tokens);
    return true;
  }

  async #withTabLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!this.#shared || !locks) return work();
    return locks.request(this.#lockName, work) as Promise<T>;
  }

  async #fetchMember(): Promise<Me> {
    return this.#transport.request<Me>({ method: 'GET', path: '/v1/me', auth: 'member' });
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (!this.#autoRefresh || this.#expiresAt === null) return;
    const lifetime = this.#expiresAt - Date.now();
    // Short-lived tokens refresh at 80 % of their life rather than at once.
    const delay = Math.max(0, Math.min(lifetime - this.#marginMs, lifetime * 0.8));
    this.#timer = setTimeout(() => {
      this.refresh().catch((error: unknown) => {
        if (!(error instanceof MemberkitError) || error.status === 0 || error.status >= 500) {
          this.#timer = setTimeout(() => void this.refresh().catch(() => undefined), RETRY_AFTER_NETWORK_FAILURE_MS);
          unrefTimer(this.#timer);
        }
      });
    }, delay);
    unrefTimer(this.#timer);
  }

  #followOtherTabs(key: string): void {
    const target = globalThis as {
      addEventListener?: (type: 'storage', listener: (event: StorageEvent) => void) => void;
    };
    target.addEventListener?.('storage', (event: StorageEvent) => {
      if (event.key !== key) return;
      if (event.newValue === null) void this.clear();
      else this.#refreshToken = event.newValue;
    });
  }

  #emit(type: SessionEventType): void {
    this.dispatchEvent(new SessionEvent(type, this.#member));
  }
}
