import { css } from 'lit';

/**
 * Styles every admin element shares: theme tokens with defaults (the same `--mk-*`
 * tokens as the widgets), buttons, fields, badges, visually hidden text.
 */
export const sharedStyles = css`
  :host {
    --_primary: var(--mk-color-primary, #4f46e5);
    --_bg: var(--mk-color-background, #ffffff);
    --_text: var(--mk-color-text, #111827);
    --_danger: var(--mk-color-danger, #b91c1c);
    --_radius: var(--mk-radius, 8px);
    --_muted: color-mix(in srgb, var(--_text) 65%, var(--_bg));
    --_line: color-mix(in srgb, var(--_text) 15%, var(--_bg));
    --_subtle: color-mix(in srgb, var(--_text) 4%, var(--_bg));
    display: block;
    font-family: var(--mk-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_text);
    background: var(--_bg);
    font-size: 14px;
    line-height: 1.4;
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    border: 1px solid var(--_line);
    background: var(--_bg);
    border-radius: var(--_radius);
    padding: 6px 12px;
    cursor: pointer;
  }
  button.primary {
    background: var(--_primary);
    border-color: var(--_primary);
    color: #fff;
  }
  button.danger {
    color: var(--_danger);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }
  input,
  select,
  textarea {
    border: 1px solid color-mix(in srgb, var(--_text) 40%, var(--_bg));
    border-radius: var(--_radius);
    padding: 6px 8px;
    background: var(--_bg);
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  label {
    display: grid;
    gap: 4px;
    font-weight: 500;
  }
  .error {
    color: var(--_danger);
    font-weight: 400;
  }
  .hint {
    color: var(--_muted);
    font-weight: 400;
    font-size: 0.9em;
  }
  .badge {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 999px;
    font-size: 12px;
    font-weight: 600;
    white-space: nowrap;
  }
  /* Colors chosen for at least 4.5:1 contrast on their tint. */
  .badge[data-status='active'] {
    background: #dcfce7;
    color: #14532d;
  }
  .badge[data-status='pending'] {
    background: #fef9c3;
    color: #713f12;
  }
  .badge[data-status='inactive'] {
    background: #e5e7eb;
    color: #1f2937;
  }
  .badge[data-status='suspended'] {
    background: #fee2e2;
    color: #7f1d1d;
  }
  .tag {
    display: inline-block;
    padding: 0 6px;
    margin: 1px 2px 1px 0;
    border-radius: 4px;
    background: var(--_subtle);
    border: 1px solid var(--_line);
    font-size: 12px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
