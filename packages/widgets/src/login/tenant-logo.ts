import { css, html, nothing, type TemplateResult } from 'lit';
import type { PublicConfig } from '../config/public-config.js';

/**
 * The tenant's logo above a sign-in or sign-up form (`branding.logo_url`, which the
 * public config also gives as `tenant.logo_url`): named by the tenant's name for
 * screen readers, nothing at all when the tenant has no logo.
 */
export function renderTenantLogo(config: PublicConfig): TemplateResult | typeof nothing {
  const url = config.tenant.logo_url;
  return url ? html`<img part="logo" class="logo" src=${url} alt=${config.tenant.name} />` : nothing;
}

/** Its size: at most `--mk-logo-height` tall (48px by default), never wider than the form. */
export const tenantLogoStyles = css`
  .logo {
    display: block;
    max-width: 100%;
    max-height: var(--mk-logo-height, 48px);
    margin-bottom: var(--_space);
  }
`;
