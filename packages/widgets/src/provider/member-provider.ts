import { provide } from '@lit/context';
import type { Memberkit } from '@memberkit/sdk';
import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { configContext, fallbackConfig, type PublicConfig } from '../config/public-config.js';
import { resolveLocale } from '../i18n/locale.js';
import { createStrings, stringsContext, type Strings } from '../i18n/strings.js';
import '../internal/events.js';
import {
  MemberkitElement,
  defaultTheme,
  defineElement,
  themeContext,
  type MemberkitTheme,
} from '@memberkit/elements-core';
import { setupProblemContext, setupProblemOf, type SetupProblem } from '../internal/setup-problem.js';
import { clientContext, getRuntime } from '../runtime/runtime.js';
import { sessionStorageKind } from '../runtime/session-adapter.js';
import { sessionContext, type WidgetSession } from '../runtime/widget-session.js';
import { applyTheme } from './apply-theme.js';
import { memberProviderStyles } from './member-provider.styles.js';

/** Clients (one per tenant and page) whose page view this page load has recorded or is recording. */
const pageViewsTracked = new WeakSet<Memberkit>();

/**
 * @tagname member-provider
 *
 * Wraps the part of a page that uses Memberkit widgets. With a publishable key it
 * loads the tenant's public config once, creates the SDK client and the member's
 * browser session, and hands client, session, config, strings and theme to the
 * widgets inside through `@lit/context`. The tenant's branding becomes `--mk-*`
 * custom properties on it. It renders no box of its own (`display: contents`).
 *
 * Language: the `locale` attribute; else the first browser language the tenant
 * supports; else the tenant's default; else the browser's; else English.
 *
 * Activity: with `track-page-views`, a signed-in member's visit records one
 * `page.viewed` event (path and title) per page load, for the tenant's analytics.
 *
 * @slot - The page content holding Memberkit widgets.
 *
 * @cssproperty [--mk-color-primary=#4f46e5] - Buttons, links and focus rings.
 * @cssproperty [--mk-color-background=#ffffff] - Surfaces of the widgets.
 * @cssproperty [--mk-color-text=#111827] - Body text.
 * @cssproperty [--mk-color-danger=#b91c1c] - Errors and destructive actions.
 * @cssproperty [--mk-color-on-primary=#ffffff] - Text on primary-coloured buttons.
 * @cssproperty [--mk-font-family=system-ui, …] - Font of the widgets.
 * @cssproperty [--mk-radius=8px] - Corner radius.
 * @cssproperty [--mk-space=16px] - Base spacing unit; gaps and paddings are multiples of it.
 * @cssproperty [--mk-logo-height=48px] - Maximum height of the tenant's logo above the sign-in and sign-up forms.
 *
 * @fires member-error - The tenant's config could not be loaded (`action: 'config'`); widgets use defaults. With
 *   `code: 'ORIGIN_NOT_ALLOWED'` the page's origin is not allowed for the key: the widgets then show the site
 *   owner that message in place of their content.
 *
 * @example
 * <member-provider publishable-key="pk_…" api-url="https://api.example.org" locale="de">
 *   <member-signup></member-signup>
 * </member-provider>
 */
export class MemberProvider extends MemberkitElement {
  static override styles = memberProviderStyles;

  /** The tenant's publishable key (`pk_…`). */
  @property({ attribute: 'publishable-key' }) publishableKey?: string;

  /** Base URL of the Memberkit API, e.g. `https://api.example.org`. */
  @property({ attribute: 'api-url' }) apiUrl?: string;
  /**
   * Where the member's session is kept: `local` (default, localStorage: signed in
   * across pages and tabs) or `memory` (this page only: a reload signs out). Give
   * every provider and standalone element of a tenant on the page the same value.
   */
  @property({ attribute: 'session-storage' }) sessionStorage?: string;

  /**
   * BCP 47 locale of the widgets, e.g. `de` or `pt-BR`. Reflected to the host's `lang`
   * so CSS `:lang()` and assistive technology see it.
   */
  @property() locale?: string;

  /**
   * Records a `page.viewed` activity event (`path`, `title`) for the signed-in member,
   * once per page load, with the member's own token (`POST /v1/activity`). Visitors
   * who are not signed in when the page loads are not tracked, nor is the page a
   * visitor signs in on. Off by default; single-page apps call {@link trackPageView}
   * on their route changes.
   */
  @property({ type: Boolean, attribute: 'track-page-views' }) trackPageViews = false;

  /**
   * Brand tokens laid over the tenant's branding (a tenant's `branding` fits). Keys
   * left out keep the tenant's, the defaults or the page's CSS. A property, not an attribute.
   */
  @property({ attribute: false }) theme: Partial<MemberkitTheme> = {};

  /** The tenant's public config, once loaded. */
  @provide({ context: configContext })
  @state()
  config: PublicConfig = fallbackConfig;

  /** The complete theme, defaults filled in, for the elements inside. */
  @provide({ context: themeContext })
  protected resolvedTheme: MemberkitTheme = { ...defaultTheme };

  @provide({ context: stringsContext })
  protected strings: Strings = createStrings('en');

  @provide({ context: sessionContext })
  protected session?: WidgetSession;

  @provide({ context: clientContext })
  protected client?: Memberkit;

  /** Set when the widgets cannot work on this page (its origin is not allowed for the key): they show why instead. */
  @provide({ context: setupProblemContext })
  @state()
  protected setupProblem?: SetupProblem | undefined;

  /**
   * The tenant's logo (`branding.logo_url`), for the page's own header; null until the
   * config has loaded or when the tenant has none. `<member-login>` and `<member-signup>`
   * show it above their forms.
   */
  get logoUrl(): string | null {
    return this.config.tenant.logo_url ?? null;
  }

  /** The tenant's name (the logo's text alternative); empty until the config has loaded. */
  get tenantName(): string {
    return this.config.tenant.name;
  }

  /** Resolves when the config has loaded (or failed to, with the defaults in place). */
  get configReady(): Promise<PublicConfig> {
    return this.#configReady;
  }

  #configReady: Promise<PublicConfig> = Promise.resolve(fallbackConfig);
  #inlineTokens = new Set<keyof MemberkitTheme>();

  /**
   * Records a `page.viewed` event for the signed-in member now (the page's path and
   * title), e.g. on a single-page app's route change. Resolves to whether it was sent;
   * nothing is sent without a signed-in member, and a failure is only logged
   * (`console.debug`): tracking never gets in the page's way.
   */
  async trackPageView(): Promise<boolean> {
    const client = this.client;
    const member = this.session?.member;
    if (!client || !member) return false;
    const title = document.title.trim().slice(0, 200);
    try {
      await client.activity.record(
        {
          type: 'page.viewed',
          member_id: member.id,
          properties: { path: location.pathname, ...(title ? { title } : {}) },
        },
        { maxRetries: 1 },
      );
      return true;
    } catch (error) {
      console.debug('memberkit: page view not recorded', error);
      return false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('publishableKey') || changed.has('apiUrl') || changed.has('sessionStorage')) this.#connectRuntime();
    if (changed.has('trackPageViews') || changed.has('publishableKey') || changed.has('apiUrl')) this.#trackOnLoad();
    if (changed.has('theme') || changed.has('config')) {
      const branding = this.config.tenant.id ? this.config.branding : undefined;
      this.resolvedTheme = applyTheme(
        this,
        { ...(branding ?? {}), ...this.#definedTheme() },
        this.#inlineTokens,
        branding?.dark_mode,
      );
    }
    if (changed.has('locale') || changed.has('config')) {
      const loaded = Boolean(this.config.tenant.id);
      const locale = resolveLocale({
        requested: this.locale,
        tenantDefault: loaded ? this.config.locale.default : undefined,
        tenantSupported: loaded ? this.config.locale.supported : undefined,
        browser: navigator.languages,
      });
      this.strings = createStrings(locale, this.config.strings, this.config.locale.default);
      this.lang = locale;
    }
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }

  #definedTheme(): Partial<MemberkitTheme> {
    return Object.fromEntries(
      Object.entries(this.theme ?? {}).filter(([, value]) => value !== undefined && value !== null && value !== ''),
    );
  }

  /**
   * The automatic page view: once the stored session is restored, if a member is signed
   * in, one event per page load and tenant, however many providers the page has.
   */
  #trackOnLoad(): void {
    const client = this.client;
    const session = this.session;
    if (!this.trackPageViews || !client || !session || pageViewsTracked.has(client)) return;
    pageViewsTracked.add(client);
    void session.ready.then(
      () => (session.member ? this.trackPageView() : false),
      () => false,
    );
  }

  #connectRuntime(): void {
    if (!this.publishableKey || !this.apiUrl) return;
    const runtime = getRuntime(this.apiUrl, this.publishableKey, sessionStorageKind(this.sessionStorage));
    this.session = runtime.session;
    this.client = runtime.client;
    this.#configReady = runtime.config.then(
      (config) => {
        if (runtime.publishableKey === this.publishableKey) {
          this.config = config;
          this.setupProblem = undefined;
        }
        return config;
      },
      (error: unknown) => {
        const problem = setupProblemOf(error);
        if (runtime.publishableKey === this.publishableKey) this.setupProblem = problem;
        this.emit('member-error', {
          action: 'config',
          code: problem?.code ?? 'CONFIG_UNAVAILABLE',
          status: (error as { status?: number }).status ?? 0,
          message: error instanceof Error ? error.message : String(error),
        });
        return fallbackConfig;
      },
    );
  }
}

defineElement('member-provider', MemberProvider);

declare global {
  interface HTMLElementTagNameMap {
    'member-provider': MemberProvider;
  }
}
