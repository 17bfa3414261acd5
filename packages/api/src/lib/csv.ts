/**
 * Streaming CSV (RFC 4180): quoted fields with embedded commas, quotes ("") and
 * line breaks; CRLF or LF line ends; a UTF-8 BOM is dropped. Web APIs only, so
 * it runs on edge runtimes too. Memory stays at one record, whatever the input size.
 */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let quoteSeen = false; // the previous char was a quote inside a quoted field
  let atFieldStart = true;
  let first = true;
  let rowHasContent = false;

  for await (let chunk of chunks) {
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = chunk.length === 0;
    }
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          quoted = false; // closing quote; fall through to treat ch normally
        } else if (ch === '"') {
          quoteSeen = true;
          continue;
        } else {
          field += ch;
          continue;
        }
      }
      if (ch === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        rowHasContent = true;
      } else if (ch === ',') {
        record.push(field);
        field = '';
        atFieldStart = true;
        rowHasContent = true;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && chunk[i + 1] === '\n') i++;
        if (rowHasContent || field !== '') {
          record.push(field);
          yield record;
        }
        record = [];
        field = '';
        atFieldStart = true;
        rowHasContent = false;
      } else {
        field += ch;
        atFieldStart = false;
        rowHasContent = true;
      }
    }
  }
  if (quoted && !quoteSeen) throw new CsvError('The CSV ends inside a quoted field.');
  if (rowHasContent || field !== '') {
    record.push(field);
    yield record;
  }
}

export class CsvError extends Error {}

/** One CSV line (with CRLF), quoting fields that need it. Leading `=+-@` are prefixed with `'` against formula injection in spreadsheets. */
export function csvLine(values: (string | number | boolean | null | undefined)[]): string {
  return `${values
    .map((value) => {
      if (value === null || value === undefined) return '';
      let text = String(value);
      if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

/** Undoes csvLine's formula guard on import, so exported files import unchanged. */
export function unguardCsvValue(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** Splits a text stream into lines (for NDJSON), without holding more than one line. */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    rest += chunk;
    let at: number;
    while ((at = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, at).replace(/\r$/, '');
      rest = rest.slice(at + 1);
    }
  }
  if (rest.length > 0) yield rest.replace(/\r$/, '');
}

/** Decodes a byte stream as UTF-8 text chunks. */
export async function* textChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    const tail = decoder.decode();
    if (tail) yield tail;
  } finally {
    reader.releaseLock();
  }
}
