// Size budget of the script-tag bundle: what a page with <member-provider> and
// <member-signup> downloads (the entry, the two elements' chunks and every chunk
// they import), minified and gzipped, must stay within BUDGET. Prints the numbers.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { cdnBuildOptions } from './cdn-build-options.mjs';

const BUDGET = 30 * 1024;
const INITIAL_ELEMENTS = ['src/provider/member-provider.ts', 'src/signup/member-signup.ts'];

const result = await esbuild.build({ ...cdnBuildOptions, write: false });
const outputs = result.metafile.outputs;
const contents = new Map(
  result.outputFiles.map((file) => [path.relative(cdnBuildOptions.absWorkingDir, file.path), file.contents]),
);

/** The output file whose entry point (a dynamic import target) is `source`. */
function outputFor(source) {
  const found = Object.entries(outputs).find(([, meta]) => meta.entryPoint === source);
  if (!found) throw new Error(`no chunk for ${source}: is it loaded lazily by the entry?`);
  return found[0];
}

const needed = new Set();
function add(file) {
  if (needed.has(file)) return;
  needed.add(file);
  for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement') add(imported.path);
}
add('dist/cdn/memberkit-widgets.js');
for (const source of INITIAL_ELEMENTS) add(outputFor(source));

let raw = 0;
let gzipped = 0;
const rows = [];
for (const file of needed) {
  const bytes = contents.get(file);
  if (!bytes) throw new Error(`missing output ${file}`);
  const gz = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzipped += gz;
  rows.push(
    `  ${file.padEnd(48)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KiB min ${(gz / 1024).toFixed(1).padStart(6)} KiB gzip`,
  );
}
const all = result.outputFiles
  .filter((f) => f.path.endsWith('.js'))
  .reduce((sum, f) => sum + gzipSync(f.contents, { level: 9 }).length, 0);
console.log(`memberkit-widgets.js initial load (provider + signup), ${needed.size} files:`);
console.log(rows.join('\n'));
console.log(
  `  total ${(raw / 1024).toFixed(1)} KiB min, ${(gzipped / 1024).toFixed(1)} KiB min+gzip (budget ${BUDGET / 1024} KiB); all elements ${(all / 1024).toFixed(1)} KiB gzip`,
);
if (gzipped > BUDGET) {
  console.error(`size budget exceeded by ${((gzipped - BUDGET) / 1024).toFixed(1)} KiB`);
  process.exit(1);
}
