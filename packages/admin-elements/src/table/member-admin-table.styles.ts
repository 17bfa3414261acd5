import { css } from 'lit';

/**
 * Styles of `<member-admin-table>`. Fixed table layout and rows of one fixed height
 * (`--_row-height`): 50 rows lay out in one pass, and a row never grows with its
 * content. Every cell stays on one line (text ellipsized, tags collapsed into "+N"),
 * and what is in a row has heights in px (line heights, avatar, buttons), so the
 * row's height does not depend on the font either.
 */
export const memberAdminTableStyles = css`
  :host {
    --_row-height: 52px;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: end;
    margin-bottom: 8px;
  }
  .toolbar .search {
    flex: 1 1 220px;
  }
  .toolbar .spacer {
    flex: 1;
  }
  details {
    position: relative;
  }
  summary {
    cursor: pointer;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    padding: 6px 12px;
    list-style: none;
    user-select: none;
  }
  summary::-webkit-details-marker {
    display: none;
  }
  .popover {
    position: absolute;
    z-index: 3;
    top: calc(100% + 4px);
    left: 0;
    display: grid;
    gap: 8px;
    min-width: 240px;
    padding: 12px;
    background: var(--_bg);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    box-shadow: 0 8px 24px rgb(0 0 0 / 12%);
  }
  .columns .popover label {
    display: flex;
    gap: 8px;
    align-items: center;
    font-weight: 400;
  }
  .bulk {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    padding: 8px;
    margin-bottom: 8px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_primary) 8%, var(--_bg));
  }
  .bulk label {
    display: flex;
    align-items: center;
    gap: 6px;
  }
  .summary-line {
    margin: 4px 0 8px;
    color: var(--_muted);
  }
  .scroll {
    overflow-x: auto;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    table-layout: fixed;
  }
  th,
  td {
    padding: 8px;
    text-align: left;
    border-bottom: 1px solid var(--_line);
    overflow: hidden;
    text-overflow: ellipsis;
    vertical-align: middle;
  }
  th {
    font-weight: 600;
    background: var(--_subtle);
    white-space: nowrap;
  }
  th button {
    border: 0;
    background: none;
    padding: 0;
    font-weight: 600;
  }
  th.check,
  td.check {
    width: 40px;
  }
  th.col-member {
    width: 30%;
  }
  th.col-actions {
    width: 170px;
  }
  tbody tr {
    height: var(--_row-height);
    contain: layout style;
  }
  tbody td {
    height: var(--_row-height);
    padding-top: 0;
    padding-bottom: 0;
    white-space: nowrap;
    line-height: 20px;
  }
  .tag-line {
    display: flex;
    gap: 4px;
    min-width: 0;
    overflow: hidden;
  }
  .tag-line .tag {
    flex: 0 1 auto;
    min-width: 0;
    margin: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    line-height: 18px;
  }
  .tag-line .more {
    flex: none;
    cursor: default;
  }
  tbody tr:hover,
  tbody tr.selected {
    background: color-mix(in srgb, var(--_primary) 6%, var(--_bg));
  }
  tbody tr:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: -2px;
  }
  table[aria-busy='true'] tbody {
    opacity: 0.6;
  }
  .member {
    display: flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    border-radius: 50%;
    color: #fff;
    font-size: 12px;
    font-weight: 700;
  }
  .avatar[data-hue='0'] {
    background: #3730a3;
  }
  .avatar[data-hue='1'] {
    background: #065f46;
  }
  .avatar[data-hue='2'] {
    background: #9a3412;
  }
  .avatar[data-hue='3'] {
    background: #6b21a8;
  }
  .avatar[data-hue='4'] {
    background: #1e40af;
  }
  .avatar[data-hue='5'] {
    background: #9f1239;
  }
  .avatar[data-hue='6'] {
    background: #115e59;
  }
  .who {
    min-width: 0;
  }
  .who .name,
  .who .email {
    display: block;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .who .email {
    color: var(--_muted);
    font-size: 0.9em;
    line-height: 18px;
  }
  .row-actions {
    display: flex;
    gap: 4px;
  }
  .row-actions button {
    padding: 2px 8px;
    line-height: 20px;
  }
  .skeleton span {
    display: block;
    height: 12px;
    border-radius: 4px;
    background: linear-gradient(90deg, var(--_line), var(--_subtle), var(--_line));
    background-size: 200% 100%;
    animation: shimmer 1.2s linear infinite;
  }
  @keyframes shimmer {
    to {
      background-position: -200% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton span {
      animation: none;
    }
  }
  .state {
    padding: 32px 16px;
    text-align: center;
  }
  .pager {
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: flex-end;
    margin-top: 8px;
  }
  .pager label {
    display: flex;
    align-items: center;
    gap: 6px;
    font-weight: 400;
  }
  dialog {
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    max-width: 480px;
    color: var(--_text);
    background: var(--_bg);
  }
  dialog .actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
    margin-top: 12px;
  }
  dialog ul {
    max-height: 240px;
    overflow: auto;
    padding-left: 20px;
  }
  /* A row a live event changed: a tint that fades (a static tint without motion). */
  tbody tr.live-changed {
    animation: mk-live-flash 2.4s ease-out;
  }
  @keyframes mk-live-flash {
    from {
      background: color-mix(in srgb, var(--mk-color-highlight, #facc15) 35%, var(--_bg));
    }
    to {
      background: transparent;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    tbody tr.live-changed {
      animation: none;
      background: color-mix(in srgb, var(--mk-color-highlight, #facc15) 18%, var(--_bg));
    }
  }
  .live-notice {
    display: flex;
    gap: 8px;
    align-items: center;
    margin: 0 0 8px;
    padding: 6px 12px;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    background: var(--_subtle);
  }
`;
