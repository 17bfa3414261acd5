import { css } from 'lit';

/** Styles of `<member-admin-accept-invite>`: one narrow card with the password form. */
export const memberAdminAcceptInviteStyles = css`
  :host {
    max-width: 380px;
  }

  .card {
    display: grid;
    gap: 12px;
    padding: 24px;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }

  h2 {
    margin: 0;
    font-size: 1.2em;
  }

  p {
    margin: 0;
  }

  form {
    display: grid;
    gap: 12px;
  }

  .field {
    display: grid;
    gap: 4px;
  }

  .field label {
    display: block;
  }

  a {
    color: var(--_primary);
  }

  [tabindex='-1']:focus {
    outline: none;
  }
`;
