import { css } from 'lit';

/** Styles the community elements share beyond the widget styles: text areas, lists of items, badges, small buttons. */
export const communityStyles = css`
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.75);
    width: 100%;
    min-width: 0;
    min-height: 4.5em;
    resize: vertical;
  }
  ul.items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  .item {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
    display: grid;
    gap: calc(var(--_space) * 0.35);
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .meta {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .badge {
    display: inline-block;
    min-width: 1.4em;
    padding: 0 0.4em;
    border-radius: 999px;
    background: var(--_danger);
    color: #ffffff;
    font-size: 0.75rem;
    font-weight: 700;
    line-height: 1.4em;
    text-align: center;
  }
  .tag {
    display: inline-block;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 0 0.5em;
    font-size: 0.8rem;
    color: var(--_muted);
  }
  button.small {
    padding: calc(var(--_space) * 0.2) calc(var(--_space) * 0.5);
    font-size: 0.875rem;
    font-weight: 500;
  }
  .body p,
  .body ul,
  .body ol,
  .body blockquote,
  .body h4,
  .body h5,
  .body h6 {
    margin: 0 0 0.5em;
  }
  .body blockquote {
    border-left: 3px solid var(--_border);
    padding-left: 0.75em;
    color: var(--_muted);
  }
  .mention {
    font-weight: 600;
    color: var(--_primary);
  }
`;
