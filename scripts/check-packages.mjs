#!/usr/bin/env node
/**
 * Every publishable package (packages/*, not private) as npm would publish it:
 *
 * 1. `npm pack --dry-run --json`: the tarball holds package.json, README.md, LICENSE,
 *    built JavaScript and declarations in dist/, every file its `exports` and `bin` name,
 *    and nothing that should stay home: tests, test helpers, env files, keys, data folders.
 * 2. publint (--strict): package.json fields and exports against the packed files.
 * 3. @arethetypeswrong/cli (`--profile esm-only`: the packages are ESM only): the types each
 *    export resolves to, under node16 ESM and bundler resolution.
 * 4. Browser: every JavaScript export of the packages that run in browsers (all but the API)
 *    bundles with esbuild for the browser platform, so none reaches for a Node built-in.
 *
 * Run after a build (`npm run build`, or `npm ci`, whose prepare script builds):
 *   npm run check:packages
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Files a package must never publish (paths relative to the package). */
const FORBIDDEN = [
  [/(^|\/)(test|tests|__tests__)\//, 'a test folder'],
  [/\.test(-d)?\.[cm]?[jt]sx?$/, 'a test file'],
  [/(^|\/)\.env(\.|$)/, 'an env file'],
  [/\.(pem|key|p12|pfx)$/, 'a key file'],
  [/(^|\/)(\.data|\.memberkit|pgdata|coverage|\.turbo|\.readme-check)\//, 'a data or cache folder'],
  [/(^|\/)dev-credentials\.json$/, 'development credentials'],
  [/(^|\/)tsconfig(\.[\w-]+)?\.json$/, 'a tsconfig (the sources would load through it in a checkout only)'],
];

/** Every file path an exports map (any condition) or bin points at. */
function targets(manifest) {
  const found = [];
  const walk = (node) => {
    if (typeof node === 'string') found.push(node);
    else if (node && typeof node === 'object') for (const value of Object.values(node)) walk(value);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  return found.map((target) => path.posix.normalize(target));
}

/** Packages that run on Node only (their server, CLI and test harness); all others must bundle for browsers. */
const NODE_ONLY = new Set(['@memberkit/api']);

/** The JavaScript file each export resolves to for an importer in a browser (`browser`, `import`, `default`). */
function browserTargets(manifest) {
  const pick = (node) => {
    if (typeof node === 'string') return node;
    if (!node || typeof node !== 'object') return null;
    for (const condition of ['browser', 'import', 'default']) if (condition in node) return pick(node[condition]);
    return null;
  };
  return Object.values(manifest.exports ?? {})
    .map(pick)
    .filter((target) => target && /\.m?js$/.test(target));
}

const failures = [];
const fail = (pkg, message) => failures.push(`${pkg}: ${message}`);

const packages = readdirSync(path.join(root, 'packages'))
  .map((dir) => path.join(root, 'packages', dir))
  .filter((dir) => existsSync(path.join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

for (const { dir, manifest } of packages) {
  const name = manifest.name;
  console.log(`\n== ${name}`);
  if (!existsSync(path.join(dir, 'dist'))) {
    fail(name, 'no dist/: build first (npm run build)');
    continue;
  }
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir }));
  const files = new Set(packed.files.map((file) => file.path));
  console.log(`npm pack: ${files.size} files, ${(packed.size / 1024).toFixed(0)} kB packed`);

  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.has(required)) fail(name, `${required} is not in the package`);
  }
  if (![...files].some((file) => /^dist\/.*\.js$/.test(file))) fail(name, 'no JavaScript in dist/');
  if (![...files].some((file) => /^dist\/.*\.d\.ts$/.test(file))) fail(name, 'no declarations (.d.ts) in dist/');
  for (const target of targets(manifest)) {
    if (!files.has(target)) fail(name, `exports/bin name ${target}, which is not in the package`);
  }
  for (const file of files) {
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(file)) fail(name, `${file} is ${what} and must not be published`);
    }
  }
  if (manifest.type !== 'module') fail(name, '"type": "module" is missing (the packages are ESM only)');
  if (!manifest.license) fail(name, 'no "license" field');

  const lint = spawnSync(bin('publint'), ['--strict'], { cwd: dir, stdio: 'inherit' });
  if (lint.status !== 0) fail(name, 'publint found problems (above)');
  // Script-tag bundles (`cdn/…`) are loaded by <script type="module">, not imported from TypeScript: no types to check.
  const scriptBundles = Object.keys(manifest.exports ?? {}).filter((subpath) => subpath.includes('/cdn/'));
  const exclude = scriptBundles.length > 0 ? ['--exclude-entrypoints', ...scriptBundles] : [];
  const types = spawnSync(
    bin('attw'),
    ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped', ...exclude],
    {
      cwd: dir,
      stdio: 'inherit',
    },
  );
  if (types.status !== 0) fail(name, 'arethetypeswrong found problems (above)');

  if (!NODE_ONLY.has(name)) {
    for (const target of browserTargets(manifest)) {
      try {
        await build({
          entryPoints: [path.join(dir, target)],
          bundle: true,
          platform: 'browser',
          format: 'esm',
          write: false,
          logLevel: 'silent',
        });
      } catch (error) {
        const reasons = (error.errors ?? []).map((e) => e.text).join('; ');
        fail(name, `${target} does not bundle for browsers: ${reasons || error.message}`);
      }
    }
    console.log(`browser: ${browserTargets(manifest).length} entry points bundle for the browser platform`);
  }
}

if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):\n${failures.map((line) => `  - ${line}`).join('\n')}`);
  process.exit(1);
}
console.log(`\n${packages.length} packages ready to publish.`);
