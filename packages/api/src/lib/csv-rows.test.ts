import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsvRows, type CsvRow } from './csv-rows.js';
import { csvLines } from './csv-write.js';
import { frameRecords } from './record-framer.js';

const encoder = new TextEncoder();

/** A byte stream of `parts`, each its own chunk (to cut records, quotes, CRLFs and the BOM anywhere). */
function stream(...parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function rows(
  body: ReadableStream<Uint8Array>,
  limits = { maxFieldBytes: 64 * 1024, maxRowBytes: 1024 * 1024 },
): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of parseCsvRows(body, limits)) out.push(row);
  return out;
}

const SAMPLE = '\ufeffa,b,c\r\n"x, y","say ""hi""","multi\nline"\r\n1,,3\n\n\nO"Brien,"",last\rlast,row,';
const EXPECTED = [
  { line: 1, fields: ['a', 'b', 'c'] },
  { line: 2, fields: ['x, y', 'say "hi"', 'multi\nline'] },
  { line: 3, fields: ['1', '', '3'] },
  { line: 4, fields: ['O"Brien', '', 'last'] },
  { line: 5, fields: ['last', 'row', ''] },
];

describe('parseCsvRows', () => {
  it('reads quoted fields, escaped quotes, line breaks in quotes, CR/LF/CRLF, a BOM, and skips empty lines without counting them', async () => {
    expect(await rows(stream(SAMPLE))).toEqual(EXPECTED);
  });

  it('reads the same however the bytes are cut into chunks', async () => {
    const bytes = encoder.encode(SAMPLE);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await rows(stream(bytes.subarray(0, cut), bytes.subarray(cut)))).toEqual(EXPECTED);
    }
    expect(await rows(stream(...Array.from(bytes, (b) => new Uint8Array([b]))))).toEqual(EXPECTED);
  });

  it('reports an oversized field or row with its row number and reads on', async () => {
    const limits = { maxFieldBytes: 8, maxRowBytes: 32 };
    const body = stream(
      'a,b\n',
      'ok,1\n',
      `"${'x'.repeat(9)}",2\n`,
      'ok,3\n',
      `${'y'.repeat(20)},"${'z'.repeat(10)}`,
      `${'z'.repeat(10)}"\n`,
      'ok,5\n',
    );
    expect(await rows(body, limits)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['ok', '1'] },
      { line: 3, column: 0, error: 'This field is larger than 8 bytes.' },
      { line: 4, fields: ['ok', '3'] },
      { line: 5, error: 'This row is larger than 32 bytes: it was skipped.' },
      { line: 6, fields: ['ok', '5'] },
    ]);
  });

  it('counts a multi-byte field in UTF-8 bytes', async () => {
    const limits = { maxFieldBytes: 8, maxRowBytes: 64 };
    expect(await rows(stream('ääää\nääääa\n'), limits)).toEqual([
      { line: 1, fields: ['ääää'] },
      { line: 2, column: 0, error: 'This field is larger than 8 bytes.' },
    ]);
  });

  it('ends with an error row when the file ends inside a quoted field', async () => {
    expect(await rows(stream('a,b\n1,2\n3,"open\n4,5\n'))).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      {
        line: 3,
        error: 'The file ends inside a quoted field that starts in this row: a closing quote (") is missing.',
      },
    ]);
  });
});

describe('frameRecords in lines mode (NDJSON)', () => {
  it('splits at LF, drops a CR before it, counts empty lines, and skips an oversized line', async () => {
    const out: unknown[] = [];
    const body = stream('{"a":1}\r', '\n\n{"b"', ':2}\n', 'x'.repeat(40), '\n{"c":3}');
    for await (const records of frameRecords(body, { mode: 'lines', maxRecordBytes: 16 })) {
      for (const r of records) out.push('bytes' in r ? { line: r.line, text: new TextDecoder().decode(r.bytes) } : r);
    }
    expect(out).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '' },
      { line: 3, text: '{"b":2}' },
      { line: 4, error: 'This line is larger than 16 bytes: it was skipped.' },
      { line: 5, text: '{"c":3}' },
    ]);
  });
});

describe('csvLines', () => {
  it('quotes only where needed, ends lines in CRLF, guards formulas and reads back unchanged', async () => {
    const text = csvLines([['=HYPERLINK("x")', '+1', 'ok', true, -3, null, 'a,b\nc']]);
    expect(text).toBe(`"'=HYPERLINK(""x"")",'+1,ok,true,-3,,"a,b\nc"\r\n`);
    expect(await rows(stream(text))).toEqual([
      { line: 1, fields: ['\'=HYPERLINK("x")', "'+1", 'ok', 'true', '-3', '', 'a,b\nc'] },
    ]);
  });
});

describe('on an edge runtime', () => {
  it("reads and writes CSV without Node's Buffer global", () => {
    // A child process: deleting Buffer here would break the test runner itself.
    const script = `
      delete globalThis.Buffer;
      const { parseCsvRows } = await import('./csv-rows.ts');
      const { csvLines } = await import('./csv-write.ts');
      const rows = [];
      for await (const row of parseCsvRows(new Blob([csvLines([['a', 'b'], ['x, y', '=2']])]).stream(), { maxFieldBytes: 64, maxRowBytes: 256 })) rows.push(row);
      console.log(JSON.stringify({ buffer: typeof Buffer, rows }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      buffer: 'undefined',
      rows: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x, y', "'=2"] },
      ],
    });
  });
});
