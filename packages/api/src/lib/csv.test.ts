import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv, splitLines } from './csv.js';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield p;
}
const all = async <T>(gen: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
};

describe('parseCsv', () => {
  it('parses quotes, escaped quotes, embedded commas and line breaks across chunk borders', async () => {
    const rows = await all(parseCsv(chunks('\ufeffa,b,c\r\n"x, y","say ""hi""","multi', '\nline"\r\n1,,3\n', 'last,row,')));
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'multi\nline'],
      ['1', '', '3'],
      ['last', 'row', ''],
    ]);
  });

  it('skips blank lines and rejects an unterminated quote', async () => {
    expect(await all(parseCsv(chunks('a\n\n\nb\n')))).toEqual([['a'], ['b']]);
    await expect(all(parseCsv(chunks('"open')))).rejects.toThrow(/quoted/);
  });

  it('round-trips what csvLine writes', async () => {
    const values = ['plain', 'with,comma', 'with "quote"', 'two\nlines', ''];
    expect(await all(parseCsv(chunks(csvLine(values))))).toEqual([values]);
  });

  it('neutralizes spreadsheet formulas', () => {
    expect(csvLine(['=HYPERLINK("x")', '+1', 'ok'])).toBe(`"'=HYPERLINK(""x"")",'+1,ok\r\n`);
  });
});

describe('splitLines', () => {
  it('splits across chunks and keeps the last line without a newline', async () => {
    expect(await all(splitLines(chunks('{"a":1}\n{"b"', ':2}\r\n{"c":3}')))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
