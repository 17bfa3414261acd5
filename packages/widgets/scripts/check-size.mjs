// Size budgets of the script-tag bundle: what a page with <member-provider> and
// <member-signup> downloads (the entry, the two elements' chunks and every chunk
// they import), minified and gzipped, must stay within 33 KiB; a billing page
// (provider, pricing and billing portal) within its own budget. Prints the numbers.
//
// The sign-up (was 30 KiB) and billing (was 38 KiB) budgets were raised when the SDK gained
// its community resources (feed, conversations, notifications, presence, community settings,
// the real-time subscription): `new Memberkit()` constructs every resource, so the shared SDK
// chunk every page loads carries all of them (about +2.5 KiB gzip), whichever elements are on
// the page. Bringing them back down needs the SDK to offer a client that builds only the
// resources a page uses (a change in packages/sdk), not a change here.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { cdnBuildOptions } from './cdn-build-options.mjs';

/** Pages and what they may download. */
const PAGES = [
  {
    name: 'provider + signup',
    budget: 33 * 1024,
    elements: ['src/provider/member-provider.ts', 'src/signup/member-signup.ts'],
  },
  {
    name: 'provider + pricing + billing',
    budget: 40 * 1024,
    elements: ['src/provider/member-provider.ts', 'src/pricing/member-pricing.ts', 'src/billing/member-billing.ts'],
  },
  {
    name: 'provider + notifications + messages + presence',
    budget: 44 * 1024,
    elements: [
      'src/provider/member-provider.ts',
      'src/notifications/member-notifications.ts',
      'src/messages/member-messages.ts',
      'src/presence/member-presence.ts',
    ],
  },
  {
    name: 'provider + notifications + feed',
    budget: 42 * 1024,
    elements: [
      'src/provider/member-provider.ts',
      'src/notifications/member-notifications.ts',
      'src/feed/member-feed.ts',
    ],
  },
];

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

let failed = false;
for (const page of PAGES) {
  const needed = new Set();
  const add = (file) => {
    if (needed.has(file)) return;
    needed.add(file);
    for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement') add(imported.path);
  };
  add('dist/cdn/memberkit-widgets.js');
  for (const source of page.elements) add(outputFor(source));

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
  console.log(`memberkit-widgets.js initial load (${page.name}), ${needed.size} files:`);
  console.log(rows.join('\n'));
  console.log(
    `  total ${(raw / 1024).toFixed(1)} KiB min, ${(gzipped / 1024).toFixed(1)} KiB min+gzip (budget ${page.budget / 1024} KiB)`,
  );
  if (gzipped > page.budget) {
    console.error(`size budget of ${page.name} exceeded by ${((gzipped - page.budget) / 1024).toFixed(1)} KiB`);
    failed = true;
  }
}
const all = result.outputFiles
  .filter((f) => f.path.endsWith('.js'))
  .reduce((sum, f) => sum + gzipSync(f.contents, { level: 9 }).length, 0);
console.log(`all elements ${(all / 1024).toFixed(1)} KiB gzip`);
if (failed) process.exit(1);
