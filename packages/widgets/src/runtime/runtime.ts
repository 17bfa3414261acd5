import { createContext } from '@lit/context';
import type { Memberkit } from '@memberkit/sdk';
import { normalizeConfig, type PublicConfig } from '../config/public-config.js';
import { createWidgetSession, type SessionStorageKind } from './session-adapter.js';
import type { WidgetSession } from './widget-session.js';

/** Everything a tenant's widgets share on one page: one client, one session, one config load. */
export interface MemberkitRuntime {
  readonly apiUrl: string;
  readonly publishableKey: string;
  /** The SDK client, with the publishable key (and the member's token once signed in). */
  readonly client: Memberkit;
  readonly session: WidgetSession;
  /** The tenant's public config; rejects when it cannot be loaded. */
  readonly config: Promise<PublicConfig>;
}

const runtimes = new Map<string, MemberkitRuntime>();

/**
 * The runtime for an API and publishable key: made on first use, then shared by every
 * provider and standalone element with the same two values, so a page with several
 * widgets signs in once and loads the config once. A second tenant's key on the same
 * page gets its own runtime: nothing is shared across tenants.
 */
export function getRuntime(
  apiUrl: string,
  publishableKey: string,
  storage: SessionStorageKind = 'local',
): MemberkitRuntime {
  const baseUrl = apiUrl.replace(/\/+$/, '');
  // The storage is part of the key: a page asking for a memory-only session never shares one kept in localStorage.
  const key = `${baseUrl} ${publishableKey} ${storage}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    const { client, session } = createWidgetSession(baseUrl, publishableKey, storage);
    // Loaded once per page (the SDK revalidates with its ETag when asked again). A
    // failed load is forgotten, so the next element to ask retries (the API was restarting).
    let config: Promise<PublicConfig> | undefined;
    const loadConfig = (): Promise<PublicConfig> =>
      (config ??= client.publicConfig.retrieve().then(normalizeConfig, (error: unknown) => {
        config = undefined;
        throw error;
      }));
    runtime = {
      apiUrl: baseUrl,
      publishableKey,
      client,
      session,
      get config() {
        return loadConfig();
      },
    };
    runtimes.set(key, runtime);
  }
  return runtime;
}

/** Forgets every runtime (tests start each case from a clean page state). */
export function resetRuntimes(): void {
  runtimes.clear();
}

/** Context through which `<member-provider>` hands the SDK client to the elements inside. */
export const clientContext = createContext<Memberkit>(Symbol.for('memberkit.client'));
