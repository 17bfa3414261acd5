import type { CustomFieldRow, FieldVisibility } from '../db/schema/index.js';
import type { FieldError } from '../lib/errors.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_TEXT = 10_000;

function checkValue(def: CustomFieldRow, value: unknown): string | null {
  const options = new Set(def.options.map((o) => o.value));
  switch (def.type) {
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT
        ? null
        : `Must be text of at most ${MAX_TEXT} characters.`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Must be a number.';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Must be true or false.';
    case 'date':
      return typeof value === 'string' &&
        DATE.test(value) &&
        !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
        new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
        ? null
        : 'Must be a date as YYYY-MM-DD.';
    case 'select':
      return typeof value === 'string' && options.has(value) ? null : `Must be one of: ${[...options].join(', ')}.`;
    case 'multi_select':
      return Array.isArray(value) &&
        value.every((v) => typeof v === 'string' && options.has(v)) &&
        new Set(value).size === value.length
        ? null
        : `Must be a list of distinct values from: ${[...options].join(', ')}.`;
  }
}

/**
 * Validates custom field values against the tenant's definitions and merges them
 * into `existing`. `null` removes a value. Unknown keys, wrong types and missing
 * required fields are reported as `custom_fields.<key>` errors.
 * @param mode `create` checks every required field; `update` only the ones touched.
 */
export function applyCustomFields(
  defs: CustomFieldRow[],
  input: Record<string, unknown> | undefined,
  existing: Record<string, unknown>,
  mode: 'create' | 'update',
): { values: Record<string, unknown>; errors: FieldError[] } {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const values: Record<string, unknown> = { ...existing };
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(input ?? {})) {
    const def = byKey.get(key);
    const field = `custom_fields.${key}`;
    if (!def) {
      errors.push({ field, message: 'Unknown custom field; define it with PUT /v1/tenant/fields first.' });
      continue;
    }
    if (value === null) {
      if (def.required) errors.push({ field, message: 'Is required and cannot be removed.' });
      else delete values[key];
      continue;
    }
    const problem = checkValue(def, value);
    if (problem) errors.push({ field, message: problem });
    else values[key] = value;
  }
  if (mode === 'create') {
    for (const def of defs) {
      if (
        def.required &&
        (values[def.key] === undefined || values[def.key] === null) &&
        !errors.some((e) => e.field === `custom_fields.${def.key}`)
      ) {
        errors.push({ field: `custom_fields.${def.key}`, message: 'Is required.' });
      }
    }
  }
  return { values, errors };
}

const AUDIENCE_SEES: Record<FieldVisibility, FieldVisibility[]> = {
  staff: ['public', 'members', 'staff'],
  members: ['public', 'members'],
  public: ['public'],
};

/** The custom field values an audience may see: staff all, members `public` and `members`, the public only `public`. */
export function visibleCustomFields(
  defs: CustomFieldRow[],
  values: Record<string, unknown>,
  audience: FieldVisibility,
): Record<string, unknown> {
  const allowed = new Set(defs.filter((d) => AUDIENCE_SEES[audience].includes(d.visibility)).map((d) => d.key));
  return Object.fromEntries(Object.entries(values).filter(([key]) => allowed.has(key)));
}
