import type { TemplateResult } from 'lit';
import type { FieldErrors } from './form-controller.js';
import type { PublicField } from '../config/public-config.js';
import type { Strings } from '../i18n/strings.js';
import { renderCheckbox, renderInput, renderSelect } from './fields.js';

/** The form name of a custom field's input: the API's error field name, so errors land on it. */
export function customFieldName(field: PublicField): string {
  return `custom_fields.${field.key}`;
}

/** Renders a tenant's custom field as the input its type calls for. */
export function renderCustomField(
  field: PublicField,
  value: unknown,
  strings: Strings,
  errors: FieldErrors,
  idPrefix: string,
): TemplateResult {
  const name = customFieldName(field);
  const label = strings.pick(field.label);
  const error = errors[name];
  switch (field.type) {
    case 'boolean':
      return renderCheckbox({ name, label, idPrefix, checked: value === true, error });
    case 'select':
    case 'multi_select':
      return renderSelect({
        name,
        label,
        idPrefix,
        required: field.required,
        error,
        multiple: field.type === 'multi_select',
        placeholder: strings.t('field.selectPlaceholder'),
        value: Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value : undefined,
        options: field.options.map((option) => ({ value: option.value, label: strings.pick(option.label) })),
      });
    case 'number':
      return renderInput({
        name,
        label,
        idPrefix,
        type: 'number',
        inputmode: 'decimal',
        required: field.required,
        error,
        value: value === undefined || value === null ? '' : String(value),
      });
    case 'date':
      return renderInput({
        name,
        label,
        idPrefix,
        type: 'date',
        required: field.required,
        error,
        value: typeof value === 'string' ? value : '',
      });
    default:
      return renderInput({
        name,
        label,
        idPrefix,
        type: 'text',
        required: field.required,
        error,
        value: typeof value === 'string' ? value : '',
      });
  }
}

/** Reads custom field values from form data, typed as the API expects; empty optional values are left out (or null when `clearEmpty`). */
export function readCustomFields(
  fields: readonly PublicField[],
  data: FormData,
  clearEmpty = false,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const name = customFieldName(field);
    switch (field.type) {
      case 'boolean':
        values[field.key] = data.get(name) === 'true';
        break;
      case 'multi_select':
        values[field.key] = data.getAll(name).map(String);
        break;
      case 'number': {
        const raw = String(data.get(name) ?? '').trim();
        if (raw) values[field.key] = Number(raw);
        else if (clearEmpty) values[field.key] = null;
        break;
      }
      default: {
        const raw = String(data.get(name) ?? '').trim();
        if (raw) values[field.key] = raw;
        else if (clearEmpty) values[field.key] = null;
      }
    }
  }
  return values;
}
