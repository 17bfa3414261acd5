import { LitElement } from 'lit';

declare global {
  /**
   * Detail types of Memberkit's custom events, by event name. Each element adds its
   * own `member-<verb>` events here (and to `HTMLElementEventMap`, for listeners).
   *
   * @example
   * declare global {
   *   interface MemberkitEventMap { 'member-signup': { memberId: string } }
   *   interface HTMLElementEventMap { 'member-signup': CustomEvent<{ memberId: string }> }
   * }
   */
  interface MemberkitEventMap {}
}

/**
 * Registers a custom element unless the tag is already taken, so loading Memberkit
 * twice (two bundles, a script tag and an import) does not throw
 * `NotSupportedError`. The first registration wins.
 *
 * @example
 * defineElement('member-provider', MemberProvider);
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  if (customElements.get(tag)) return;
  customElements.define(tag, ctor);
}

/** Options of {@link MemberkitElement.emit}; Memberkit events bubble and are composed unless told otherwise. */
export interface EmitOptions {
  /** Whether the event can be cancelled with `preventDefault()`. Default false. */
  cancelable?: boolean;
  /** Whether the event bubbles. Default true. */
  bubbles?: boolean;
  /** Whether the event crosses shadow roots. Default true. */
  composed?: boolean;
}

/**
 * Base class of every Memberkit element: a `LitElement` with typed event dispatch.
 * Register subclasses with {@link defineElement}, never `@customElement`, which
 * throws when the tag is already defined.
 */
export class MemberkitElement extends LitElement {
  /**
   * Dispatches a `CustomEvent` that bubbles and crosses shadow roots, so a page can
   * listen on any ancestor. Fire on user action or finished async work, never because
   * code set a property.
   *
   * @returns the event, to check `defaultPrevented` for cancelable ones.
   * @example
   * this.emit('member-signup', { memberId: member.id });
   */
  emit<K extends keyof MemberkitEventMap>(
    name: K,
    detail: MemberkitEventMap[K],
    options: EmitOptions = {},
  ): CustomEvent<MemberkitEventMap[K]> {
    const event = new CustomEvent(name, {
      detail,
      bubbles: options.bubbles ?? true,
      composed: options.composed ?? true,
      cancelable: options.cancelable ?? false,
    });
    this.dispatchEvent(event);
    return event;
  }
}
