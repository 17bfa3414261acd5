import { css } from 'lit';

/** Styles of `<member-profile>` beyond the shared widget styles. */
export const profileStyles = css`
  section {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    border-top: 1px solid var(--_border);
    padding-top: var(--_space);
  }
  .sessions {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  .sessions li {
    display: grid;
    overflow-wrap: anywhere;
  }
  .confirm {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    border: 2px solid var(--_danger);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
  }
`;
