import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

/** What {@link renderInput} draws: one labelled input with its hint and error. */
export interface InputField {
  /** The form field name; matches the API's field name (`first_name`, `custom_fields.size`). */
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'search';
  /** The `autocomplete` token, so browsers and password managers fill the right value. */
  autocomplete?: string;
  required?: boolean;
  value?: string;
  hint?: string;
  /** The message shown under the field; sets `aria-invalid`. */
  error?: string | undefined;
  /** Prefix for element ids, unique within the shadow root. */
  idPrefix: string;
  inputmode?: 'text' | 'email' | 'numeric' | 'decimal';
  minlength?: number;
}

/** The id an input gets, for labels and focus. */
export function fieldId(idPrefix: string, name: string): string {
  return `${idPrefix}-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/**
 * A labelled `<input>` with a hint and an inline error tied to it through `aria-describedby`.
 * `value` is bound plainly, not with `live()`: Lit then writes it only when the value
 * given changes (a member loaded, a profile saved), and what the visitor typed survives
 * every other re-render (the tenant config arriving, an error shown, a busy state).
 */
export function renderInput(field: InputField): TemplateResult {
  const id = fieldId(field.idPrefix, field.name);
  return html`<div class="field" part="field">
    <label for=${id} part="label">${field.label}</label>
    <input
      id=${id}
      part="input"
      name=${field.name}
      type=${field.type ?? 'text'}
      autocomplete=${ifDefined(field.autocomplete)}
      inputmode=${ifDefined(field.inputmode)}
      minlength=${ifDefined(field.minlength)}
      ?required=${field.required ?? false}
      aria-invalid=${field.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(id, Boolean(field.hint), Boolean(field.error)))}
      .value=${field.value ?? ''}
    />
    ${field.hint ? html`<span class="hint" id="${id}-hint">${field.hint}</span>` : nothing}
    ${field.error ? html`<span class="error" part="field-error" id="${id}-error">${field.error}</span>` : nothing}
  </div>`;
}

/** One option of {@link renderSelect}. */
export interface SelectOption {
  value: string;
  label: string;
}

/** A labelled `<select>`; with `multiple` a group of checkboxes instead (easier by keyboard and on phones). */
export function renderSelect(
  field: Omit<InputField, 'type' | 'value'> & {
    options: SelectOption[];
    value?: string | string[];
    multiple?: boolean;
    placeholder?: string;
  },
): TemplateResult {
  const id = fieldId(field.idPrefix, field.name);
  const selected = new Set(Array.isArray(field.value) ? field.value : field.value ? [field.value] : []);
  if (field.multiple) {
    return html`<fieldset class="field" part="field" aria-invalid=${field.error ? 'true' : 'false'} aria-describedby=${ifDefined(field.error ? `${id}-error` : undefined)}>
      <legend part="label">${field.label}</legend>
      ${field.options.map(
        (option, index) => html`<label class="check"
          ><input type="checkbox" id="${id}-${index}" name=${field.name} value=${option.value} .checked=${selected.has(option.value)} />${option.label}</label
        >`,
      )}
      ${field.error ? html`<span class="error" part="field-error" id="${id}-error">${field.error}</span>` : nothing}
    </fieldset>`;
  }
  return html`<div class="field" part="field">
    <label for=${id} part="label">${field.label}</label>
    <select
      id=${id}
      part="input"
      name=${field.name}
      ?required=${field.required ?? false}
      aria-invalid=${field.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(id, Boolean(field.hint), Boolean(field.error)))}
    >
      <option value="" ?selected=${selected.size === 0}>${field.placeholder ?? ''}</option>
      ${field.options.map((option) => html`<option value=${option.value} ?selected=${selected.has(option.value)}>${option.label}</option>`)}
    </select>
    ${field.hint ? html`<span class="hint" id="${id}-hint">${field.hint}</span>` : nothing}
    ${field.error ? html`<span class="error" part="field-error" id="${id}-error">${field.error}</span>` : nothing}
  </div>`;
}

/** A checkbox with its label text (and optional extra content, e.g. links) next to it. */
export function renderCheckbox(field: {
  name: string;
  label: string | TemplateResult;
  idPrefix: string;
  checked?: boolean;
  required?: boolean;
  error?: string | undefined;
}): TemplateResult {
  const id = fieldId(field.idPrefix, field.name);
  return html`<div class="field" part="field">
    <div class="check">
      <input
        type="checkbox"
        id=${id}
        name=${field.name}
        value="true"
        ?required=${field.required ?? false}
        .checked=${field.checked ?? false}
        aria-invalid=${field.error ? 'true' : 'false'}
        aria-describedby=${ifDefined(field.error ? `${id}-error` : undefined)}
      />
      <label for=${id}>${field.label}</label>
    </div>
    ${field.error ? html`<span class="error" part="field-error" id="${id}-error">${field.error}</span>` : nothing}
  </div>`;
}
