import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/** Claims the test provider releases for one login name. */
export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
}

/** The parts of oidc-provider's API this helper uses (the package ships no type declarations). */
interface ProviderInstance {
  callback(): (req: unknown, res: unknown) => void;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

export interface TestOidcProvider {
  /** The issuer identifier, `http://127.0.0.1:<port>`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Login names and the claims released for them; tests add accounts as they go. */
  accounts: Map<string, TestAccount>;
  /**
   * Plays the user at the provider's development login and consent pages:
   * follows `authorizationUrl` through login (as `login`) and consent, and
   * returns the URL the provider finally redirects the browser to (our callback).
   * `abort` answers the login page with the provider's abort link instead, which
   * comes back as `error=access_denied`.
   */
  signIn(authorizationUrl: string, login: string, options?: { abort?: boolean }): Promise<URL>;
  close(): Promise<void>;
}

/** Keeps the provider's cookies between requests, as a browser would. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      // Expired cookies come back empty: the provider clears its interaction cookies after use.
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Starts a real OpenID provider (oidc-provider) on 127.0.0.1 with one
 * confidential client whose only redirect URI is `redirectUri`. PKCE is
 * required; the development interactions stand in for the login and consent UI.
 * @example
 * const op = await startTestOidcProvider({ redirectUri: 'http://api.memberkit.test/v1/auth/oidc/callback' });
 * op.accounts.set('ada', { email: 'ada@example.org', email_verified: true });
 * const callback = await op.signIn(authorizationUrl, 'ada');
 */
export async function startTestOidcProvider(options: {
  redirectUri: string;
  clientId?: string;
  clientSecret?: string;
}): Promise<TestOidcProvider> {
  // A non-literal specifier for TypeScript (the package has no types); at run time it is the plain import.
  const { default: Provider } = (await import('oidc-provider' as string)) as { default: ProviderConstructor };
  const clientId = options.clientId ?? 'memberkit-test';
  const clientSecret = options.clientSecret ?? `secret-${crypto.randomUUID()}`;
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

  // Listen first: the issuer must carry the port.
  let handler: ((req: unknown, res: unknown) => void) | undefined;
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: ['memberkit-test-cookie-key'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    features: { devInteractions: { enabled: true } },
    // Explicit lifetimes keep the provider from printing a notice per artifact.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
  });
  handler = provider.callback();

  async function signIn(
    authorizationUrl: string,
    login: string,
    signInOptions: { abort?: boolean } = {},
  ): Promise<URL> {
    const jar = new CookieJar();
    const origin = new URL(issuer);
    let url = new URL(authorizationUrl);
    let form: Record<string, string> | null = null;
    // Each loop: one browser request. The provider's pages alternate between redirects and forms.
    for (let step = 0; step < 20; step++) {
      // Annotated: `form` is reassigned in the loop, which leaves inference circular under some configurations.
      const response: Response = await fetch(url, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
      jar.store(response);
      form = null;
      const location = response.headers.get('location');
      if (location) {
        await response.body?.cancel();
        const next = new URL(location, url);
        if (next.origin !== origin.origin) return next;
        url = next;
        continue;
      }
      const page: string = await response.text();
      if (response.status !== 200) throw new Error(`provider answered ${response.status}: ${page.slice(0, 500)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      const prompt: string | undefined = /name="prompt" value="([a-z]+)"/.exec(page)?.[1];
      if (!action || !prompt) throw new Error(`unexpected provider page: ${page.slice(0, 500)}`);
      if (signInOptions.abort) {
        url = new URL(`${new URL(action.replaceAll('&amp;', '&'), url).pathname}/abort`, url);
        continue;
      }
      url = new URL(action.replaceAll('&amp;', '&'), url);
      form = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
    }
    throw new Error('the provider did not redirect back within 20 steps');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signIn,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
