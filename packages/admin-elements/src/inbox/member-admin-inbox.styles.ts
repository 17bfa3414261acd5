import { css } from 'lit';

/** Styles of `<member-admin-inbox>`: the conversation list beside the open thread (stacked on narrow screens). */
export const memberAdminInboxStyles = css`
  .inbox {
    display: grid;
    grid-template-columns: minmax(240px, 1fr) 2fr;
    gap: 16px;
    min-height: 420px;
  }
  @media (max-width: 720px) {
    .inbox {
      grid-template-columns: 1fr;
    }
  }
  h2,
  h3 {
    margin: 0 0 8px;
    font-size: 1.1em;
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: end;
    margin-bottom: 8px;
  }
  label.inline {
    display: flex;
    gap: 6px;
    align-items: center;
    font-weight: 400;
  }
  ul[part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    max-height: 70vh;
    overflow: auto;
  }
  ul[part='list'] li + li {
    border-top: 1px solid var(--_line);
  }
  ul[part='list'] button {
    display: grid;
    gap: 2px;
    width: 100%;
    text-align: start;
    border: 0;
    border-radius: 0;
    padding: 8px 12px;
  }
  ul[part='list'] button[aria-current='true'] {
    background: color-mix(in srgb, var(--_primary) 10%, var(--_bg));
  }
  ul[part='list'] button.unread .who,
  ul[part='list'] button.unread .preview {
    font-weight: 700;
  }
  .row1,
  .meta {
    display: flex;
    gap: 8px;
    align-items: center;
    justify-content: space-between;
  }
  .meta {
    justify-content: start;
    color: var(--_muted);
    font-size: 12px;
  }
  .preview,
  .subject {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  time {
    color: var(--_muted);
    font-size: 12px;
  }
  .count {
    min-width: 20px;
    padding: 0 6px;
    border-radius: 999px;
    background: var(--_primary);
    color: #fff;
    font-weight: 700;
    text-align: center;
  }
  .thread-pane {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-width: 0;
  }
  .thread-pane header {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: space-between;
    align-items: start;
  }
  .thread-pane header p {
    margin: 0;
  }
  .thread-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .messages {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
    max-height: 55vh;
    overflow: auto;
  }
  .message {
    padding: 8px 12px;
    border-radius: var(--_radius);
    background: var(--_subtle);
    border: 1px solid var(--_line);
    max-width: 85%;
  }
  .message.staff {
    justify-self: end;
    background: color-mix(in srgb, var(--_primary) 8%, var(--_bg));
  }
  .message .head {
    display: flex;
    gap: 8px;
    align-items: baseline;
  }
  .message .body {
    margin: 4px 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .message .deleted {
    font-style: italic;
    color: var(--_muted);
  }
  .message .confirm {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    margin-top: 4px;
  }
  button.link {
    border: 0;
    padding: 2px 0;
    background: none;
    text-decoration: underline;
    font-size: 12px;
  }
  .typing {
    min-height: 1.4em;
    margin: 0;
    color: var(--_muted);
    font-style: italic;
  }
  .reply {
    display: grid;
    gap: 6px;
  }
  .reply textarea {
    width: 100%;
    resize: vertical;
  }
  .reply .actions {
    display: flex;
    justify-content: end;
  }
  .state {
    color: var(--_muted);
    padding: 12px 0;
  }
`;
