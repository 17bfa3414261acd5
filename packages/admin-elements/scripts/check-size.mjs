// Size budgets of the admin script-tag bundle: what a staff console page downloads for
// its elements (the entry, the elements' chunks and every chunk they import), minified
// and gzipped, must stay within each page's budget. Prints the numbers.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { elementBundleOptions } from '../../../scripts/element-bundle-options.mjs';

const options = elementBundleOptions(import.meta.url, 'memberkit-admin', 'src/cdn/memberkit-admin.ts');

/** Pages and what they may download (KiB, min+gzip). */
const PAGES = [
  {
    name: 'provider + table + editor',
    budget: 60 * 1024,
    elements: [
      'src/provider/member-admin-provider.ts',
      'src/table/member-admin-table.ts',
      'src/editor/member-admin-editor.ts',
    ],
  },
  {
    name: 'provider + inbox',
    budget: 44 * 1024,
    elements: ['src/provider/member-admin-provider.ts', 'src/inbox/member-admin-inbox.ts'],
  },
  {
    name: 'provider + announcements',
    budget: 44 * 1024,
    elements: ['src/provider/member-admin-provider.ts', 'src/announcements/member-admin-announcements.ts'],
  },
];

const result = await esbuild.build({ ...options, write: false });
const outputs = result.metafile.outputs;
const contents = new Map(
  result.outputFiles.map((file) => [path.relative(options.absWorkingDir, file.path), file.contents]),
);

/** The output file whose entry point (a dynamic import target) is `source`. */
function outputFor(source) {
  const found = Object.entries(outputs).find(([, meta]) => meta.entryPoint === source);
  if (!found) throw new Error(`no chunk for ${source}: is it loaded lazily by the entry?`);
  return found[0];
}

let failed = false;
for (const page of PAGES) {
  const needed = new Set();
  const add = (file) => {
    if (needed.has(file)) return;
    needed.add(file);
    for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement') add(imported.path);
  };
  add('dist/cdn/memberkit-admin.js');
  for (const source of page.elements) add(outputFor(source));
  let raw = 0;
  let gzipped = 0;
  for (const file of needed) {
    const bytes = contents.get(file);
    if (!bytes) throw new Error(`missing output ${file}`);
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 9 }).length;
  }
  console.log(
    `memberkit-admin.js (${page.name}), ${needed.size} files: ${(raw / 1024).toFixed(1)} KiB min, ${(gzipped / 1024).toFixed(1)} KiB min+gzip (budget ${page.budget / 1024} KiB)`,
  );
  if (gzipped > page.budget) {
    console.error(`size budget of ${page.name} exceeded by ${((gzipped - page.budget) / 1024).toFixed(1)} KiB`);
    failed = true;
  }
}
if (failed) process.exit(1);
