import { describe, expect, it } from 'vitest';
import { ndjsonStream, parseCsv, parseNdjson, readLines } from './streams.js';

/** A byte stream delivered in the given chunks, to test values split across chunk boundaries. */
function chunked(text: string, sizes: number[]): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    parts.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  if (offset < bytes.length) parts.push(bytes.slice(offset));
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('streams', () => {
  it('splits lines across chunks, CRLF included, and decodes UTF-8 split mid-character', async () => {
    // "ü" is two bytes: a chunk boundary of 1 byte into it must not corrupt it.
    expect(await collect(readLines(chunked('Müller\r\nLovelace\nlast', [2, 1, 4, 3])))).toEqual([
      'Müller',
      'Lovelace',
      'last',
    ]);
  });

  it('parses CSV with quotes, doubled quotes, commas and line breaks inside fields', async () => {
    const csv =
      'email,last_name,note\nada@example.org,"Lovelace, Countess","said ""hi""\nthen left"\n\ngrace@example.org,Hopper,\n';
    expect(await collect(parseCsv(chunked(csv, [7, 30, 5])))).toEqual([
      { email: 'ada@example.org', last_name: 'Lovelace, Countess', note: 'said "hi"\nthen left' },
      { email: 'grace@example.org', last_name: 'Hopper', note: '' },
    ]);
  });

  it('parses NDJSON, skipping blank lines', async () => {
    expect(await collect(parseNdjson(chunked('{"a":1}\n\n{"a":2}\n', [3])))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('writes objects from an async iterable as NDJSON bytes, lazily', async () => {
    let produced = 0;
    async function* rows() {
      for (let i = 0; i < 3; i++) {
        produced++;
        yield { i };
      }
    }
    const stream = ndjsonStream(rows());
    expect(produced).toBe(0);
    expect(await new Response(stream).text()).toBe('{"i":0}\n{"i":1}\n{"i":2}\n');
  });
});
