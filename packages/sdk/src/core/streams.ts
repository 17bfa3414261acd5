/** Splits a byte stream into lines (`\n` or `\r\n`), decoding UTF-8 across chunk boundaries. */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        yield line.endsWith('\r') ? line.slice(0, -1) : line;
      }
      if (done) break;
    }
    if (buffer.length > 0) yield buffer;
  } finally {
    // Stopping early (break in for await) cancels the download instead of reading it to the end.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Parses NDJSON: one JSON value per non-empty line. */
export async function* parseNdjson<T>(stream: ReadableStream<Uint8Array>): AsyncGenerator<T, void, undefined> {
  for await (const line of readLines(stream)) {
    if (line.trim() !== '') yield JSON.parse(line) as T;
  }
}

/**
 * Parses RFC 4180 CSV into objects keyed by the header row. Quoted fields may hold
 * commas, doubled quotes and line breaks.
 */
export async function* parseCsv(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Record<string, string>, void, undefined> {
  let header: string[] | undefined;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for await (const line of readLines(stream)) {
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        fields.push(field);
        field = '';
      } else field += ch;
    }
    if (quoted) {
      // A line break inside quotes belongs to the field.
      field += '\n';
      continue;
    }
    fields.push(field);
    field = '';
    const row = fields;
    fields = [];
    if (row.length === 1 && row[0] === '') continue;
    if (!header) {
      header = row;
      continue;
    }
    yield Object.fromEntries(header.map((name, index) => [name, row[index] ?? '']));
  }
}

/** A stream of the UTF-8 bytes of NDJSON lines, one per object, produced as it is read. */
export function ndjsonStream(rows: Iterable<unknown> | AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator =
    Symbol.asyncIterator in rows
      ? (rows as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      : (rows as Iterable<unknown>)[Symbol.iterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
