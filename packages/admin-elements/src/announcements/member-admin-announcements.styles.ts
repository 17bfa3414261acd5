import { css } from 'lit';

/** Styles of `<member-admin-announcements>`: the composer above the list. */
export const memberAdminAnnouncementsStyles = css`
  h2,
  h3,
  h4 {
    margin: 0 0 8px;
  }
  .composer {
    display: grid;
    gap: 12px;
    padding: 12px;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    margin-bottom: 12px;
  }
  .composer input[name='title'],
  .composer textarea {
    width: 100%;
  }
  .composer textarea {
    resize: vertical;
  }
  .mode {
    display: flex;
    gap: 4px;
    margin-bottom: 6px;
  }
  .mode button[aria-pressed='true'] {
    border-color: var(--_primary);
    color: var(--_primary);
    font-weight: 600;
  }
  .preview,
  article .body {
    overflow-wrap: anywhere;
  }
  .preview {
    min-height: 160px;
    padding: 8px 12px;
    border: 1px dashed var(--_line);
    border-radius: var(--_radius);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 16px;
    align-items: start;
  }
  fieldset {
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    margin: 0;
    padding: 8px 12px;
  }
  fieldset p {
    margin: 0 0 4px;
  }
  label.inline {
    display: flex;
    gap: 6px;
    align-items: center;
    font-weight: 400;
  }
  .actions,
  .post-actions,
  .confirm {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .actions {
    justify-content: end;
  }
  .note:empty {
    display: none;
  }
  [role='tablist'] {
    display: flex;
    gap: 4px;
    border-bottom: 1px solid var(--_line);
    margin-bottom: 8px;
  }
  [role='tab'] {
    border: 0;
    border-bottom: 2px solid transparent;
    border-radius: 0;
  }
  [role='tab'][aria-selected='true'] {
    border-bottom-color: var(--_primary);
    font-weight: 600;
  }
  ul[part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 12px;
  }
  article {
    padding: 12px;
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
  }
  article header {
    display: grid;
    gap: 4px;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    color: var(--_muted);
    font-size: 12px;
  }
  blockquote {
    margin: 8px 0;
    padding-left: 12px;
    border-left: 3px solid var(--_line);
  }
  pre {
    overflow: auto;
    padding: 8px;
    background: var(--_subtle);
    border-radius: var(--_radius);
  }
  .mention {
    color: var(--_primary);
    font-weight: 600;
  }
  .state {
    color: var(--_muted);
  }
`;
