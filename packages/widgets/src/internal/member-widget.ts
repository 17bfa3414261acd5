import { ContextConsumer } from '@lit/context';
import { MemberkitError, type Memberkit } from '@memberkit/sdk';
import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { configContext, fallbackConfig, type PublicConfig } from '../config/public-config.js';
import { resolveLocale } from '../i18n/locale.js';
import { createStrings, stringsContext, type Strings } from '../i18n/strings.js';
import { applyTheme } from '../provider/apply-theme.js';
import { clientContext, getRuntime } from '../runtime/runtime.js';
import { sessionStorageKind } from '../runtime/session-adapter.js';
import { sessionContext, type Member, type WidgetSession } from '../runtime/widget-session.js';
import './events.js';
import { MemberkitElement } from '@memberkit/elements-core';
import { describeSetupProblem, setupProblemContext, setupProblemOf, type SetupProblem } from './setup-problem.js';
import { widgetStyles } from './widget-styles.js';

/** The nearest `<member-provider>` around `node`, looking through shadow roots. */
function findProvider(node: Node): Element | null {
  let current: Node | null = node.parentNode;
  while (current) {
    if (current instanceof Element && current.localName === 'member-provider') return current;
    current = current instanceof ShadowRoot ? current.host : current.parentNode;
  }
  return null;
}

/**
 * Base of the member widgets. Inside a `<member-provider>` it takes the client,
 * session, config and strings from it (through `@lit/context`, also when the provider
 * is defined after the widget); without one, it makes them from its own
 * `publishable-key`, `api-url` and `locale` attributes (sharing them with other
 * standalone widgets of the same key) and applies the tenant's theme to itself.
 *
 * @cssproperty [--mk-color-primary=#4f46e5] - Buttons, links and focus rings.
 * @cssproperty [--mk-color-background=#ffffff] - The widget's surface.
 * @cssproperty [--mk-color-text=#111827] - Body text.
 * @cssproperty [--mk-color-danger=#b91c1c] - Errors and destructive actions.
 * @cssproperty [--mk-color-on-primary=#ffffff] - Text on primary-coloured buttons.
 * @cssproperty [--mk-font-family=system-ui, …] - Font.
 * @cssproperty [--mk-radius=8px] - Corner radius.
 * @cssproperty [--mk-space=16px] - Base spacing unit.
 */
export class MemberWidget extends MemberkitElement {
  static override styles = [widgetStyles];

  /** Publishable key (`pk_…`) when used without a `<member-provider>`. */
  @property({ attribute: 'publishable-key' }) publishableKey?: string;
  /** Base URL of the Memberkit API when used without a `<member-provider>`. */
  @property({ attribute: 'api-url' }) apiUrl?: string;
  /**
   * Where the member's session is kept: `local` (default, localStorage: signed in
   * across pages and tabs) or `memory` (this page only: a reload signs out). Give
   * every provider and standalone element of a tenant on the page the same value.
   */
  @property({ attribute: 'session-storage' }) sessionStorage?: string;
  /** BCP 47 locale; overrides the provider's. */
  @property() locale?: string;

  /** The tenant's public config (defaults until it has loaded). */
  @state() protected config: PublicConfig = fallbackConfig;
  /** Strings in the widget's language. */
  @state() protected strings: Strings = createStrings('en');
  @state() protected session?: WidgetSession | undefined;
  /** The signed-in member, or null. */
  @state() protected member: Member | null = null;
  /** True once the stored session was restored, so signed-out views do not flash. */
  @state() protected sessionReady = false;
  /** The SDK client (publishable key; the member's token once signed in). */
  protected client?: Memberkit | undefined;
  /**
   * What keeps the widget from working on this page at all (its origin is not allowed
   * for the key), found when the config loaded; subclasses render
   * {@link renderSetupProblem} in place of their content while it is set.
   */
  @state() protected setupProblem?: SetupProblem | undefined;

  #providerStrings?: Strings;
  #consuming = false;
  #standalone = false;
  #unsubscribe?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    const provider = findProvider(this);
    if (provider) {
      if (customElements.get('member-provider')) this.#consume();
      else void customElements.whenDefined('member-provider').then(() => this.isConnected && this.#consume());
    } else {
      // Attributes arrive before connection: willUpdate sets the runtime up.
      this.#standalone = true;
    }
    this.#watchSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  // Untyped: `PropertyValues<this>` does not see protected state.
  protected override willUpdate(changed: PropertyValues): void {
    if (this.#standalone && (changed.has('publishableKey') || changed.has('apiUrl') || changed.has('sessionStorage')))
      this.#initStandalone();
    if (changed.has('session')) this.#watchSession();
    if (changed.has('locale') || changed.has('config')) this.#updateStrings();
  }

  /** The setup problem as an alert for the site owner, for `render()` to return in place of the widget. */
  protected renderSetupProblem(problem: SetupProblem): TemplateResult {
    return html`<div part="base"><p class="alert error" role="alert" part="message">${describeSetupProblem(problem, this.strings)}</p></div>`;
  }

  /** Fires `member-error` for a failed action; returns the error for chaining. */
  protected reportError(action: string, error: unknown): void {
    const e = error instanceof MemberkitError ? error : undefined;
    this.emit('member-error', {
      action,
      code: e?.code ?? 'UNKNOWN',
      status: e?.status ?? 0,
      message: e?.message ?? (error instanceof Error ? error.message : String(error)),
      requestId: e?.requestId,
    });
  }

  #consume(): void {
    if (this.#consuming) return;
    this.#consuming = true;
    new ContextConsumer(this, {
      context: configContext,
      subscribe: true,
      callback: (value) => (this.config = value ?? fallbackConfig),
    });
    new ContextConsumer(this, {
      context: stringsContext,
      subscribe: true,
      callback: (value) => {
        this.#providerStrings = value;
        this.#updateStrings();
      },
    });
    new ContextConsumer(this, {
      context: sessionContext,
      subscribe: true,
      callback: (value) => (this.session = value),
    });
    new ContextConsumer(this, { context: clientContext, subscribe: true, callback: (value) => (this.client = value) });
    new ContextConsumer(this, {
      context: setupProblemContext,
      subscribe: true,
      callback: (value) => (this.setupProblem = value),
    });
  }

  #initStandalone(): void {
    if (!this.publishableKey || !this.apiUrl) return;
    const runtime = getRuntime(this.apiUrl, this.publishableKey, sessionStorageKind(this.sessionStorage));
    this.session = runtime.session;
    this.client = runtime.client;
    runtime.config.then(
      (config) => {
        this.config = config;
        this.setupProblem = undefined;
        applyTheme(this, config.branding, new Set());
      },
      (error: unknown) => {
        this.setupProblem = setupProblemOf(error);
        this.reportError('config', error);
      },
    );
  }

  #updateStrings(): void {
    if (this.#providerStrings && !this.locale) {
      this.strings = this.#providerStrings;
      return;
    }
    const locale = resolveLocale({
      requested: this.locale,
      tenantDefault: this.config.tenant.id ? this.config.locale.default : undefined,
      tenantSupported: this.config.tenant.id ? this.config.locale.supported : undefined,
      browser: navigator.languages,
    });
    if (this.strings.locale !== locale || this.#standalone)
      this.strings = createStrings(locale, this.config.strings, this.config.locale.default);
    if (!this.#providerStrings || this.locale) this.lang = locale;
  }

  #watchSession(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const session = this.session;
    if (!session || !this.isConnected) return;
    this.member = session.member;
    this.#unsubscribe = session.subscribe((member) => {
      this.member = member;
    });
    void session.ready.then(() => {
      if (this.session !== session) return;
      this.member = session.member;
      this.sessionReady = true;
    });
  }
}
