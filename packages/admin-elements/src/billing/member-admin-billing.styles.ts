import { css } from 'lit';

/**
 * Badges of subscription and invoice statuses (shared by the billing section and the
 * subscriptions view). Colors chosen for at least 4.5:1 contrast on their tint.
 */
export const billingBadgeStyles = css`
  .badge[data-sub-status='active'],
  .badge[data-sub-status='trialing'],
  .badge[data-invoice-status='paid'] {
    background: #dcfce7;
    color: #14532d;
  }
  .badge[data-sub-status='comp'] {
    background: #e0e7ff;
    color: #312e81;
  }
  .badge[data-sub-status='past_due'],
  .badge[data-sub-status='incomplete'],
  .badge[data-invoice-status='open'] {
    background: #fef9c3;
    color: #713f12;
  }
  .badge[data-sub-status='unpaid'],
  .badge[data-invoice-status='uncollectible'] {
    background: #fee2e2;
    color: #7f1d1d;
  }
  .badge[data-sub-status='canceled'],
  .badge[data-sub-status='incomplete_expired'],
  .badge[data-sub-status='paused'],
  .badge[data-invoice-status='void'],
  .badge[data-invoice-status='draft'] {
    background: #e5e7eb;
    color: #1f2937;
  }
`;

/** Styles of `<member-admin-billing>`. */
export const memberAdminBillingStyles = [
  billingBadgeStyles,
  css`
    :host {
      background: transparent;
    }
    section {
      display: grid;
      gap: 8px;
    }
    h3 {
      margin: 0;
      font-size: 1.1em;
    }
    h4 {
      margin: 8px 0 0;
      font-size: 1em;
    }
    h5 {
      margin: 0;
      font-size: 1em;
    }
    .details {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 12px;
      margin: 0;
    }
    .details > div {
      display: contents;
    }
    dt {
      color: var(--_muted);
    }
    dd {
      margin: 0;
    }
    .empty {
      color: var(--_muted);
      margin: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      justify-content: flex-end;
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-size: 13px;
    }
    th,
    td {
      text-align: left;
      padding: 4px 6px;
      border-bottom: 1px solid var(--_line);
      white-space: nowrap;
    }
    th.num,
    td.num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    td.links {
      display: flex;
      gap: 8px;
    }
    a {
      color: var(--_primary);
    }
    .panel {
      display: grid;
      gap: 10px;
      padding: 12px;
      border: 1px solid var(--_line);
      border-radius: var(--_radius);
      background: var(--_subtle);
    }
    .panel p {
      margin: 0;
    }
    fieldset {
      border: 0;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 6px;
    }
    label.inline {
      display: flex;
      align-items: center;
      gap: 8px;
      font-weight: 400;
    }
    button.danger-fill {
      background: var(--_danger);
      border-color: var(--_danger);
    }
    .notice {
      margin: 0;
      padding: 6px 8px;
      border-radius: var(--_radius);
      background: #dcfce7;
      color: #14532d;
    }
  `,
];
