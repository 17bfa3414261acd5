import { MemberkitElement, defineElement } from '@memberkit/widgets/internal';
import { html, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { isAdminRole, type AdminRole } from './admin-role.js';
import { memberAdminProviderStyles } from './member-admin-provider.styles.js';

/**
 * Wraps a tenant's admin screens and tells the admin elements inside who is using
 * them (later also the client and session, through `@lit/context`).
 *
 * The role lives in `adminRole` / `admin-role`, not `role`: `role` is the ARIA role
 * attribute every element has, and `role="owner"` would be an invalid ARIA role.
 *
 * @slot - The admin screen content.
 *
 * @example
 * <member-admin-provider admin-role="manager">
 *   <member-admin-members></member-admin-members>
 * </member-admin-provider>
 */
export class MemberAdminProvider extends MemberkitElement {
  static override styles = memberAdminProviderStyles;

  /**
   * Role of the person using the admin elements. Reflected as the `admin-role`
   * attribute; an unknown value reads as `viewer`, the least powerful role.
   */
  @property({
    attribute: 'admin-role',
    reflect: true,
    converter: { fromAttribute: (value: string | null): AdminRole => (isAdminRole(value) ? value : 'viewer') },
  })
  adminRole: AdminRole = 'viewer';

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}

defineElement('member-admin-provider', MemberAdminProvider);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-provider': MemberAdminProvider;
  }
}
