/**
 * Splits an uploaded byte stream into records (CSV rows or NDJSON lines) without
 * decoding it and without ever holding more than one record: a record larger
 * than the cap is not kept but skipped to its end and reported, so one huge row
 * costs no memory and the rows after it are still read. Web APIs only (edge
 * runtimes too). The stream is read as the consumer asks for records, so a slow
 * consumer (the database) holds the upload back instead of buffering it.
 */

/** A whole record's bytes (without its line end), or why it was not kept. */
export type FramedRecord = { line: number; bytes: Uint8Array } | { line: number; error: string };

export interface FrameOptions {
  /**
   * `csv`: a record ends at CR, LF or CRLF outside double quotes (RFC 4180; a
   * quote opens a quoted field only at the start of a field, as csv-parse's
   * `relax_quotes` reads it). Empty records are skipped and not counted, so
   * `line` is the row number a spreadsheet shows (the header is 1).
   * `lines`: a record ends at LF (a CR before it is dropped); every line counts,
   * empty ones included, so `line` is the line number in the file.
   */
  mode: 'csv' | 'lines';
  /** Records longer than this many bytes become an error entry instead. */
  maxRecordBytes: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf] as const;

// CSV scanner states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // a quote inside a quoted field: it closes the field unless another quote follows

/**
 * Frames `body` into records, one array per chunk read (the records that chunk
 * completed), so per-record work can be batched.
 * @example
 * for await (const records of frameRecords(req.body, { mode: 'csv', maxRecordBytes: 1 << 20 })) …
 */
export async function* frameRecords(
  body: ReadableStream<Uint8Array>,
  options: FrameOptions,
): AsyncGenerator<FramedRecord[]> {
  const { mode, maxRecordBytes } = options;
  const tooLarge = `This ${mode === 'csv' ? 'row' : 'line'} is larger than ${formatBytes(maxRecordBytes)}: it was skipped.`;
  let line = 0;
  let state = FIELD_START;
  // The current record's bytes from earlier chunks (dropped once it is too large).
  let parts: Uint8Array[] = [];
  let carried = 0;
  let oversized = false;
  let head: Uint8Array | null = new Uint8Array(0); // bytes held until the BOM check is done

  const finish = (out: FramedRecord[], chunk: Uint8Array, start: number, end: number) => {
    let length = carried + (end - start);
    if (mode === 'lines' && !oversized && length > 0) {
      const last = end > start ? chunk[end - 1] : parts.at(-1)?.at(-1);
      if (last === CR) {
        if (end > start) end -= 1;
        else parts[parts.length - 1] = parts.at(-1)!.subarray(0, -1);
        length -= 1;
      }
    }
    if (length > 0 || mode === 'lines' || oversized) {
      line += 1;
      if (oversized || length > maxRecordBytes) out.push({ line, error: tooLarge });
      else
        out.push({
          line,
          bytes:
            parts.length === 0 ? chunk.subarray(start, end) : concat([...parts, chunk.subarray(start, end)], length),
        });
    }
    parts = [];
    carried = 0;
    oversized = false;
  };

  const scan = (chunk: Uint8Array): FramedRecord[] => {
    const out: FramedRecord[] = [];
    let start = 0;
    if (mode === 'lines') {
      for (let at = chunk.indexOf(LF); at >= 0; at = chunk.indexOf(LF, start)) {
        finish(out, chunk, start, at);
        start = at + 1;
      }
    } else {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (state === QUOTED) {
          // Jump to the next quote: quoted fields are where long values live.
          const at = chunk.indexOf(QUOTE, i);
          if (at < 0) {
            i = chunk.length;
            break;
          }
          i = at;
          state = QUOTE_IN_QUOTED;
          continue;
        }
        if (byte === QUOTE && state !== UNQUOTED) {
          // Opens a field, or is the second half of an escaped quote ("").
          state = QUOTED;
          continue;
        }
        if (byte === COMMA) state = FIELD_START;
        else if (byte === LF || byte === CR) {
          finish(out, chunk, start, i);
          start = i + 1;
          state = FIELD_START;
        } else state = UNQUOTED;
      }
    }
    const rest = chunk.length - start;
    if (rest > 0 && !oversized) {
      if (carried + rest > maxRecordBytes) {
        oversized = true;
        parts = [];
        carried = 0;
      } else {
        parts.push(chunk.subarray(start));
        carried += rest;
      }
    }
    return out;
  };

  const reader = body.getReader();
  let turnStarted = performance.now();
  try {
    for (;;) {
      // A body already queued is read (and the rows handled) in one chain of microtasks, which would
      // starve every other request of this process (a health check waited 4.8 s): give way each 20 ms.
      if (performance.now() - turnStarted > 20) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        turnStarted = performance.now();
      }
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      if (head) {
        // A UTF-8 byte order mark is not data; it may arrive split over chunks.
        chunk = concat([head, chunk], head.length + chunk.length);
        if (chunk.length < BOM.length && BOM.slice(0, chunk.length).every((b, i) => chunk[i] === b)) {
          head = chunk;
          continue;
        }
        head = null;
        if (BOM.every((b, i) => chunk[i] === b)) chunk = chunk.subarray(BOM.length);
      }
      const records = scan(chunk);
      if (records.length > 0) yield records;
    }
    const out: FramedRecord[] = [];
    if (head && head.length > 0) out.push(...scan(head));
    if (state === QUOTED) {
      line += 1;
      out.push({
        line,
        error: 'The file ends inside a quoted field that starts in this row: a closing quote (") is missing.',
      });
    } else if (carried > 0 || oversized) finish(out, new Uint8Array(0), 0, 0);
    if (out.length > 0) yield out;
  } finally {
    // Not cancel(): on Node that destroys the socket, and the error response could not be sent.
    reader.releaseLock();
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** 1048576 → "1 MiB", 65536 → "64 KiB". */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
