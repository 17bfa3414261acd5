import { css } from 'lit';

/** Styles of `<member-billing>` beyond the shared widget styles. */
export const billingStyles = css`
  section {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    border-top: 1px solid var(--_border);
    padding-top: var(--_space);
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  .card {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    align-items: center;
    justify-content: space-between;
    overflow-wrap: anywhere;
  }
  .badge {
    font-size: 0.8rem;
    font-weight: 600;
    border: 1px solid var(--_primary);
    border-radius: 999px;
    padding: 0 calc(var(--_space) * 0.5);
  }
  .panel {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    border: 2px solid var(--_primary);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.75);
  }
  .panel.danger {
    border-color: var(--_danger);
  }
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.95rem;
  }
  th,
  td {
    text-align: left;
    padding: calc(var(--_space) * 0.25) calc(var(--_space) * 0.5);
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  td.amount,
  th.amount {
    text-align: right;
    white-space: nowrap;
  }
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.75);
    width: 100%;
    min-height: 4rem;
  }
  progress {
    width: 100%;
    height: 0.75rem;
    accent-color: var(--_primary);
  }
  .meter {
    display: grid;
    gap: calc(var(--_space) * 0.25);
  }
`;
