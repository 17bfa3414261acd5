import { css } from 'lit';

/** Styles of `<member-admin-provider>`: no box of its own, except the sign-in form. */
export const memberAdminProviderStyles = css`
  :host {
    display: contents;
  }

  :host([hidden]) {
    display: none;
  }

  .login {
    display: grid;
    gap: 12px;
    max-width: 320px;
    padding: 24px;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    font-family: var(--mk-font-family, system-ui, sans-serif);
  }

  .login h2 {
    margin: 0;
    font-size: 1.2em;
  }
`;
