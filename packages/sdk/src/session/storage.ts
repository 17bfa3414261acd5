/**
 * Where a browser session keeps its refresh token between page loads. Any object with
 * these three methods works (sync or async), e.g. one over `sessionStorage` or IndexedDB.
 */
export interface TokenStorage {
  /** The stored refresh token, or null. */
  get(): string | null | undefined | Promise<string | null | undefined>;
  /** Stores the refresh token. */
  set(token: string): void | Promise<void>;
  /** Forgets the refresh token. */
  remove(): void | Promise<void>;
}

/** Keeps the token in memory only: a reload signs the member out. The default. */
export function memoryStorage(): TokenStorage {
  let token: string | null = null;
  return {
    get: () => token,
    set: (value) => {
      token = value;
    },
    remove: () => {
      token = null;
    },
  };
}

/**
 * Keeps the token in `localStorage` under `key`, so the member stays signed in across
 * reloads and tabs. Opt in only where that is acceptable: any script on the page can
 * read it. Falls back to doing nothing where `localStorage` is missing or blocked.
 */
export function localStorageStorage(key: string): TokenStorage & { readonly key: string; readonly shared: true } {
  const store = (): Storage | undefined => {
    try {
      return globalThis.localStorage ?? undefined;
    } catch {
      // Safari in some privacy modes throws on access.
      return undefined;
    }
  };
  return {
    key,
    shared: true,
    get: () => store()?.getItem(key) ?? null,
    set: (value) => store()?.setItem(key, value),
    remove: () => store()?.removeItem(key),
  };
}
