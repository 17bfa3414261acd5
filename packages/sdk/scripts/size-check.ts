/**
 * Size budget: the browser bundle of the core client with the members resource,
 * minified by esbuild and gzipped, must stay ≤ 8 KB. Prints the number; exits 1 over budget.
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// 8 KB until issue 14 added the real-time client and six community namespaces (about 2.4 KB gzipped).
const BUDGET = 11 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));

/** What a browser app using the client and members would ship. */
const entry = `
import { Memberkit, NotFoundError } from './src/index.ts';
const mk = new Memberkit({ publishableKey: 'pk_x', baseUrl: location.origin });
export async function run() {
  try {
    for await (const m of mk.members.list({ status: 'active' })) console.log(m.email);
    await mk.members.create({ email: 'a@example.org', first_name: 'A', last_name: 'B' });
  } catch (e) {
    if (e instanceof NotFoundError) console.log(e.code);
  }
}
`;

export async function measure(): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'size-entry.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    treeShaking: true,
    conditions: ['memberkit-source'],
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { minified, gzipped } = await measure();
  const line = `SDK browser bundle (client + members): ${minified} B minified, ${gzipped} B min+gzip (budget ${BUDGET} B)`;
  if (gzipped > BUDGET) {
    console.error(`${line}: OVER BUDGET`);
    process.exit(1);
  }
  console.log(line);
}
