import { css } from 'lit';

/** Styles of `<member-signup>` beyond the shared widget styles. */
export const signupStyles = css`
  fieldset .check + .check {
    margin-top: calc(var(--_space) * 0.25);
  }
`;
