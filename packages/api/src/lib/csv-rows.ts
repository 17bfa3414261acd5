// The browser build: the Node entry needs the `Buffer` global at load, which edge runtimes lack.
import { parse, type Options } from 'csv-parse/browser/esm/sync';
import { formatBytes, frameRecords } from './record-framer.js';

/** A CSV row's fields, or why the row could not be read (`column`: 0-based index of the field at fault). */
export type CsvRow = { line: number; fields: string[] } | { line: number; error: string; column?: number };

export interface CsvLimits {
  /** A field longer than this many UTF-8 bytes makes its row an error. */
  maxFieldBytes: number;
  /** A row longer than this many bytes is skipped (never held in memory) and reported. */
  maxRowBytes: number;
}

const PARSE_OPTIONS: Options = {
  bom: false, // the framer drops it
  record_delimiter: '\n', // rows are framed and joined with LF below
  relax_quotes: true, // a quote inside an unquoted field is a character: O"Brien
  relax_column_count: true, // short rows read as empty trailing cells
  skip_empty_lines: false, // there are none: the framer drops them
};
/** Rows parsed per csv-parse call: large enough to amortise its set-up, small enough not to stall the event loop. */
const BATCH_BYTES = 64 * 1024;

/**
 * Streams RFC 4180 CSV rows (quoted fields with commas, quotes and line breaks;
 * CR, LF or CRLF; a UTF-8 BOM is dropped) from a byte stream, with csv-parse
 * doing the field parsing. Memory stays at one batch of rows whatever the input:
 * a row over `maxRowBytes` is skipped unread and reported, and so is a row with
 * a field over `maxFieldBytes`; the rows after either are read as usual. A file
 * that ends inside a quoted field ends with an error row. `line` is the row
 * number a spreadsheet shows (the first row is 1; empty lines do not count).
 */
export async function* parseCsvRows(body: ReadableStream<Uint8Array>, limits: CsvLimits): AsyncGenerator<CsvRow> {
  let batch: { line: number; bytes: Uint8Array }[] = [];
  let batchBytes = 0;

  function* flush(): Generator<CsvRow> {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    batchBytes = 0;
    const parsed = tryParse(joinLines(rows.map((r) => r.bytes)));
    if (parsed?.length === rows.length) {
      for (let i = 0; i < rows.length; i++) yield checkFields(rows[i]!.line, parsed[i]!, limits.maxFieldBytes);
      return;
    }
    // csv-parse read the batch differently from the framer (it should not): read row by row to pin it down.
    for (const row of rows) {
      const alone = tryParse(row.bytes);
      if (alone?.length === 1) yield checkFields(row.line, alone[0]!, limits.maxFieldBytes);
      else yield { line: row.line, error: 'This row is not valid CSV: check its quotes.' };
    }
  }

  for await (const records of frameRecords(body, { mode: 'csv', maxRecordBytes: limits.maxRowBytes })) {
    for (const record of records) {
      if ('error' in record) {
        yield* flush();
        yield record;
        continue;
      }
      batch.push(record);
      batchBytes += record.bytes.length + 1;
      if (batchBytes >= BATCH_BYTES) yield* flush();
    }
    yield* flush();
  }
  yield* flush();
}

function tryParse(bytes: Uint8Array): string[][] | null {
  try {
    return parse(bytes, PARSE_OPTIONS);
  } catch {
    return null;
  }
}

function joinLines(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    out[at + part.length] = 0x0a;
    at += part.length + 1;
  }
  return out;
}

function checkFields(line: number, fields: string[], maxFieldBytes: number): CsvRow {
  // A UTF-8 character is at most 3 bytes per UTF-16 unit: only long fields need counting.
  const column = fields.findIndex((f) => f.length * 3 > maxFieldBytes && utf8Length(f) > maxFieldBytes);
  if (column < 0) return { line, fields };
  return { line, column, error: `This field is larger than ${formatBytes(maxFieldBytes)}.` };
}

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
