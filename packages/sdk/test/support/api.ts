import { createTestContext, PLATFORM_KEY } from '@memberkit/api/testing';
import { Memberkit, type CreatedTenant, type FetchLike, type MemberkitOptions } from '../../src/index.js';

/** The base URL SDK clients use in tests; the harness issues tokens for it too. */
export const BASE_URL = 'http://api.memberkit.test';

export type Tenant = CreatedTenant;

/**
 * The real API app on a real (PGlite) database, in-process: SDK clients send their
 * requests to `app.request`, so every test goes through the real routes and services.
 */
export async function startApi() {
  const t = await createTestContext();
  const fetch: FetchLike = (url, init) => t.app.request(url, init);

  /** A client of the real app; `fetch` may wrap the app's (fault injection). */
  function client(options: Omit<MemberkitOptions, 'baseUrl'>): Memberkit {
    return new Memberkit({ baseUrl: BASE_URL, fetch, ...options });
  }

  const platform = client({ secretKey: PLATFORM_KEY });

  /** A fresh tenant (through the SDK's platform namespace) with sign-up settings. */
  async function tenant(
    auth: { require_email_verification?: boolean; signup_enabled?: boolean; magic_link_enabled?: boolean } = {},
  ): Promise<Tenant> {
    const slug = `sdk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const created = await platform.platform.tenants.create({ name: 'SDK Test Tenant', slug });
    if (Object.keys(auth).length > 0) {
      await client({ secretKey: created.secret_key }).tenant.update({ auth });
    }
    return created;
  }

  /** The newest mail of a template to an address, straight from the outbox (mail tokens are only mailed). */
  const mailToken = (tenantId: string, template: string, to: string) => t.mailToken(tenantId, template, to);

  return { t, fetch, client, platform, tenant, mailToken, close: () => t.close() };
}

export type Api = Awaited<ReturnType<typeof startApi>>;

/** A random email address. */
export function email(prefix = 'm'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}@example.org`;
}

/** A password the API accepts. */
export const PASSWORD = 'analytical-engine-1843';
