import { css } from 'lit';

/**
 * Styles every member widget shares. They read only `--mk-*` tokens (with the
 * defaults as fallbacks, so an element works without a provider) and stay inside the
 * shadow root: nothing leaks into the page, and page CSS reaches in only through the
 * tokens and `::part()`.
 */
export const widgetStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    max-width: 100%;
    color: var(--mk-color-text, #111827);
    font-family: var(--mk-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 1rem;
    line-height: 1.5;
    --_space: var(--mk-space, 16px);
    --_radius: var(--mk-radius, 8px);
    --_primary: var(--mk-color-primary, #4f46e5);
    --_bg: var(--mk-color-background, #ffffff);
    --_danger: var(--mk-color-danger, #b91c1c);
    --_muted: color-mix(in srgb, var(--mk-color-text, #111827) 72%, var(--_bg));
    --_border: color-mix(in srgb, var(--mk-color-text, #111827) 45%, var(--_bg));
  }
  :host([hidden]) {
    display: none;
  }
  /* Standalone widgets carry the scheme themselves; inside a provider they inherit it. */
  :host([color-scheme='dark']) {
    color-scheme: dark;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [part~='base'] {
    background: var(--_bg);
    border-radius: var(--_radius);
    padding: var(--_space);
    display: grid;
    gap: var(--_space);
    min-width: 0;
  }
  h2,
  h3 {
    margin: 0;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  p {
    margin: 0;
  }
  form {
    display: grid;
    gap: calc(var(--_space) * 0.75);
    margin: 0;
  }
  .field {
    display: grid;
    gap: calc(var(--_space) * 0.25);
    min-width: 0;
  }
  .row {
    display: grid;
    gap: calc(var(--_space) * 0.75);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr));
  }
  label,
  legend {
    font-weight: 600;
    font-size: 0.95rem;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  .check {
    display: flex;
    gap: calc(var(--_space) * 0.5);
    align-items: flex-start;
    font-weight: 400;
  }
  .check input {
    margin-top: 0.3em;
    accent-color: var(--_primary);
  }
  input:not([type='checkbox']):not([type='radio']),
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.75);
    width: 100%;
    min-width: 0;
  }
  [aria-invalid='true'] {
    border-color: var(--_danger) !important;
  }
  :focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.875rem;
  }
  .error {
    color: var(--_danger);
    font-size: 0.875rem;
  }
  .alert {
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 0.75);
    border: 1px solid currentColor;
  }
  .alert:empty {
    display: none;
  }
  .alert.error {
    font-size: 1rem;
  }
  .success {
    color: var(--mk-color-text, #111827);
    border-color: var(--_primary);
  }
  button,
  .button {
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 0.5) var(--_space);
    border: 1px solid var(--_primary);
    background: var(--_primary);
    color: var(--mk-color-on-primary, #ffffff);
    text-decoration: none;
    text-align: center;
    display: inline-block;
  }
  button.secondary,
  .button.secondary {
    background: transparent;
    color: var(--_primary);
  }
  button.link {
    background: none;
    border: 0;
    padding: 0;
    color: var(--_primary);
    text-decoration: underline;
    font-weight: 400;
    justify-self: start;
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  a {
    color: var(--_primary);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    align-items: center;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
