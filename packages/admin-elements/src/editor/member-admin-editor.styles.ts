import { css } from 'lit';

/** Styles of `<member-admin-editor>`: a modal side panel on the right. */
export const memberAdminEditorStyles = css`
  :host {
    display: contents;
  }
  dialog {
    margin: 0 0 0 auto;
    height: 100vh;
    max-height: 100vh;
    width: min(440px, 100vw);
    border: 0;
    border-left: 1px solid var(--_line);
    padding: 16px 20px;
    color: var(--_text);
    background: var(--_bg);
    font-family: var(--mk-font-family, system-ui, sans-serif);
    font-size: 14px;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 30%);
  }
  header {
    display: flex;
    justify-content: space-between;
    align-items: center;
  }
  h2 {
    margin: 0;
    font-size: 1.25em;
  }
  form,
  form > fieldset {
    display: grid;
    gap: 12px;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0;
    min-width: 0;
  }
  fieldset.custom,
  fieldset fieldset {
    border-top: 1px solid var(--_line);
    padding-top: 8px;
    display: grid;
    gap: 8px;
  }
  legend {
    font-weight: 600;
  }
  label.inline {
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 400;
  }
  .actions {
    display: flex;
    justify-content: flex-end;
  }
  .billing {
    margin-top: 20px;
    padding-top: 12px;
    border-top: 1px solid var(--_line);
  }
  .history {
    margin-top: 20px;
    border-top: 1px solid var(--_line);
  }
  .history ol {
    padding-left: 18px;
    display: grid;
    gap: 6px;
  }
  .diff {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .changed-elsewhere {
    display: grid;
    gap: 8px;
    margin: 12px 0;
    padding: 10px 12px;
    border: 1px solid color-mix(in srgb, var(--mk-color-highlight, #facc15) 70%, var(--_text));
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--mk-color-highlight, #facc15) 15%, var(--_bg));
  }
  .changed-elsewhere p {
    margin: 0;
  }
  .changed-elsewhere .actions {
    display: flex;
    gap: 8px;
  }
`;
