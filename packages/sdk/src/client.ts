import { Transport, type AuthMode, type CredentialSource, type FetchLike } from './core/transport.js';
import { ActivityResource } from './resources/activity.js';
import { AnalyticsResource } from './resources/analytics.js';
import { ApiKeysResource } from './resources/api-keys.js';
import { AuditLogResource } from './resources/audit-log.js';
import { AuthResource } from './resources/auth.js';
import { BillingNamespace } from './resources/billing.js';
import { CommunityResource } from './resources/community.js';
import { ConversationsResource } from './resources/conversations.js';
import { ContentReportsResource, FeedResource } from './resources/feed.js';
import { FieldsResource } from './resources/fields.js';
import { InvitesResource } from './resources/invites.js';
import { MeResource } from './resources/me.js';
import { MembersResource } from './resources/members.js';
import { NotificationsResource } from './resources/notifications.js';
import { OidcProvidersResource } from './resources/oidc-providers.js';
import { PresenceResource } from './resources/presence.js';
import { DirectoryResource, PublicConfigResource } from './resources/public.js';
import { PlatformNamespace } from './resources/platform.js';
import { RealtimeResource } from './resources/realtime.js';
import { ReportsResource } from './resources/reports.js';
import { StaffResource } from './resources/staff.js';
import { TenantResource } from './resources/tenant.js';
import { TiersResource } from './resources/tiers.js';
import { HealthResource, JwksResource, OAuthResource, SigningKeysResource } from './resources/tokens.js';
import { UsageResource } from './resources/usage.js';
import { Session, type SessionOptions } from './session/session.js';

/** Options of {@link Memberkit}. Give one credential (a browser client may give none but the publishable key). */
export interface MemberkitOptions {
  /** A tenant secret key (`sk_…`) or the platform key. Server code only: never ship it to a browser. */
  secretKey?: string | undefined;
  /** A publishable key (`pk_…`), safe in browsers on the tenant's allowed origins. Enables `mk.auth` and `mk.session`. */
  publishableKey?: string | undefined;
  /** An access token (member, staff or OAuth), for requests on its holder's behalf. */
  accessToken?: string | undefined;
  /** Where the API is, e.g. `https://api.example.org` or `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** `fetch` to send requests with; defaults to the global one. */
  fetch?: FetchLike | undefined;
  /** Milliseconds one attempt may take (default 60,000). */
  timeout?: number | undefined;
  /** Retries after network errors, 409 in-flight, 429 and 5xx (default 2). */
  maxRetries?: number | undefined;
  /** The browser session: refresh-token storage, automatic refresh. */
  session?: SessionOptions | undefined;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

/**
 * The Memberkit API client. Uses only `fetch` and Web APIs, so it runs in browsers,
 * Node 20+ and edge runtimes. Every method takes {@link CallOptions} last
 * (`idempotencyKey`, `timeout`, `signal`, `maxRetries`, `headers`).
 *
 * @example
 * const mk = new Memberkit({ secretKey: process.env.MEMBERKIT_SECRET_KEY, baseUrl: 'http://127.0.0.1:8787' });
 * const member = await mk.members.create({ email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace' });
 * for await (const m of mk.members.list({ status: 'active' })) console.log(m.email);
 */
export class Memberkit {
  /** The calling tenant's settings. */
  readonly tenant: TenantResource;
  /** The tenant's secret and publishable keys. */
  readonly apiKeys: ApiKeysResource;
  /** Custom member fields. */
  readonly fields: FieldsResource;
  /** Membership tiers. */
  readonly tiers: TiersResource;
  /** Members: CRUD, bulk actions, import and export. */
  readonly members: MembersResource;
  /** Invitations. */
  readonly invites: InvitesResource;
  /** The audit log. */
  readonly auditLog: AuditLogResource;
  /** Staff users. */
  readonly staff: StaffResource;
  /** OIDC sign-in providers. */
  readonly oidcProviders: OidcProvidersResource;
  /** Token signing keys. */
  readonly signingKeys: SigningKeysResource;
  /** Public keys verifying tokens. */
  readonly jwks: JwksResource;
  /** OAuth 2.0 client credentials. */
  readonly oauth: OAuthResource;
  /** API health. */
  readonly health: HealthResource;
  /** Platform operator endpoints. */
  readonly platform: PlatformNamespace;
  /** The tenant's public site configuration (publishable key). */
  readonly publicConfig: PublicConfigResource;
  /** The member directory (member token or publishable key). */
  readonly directory: DirectoryResource;
  /** Activity events: record them (secret key, or a member for themselves), list their types. */
  readonly activity: ActivityResource;
  /** Engagement, growth and retention. */
  readonly analytics: AnalyticsResource;
  /** Custom reports: run, save, schedule, export. */
  readonly reports: ReportsResource;
  /** Billing as staff manage it: subscriptions, refunds, complimentary memberships, metered features. */
  readonly billing: BillingNamespace;
  /** Usage of metered features (secret key). */
  readonly usage: UsageResource;
  /** Member sign-up, sign-in, magic links, password reset (publishable key). */
  readonly auth: AuthResource;
  /** The signed-in member's own account. */
  readonly me: MeResource;
  /** The signed-in member in this client: tokens, refresh, events. */
  readonly session: Session;
  /** Live events: `subscribe(topics, handler)` reconnects and resumes by itself. */
  readonly realtime: RealtimeResource;
  /** Who is online. */
  readonly presence: PresenceResource;
  /** Community settings: presence visibility, member posts and messaging, rate limits. */
  readonly community: CommunityResource;
  /** Notifications sent by staff to members, tiers, tags, segments or everyone. */
  readonly notifications: NotificationsResource;
  /** The activity feed: posts, announcements, comments, reactions. */
  readonly feed: FeedResource;
  /** Reports of posts, comments and messages, and their moderation. */
  readonly contentReports: ContentReportsResource;
  /** Support, direct and group conversations and their messages. */
  readonly conversations: ConversationsResource;

  /** Creates a client; it holds no connection and is cheap to make. */
  constructor(options: MemberkitOptions) {
    if (!options.baseUrl) throw new TypeError('Memberkit: `baseUrl` is required.');
    const fetchImpl = options.fetch ?? globalThis.fetch;
    let session: Session | undefined;
    const ownToken = options.secretKey ?? options.accessToken ?? options.publishableKey;
    const credentials: CredentialSource = {
      publishableKey: options.publishableKey,
      tokenFor: (mode: AuthMode) => {
        switch (mode) {
          case 'none':
            return undefined;
          case 'publishable':
            return options.publishableKey ?? ownToken;
          case 'member':
            // A signed-in session's token wins; otherwise the client's own credential (e.g. a member `accessToken`).
            return session ? session.memberToken().then((token) => token ?? ownToken) : ownToken;
          default:
            return ownToken;
        }
      },
      refreshAfter401: async () => (session?.signedIn ? session.refresh() : false),
    };
    const transport = new Transport({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      // Called unbound on purpose: browsers throw "Illegal invocation" when the
      // global fetch is called as a method of another object.
      fetch: (input, init) => fetchImpl(input, init),
      timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      credentials,
    });
    session = new Session(transport, options.session ?? {}, options.publishableKey);
    this.session = session;
    this.tenant = new TenantResource(transport);
    this.apiKeys = new ApiKeysResource(transport);
    this.fields = new FieldsResource(transport);
    this.tiers = new TiersResource(transport);
    this.members = new MembersResource(transport);
    this.invites = new InvitesResource(transport);
    this.auditLog = new AuditLogResource(transport);
    this.staff = new StaffResource(transport);
    this.oidcProviders = new OidcProvidersResource(transport);
    this.signingKeys = new SigningKeysResource(transport);
    this.jwks = new JwksResource(transport);
    this.oauth = new OAuthResource(transport);
    this.health = new HealthResource(transport);
    this.platform = new PlatformNamespace(transport);
    this.publicConfig = new PublicConfigResource(transport);
    this.directory = new DirectoryResource(transport);
    this.activity = new ActivityResource(transport);
    this.analytics = new AnalyticsResource(transport);
    this.reports = new ReportsResource(transport);
    this.billing = new BillingNamespace(transport);
    this.usage = new UsageResource(transport);
    this.auth = new AuthResource(transport, session);
    this.me = new MeResource(transport, session);
    this.realtime = new RealtimeResource(transport);
    this.presence = new PresenceResource(transport);
    this.community = new CommunityResource(transport);
    this.notifications = new NotificationsResource(transport);
    this.feed = new FeedResource(transport);
    this.contentReports = new ContentReportsResource(transport);
    this.conversations = new ConversationsResource(transport);
  }
}
