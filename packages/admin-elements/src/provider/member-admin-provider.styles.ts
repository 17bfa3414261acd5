import { css } from 'lit';

/** Styles of `<member-admin-provider>`: it renders no box of its own. */
export const memberAdminProviderStyles = css`
  :host {
    display: contents;
  }

  :host([hidden]) {
    display: none;
  }
`;
