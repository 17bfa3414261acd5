// The browser build: the Node entry needs the `Buffer` global at load, which edge runtimes lack.
import { stringify, type Options } from 'csv-stringify/browser/esm/sync';

/** A CSV cell as the members export writes it. */
export type CsvCell = string | number | boolean | null | undefined;

const OPTIONS: Options = {
  record_delimiter: 'windows', // RFC 4180: CRLF
  // A cell starting with = + - @ (a formula to a spreadsheet) gets a leading ' (OWASP CSV injection); the import strips it.
  escape_formulas: true,
  cast: { boolean: (value) => String(value) }, // "true"/"false", not csv-stringify's "1"/""
};

/**
 * CSV lines, each ending in CRLF, with csv-stringify: cells quoted only when they
 * hold a comma, quote or line break; null and undefined as empty cells.
 * @example
 * csvLines([['id', 'name'], ['mem_1', '=1+1']]) // 'id,name\r\nmem_1,\'=1+1\r\n'
 */
export function csvLines(rows: CsvCell[][]): string {
  return stringify(rows, OPTIONS);
}
