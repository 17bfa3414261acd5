import type { CustomFieldRow } from '../../services/custom-fields.js';
import { parseCsvRows } from '../../lib/csv-rows.js';
import { frameRecords } from '../../lib/record-framer.js';
import type { FieldError } from '../../lib/errors.js';
import { parseInput, validationError } from '../../lib/validation.js';
import type { RawRow, RowParser } from '../../services/members-import.js';
import { CreateMemberBody } from './members.schemas.js';

/** Columns an export writes that an import reads past (they are not the importer's to set). */
const READ_ONLY = new Set(['id', 'object', 'created_at', 'updated_at', 'last_active_at', 'deleted_at']);
const TARGETS = new Set(['email', 'first_name', 'last_name', 'status', 'tier_id', 'tags']);
const CUSTOM = /^custom_fields\.([a-z][a-z0-9_]{0,39})$/;

/**
 * Resolves the CSV header: each column maps to a member field, a custom field
 * (`custom_fields.<key>`), or is ignored (`""` in the mapping, or a read-only
 * export column). Anything else is a 422 before a single row is read.
 */
export function resolveColumns(header: string[], mapping: Record<string, string>): (string | null)[] {
  const errors: FieldError[] = [];
  const columns = header.map((name) => {
    const target = (mapping[name] ?? name).trim();
    if (target === '' || READ_ONLY.has(target)) return null;
    if (TARGETS.has(target) || CUSTOM.test(target)) return target;
    errors.push({
      field: `columns.${name}`,
      message: `"${name}" is not a member field; map it with \`mapping\` or map it to "" to ignore it.`,
    });
    return null;
  });
  for (const required of ['email', 'first_name', 'last_name']) {
    if (!columns.includes(required))
      errors.push({ field: `columns.${required}`, message: `No column holds ${required}.` });
  }
  if (errors.length) throw validationError(errors);
  return columns;
}

/** A field over this is a row error (the longest member value is far shorter). */
export const MAX_FIELD_BYTES = 64 * 1024;
/** A CSV row or NDJSON line over this is a row error, skipped without being held in memory. */
export const MAX_ROW_BYTES = 1024 * 1024;

/**
 * The formula guard csv-stringify's `escape_formulas` puts on exported cells
 * (a leading `'` before `= + - @`, tab, CR and their full-width forms), undone
 * on import so exported files import unchanged.
 */
const FORMULA_GUARD = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** CSV rows as raw member values (line numbers as a spreadsheet shows them: the header is line 1). */
export async function* csvRawRows(
  body: ReadableStream<Uint8Array>,
  mapping: Record<string, string>,
): AsyncGenerator<RawRow> {
  let header: string[] | null = null;
  let columns: (string | null)[] = [];
  for await (const row of parseCsvRows(body, { maxFieldBytes: MAX_FIELD_BYTES, maxRowBytes: MAX_ROW_BYTES })) {
    if (!header) {
      if ('error' in row)
        throw validationError([{ field: 'body', message: `The header row cannot be read: ${row.error}` }]);
      header = row.fields;
      columns = resolveColumns(header, mapping);
      continue;
    }
    if ('error' in row) {
      const column =
        row.column === undefined ? null : (columns[row.column] ?? `columns.${header[row.column] ?? row.column + 1}`);
      yield { line: row.line, error: { field: column, message: row.error } };
      continue;
    }
    const values: Record<string, unknown> = {};
    const custom: Record<string, string> = {};
    columns.forEach((target, i) => {
      const cell = (row.fields[i] ?? '').trim();
      const raw = FORMULA_GUARD.test(cell) ? cell.slice(1) : cell;
      if (!target || raw === '') return;
      const match = CUSTOM.exec(target);
      if (match) custom[match[1]!] = raw;
      else
        values[target] =
          target === 'tags'
            ? raw
                .split(';')
                .map((t) => t.trim())
                .filter(Boolean)
            : raw;
    });
    values.custom_fields = custom;
    yield { line: row.line, values };
  }
  if (!header) throw validationError([{ field: 'body', message: 'The CSV is empty: it needs a header row.' }]);
}

/** NDJSON rows: one member object per line; blank lines are skipped (and counted, so `line` is the file's line number). */
export async function* ndjsonRawRows(body: ReadableStream<Uint8Array>): AsyncGenerator<RawRow> {
  const decoder = new TextDecoder();
  for await (const records of frameRecords(body, { mode: 'lines', maxRecordBytes: MAX_ROW_BYTES })) {
    for (const record of records) {
      if ('error' in record) {
        yield { line: record.line, error: { field: null, message: record.error } };
        continue;
      }
      const text = decoder.decode(record.bytes);
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        yield { line: record.line, error: { field: 'body', message: 'Not valid JSON.' } };
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield { line: record.line, error: { field: 'body', message: 'Each line must be a JSON object.' } };
        continue;
      }
      yield { line: record.line, values: value as Record<string, unknown> };
    }
  }
}

/** CSV cells are text: give custom fields their defined types before validation. */
function typedCustomValue(def: CustomFieldRow | undefined, raw: unknown): unknown {
  if (!def || typeof raw !== 'string') return raw;
  switch (def.type) {
    case 'number':
      return raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return /^(true|yes|1)$/i.test(raw) ? true : /^(false|no|0)$/i.test(raw) ? false : raw;
    case 'multi_select':
      return raw
        .split(';')
        .map((v) => v.trim())
        .filter(Boolean);
    default:
      return raw;
  }
}

/** Validates raw values with the same schema as `POST /v1/members`. */
export function createRowParser(fromCsv: boolean): RowParser {
  return (values, defs) => {
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) if (!READ_ONLY.has(key)) input[key] = value;
    if (fromCsv && input.custom_fields && typeof input.custom_fields === 'object') {
      const byKey = new Map(defs.map((d) => [d.key, d]));
      input.custom_fields = Object.fromEntries(
        Object.entries(input.custom_fields as Record<string, unknown>).map(([k, v]) => [
          k,
          typedCustomValue(byKey.get(k), v),
        ]),
      );
    }
    const parsed = parseInput(CreateMemberBody, input, 'json');
    if (!parsed.ok) return parsed;
    const b = parsed.value;
    return {
      ok: true,
      value: {
        email: b.email,
        firstName: b.first_name,
        lastName: b.last_name,
        ...(b.status ? { status: b.status } : {}),
        ...(b.tier_id !== undefined ? { tierId: b.tier_id } : {}),
        ...(b.custom_fields ? { customFields: b.custom_fields } : {}),
        ...(b.tags ? { tags: b.tags } : {}),
      },
    };
  };
}
