#!/usr/bin/env node
/**
 * After `npm ci`, the READMEs' snippets import the packages as a user's project does:
 * by name, in plain Node (no tsx, no `memberkit-source` condition), which loads each
 * package's built `dist/`. This script collects every `import … from '@memberkit/…'`
 * line of the root and package READMEs' code blocks, runs them in a scratch project
 * outside the workspace sources (its node_modules links to the installed ones), and
 * fails with the missing file if one does not load. Elements need a browser: for those
 * packages the import is resolved and its file checked instead of evaluated.
 *
 *   node scripts/check-installed-packages.mjs      (CI runs it right after npm ci)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Packages whose entry points run in Node; the rest are resolved only. */
const NODE_PACKAGES = new Set(['@memberkit/sdk', '@memberkit/api']);

const readmes = [
  path.join(root, 'README.md'),
  ...readdirSync(path.join(root, 'packages')).map((dir) => path.join(root, 'packages', dir, 'README.md')),
].filter(existsSync);

/** `import { A, type B } from '@memberkit/x'` lines of fenced code blocks, type-only names dropped. */
const imports = new Map();
for (const file of readmes) {
  for (const block of readFileSync(file, 'utf8').matchAll(/```(?:ts|js|mjs|typescript|javascript)\n([\s\S]*?)```/g)) {
    for (const match of block[1].matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(@memberkit\/[^']+)';?$/gm)) {
      if (match[1]) continue;
      const names = match[2]
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name && !name.startsWith('type '));
      const specifier = match[3];
      const known = imports.get(specifier) ?? { names: new Set(), from: new Set() };
      for (const name of names) known.names.add(name.split(/\s+as\s+/)[0]);
      known.from.add(path.relative(root, file));
      imports.set(specifier, known);
    }
    // Side-effect imports (`import '@memberkit/widgets/signup';`): the module must be there.
    for (const match of block[1].matchAll(/^import\s+'(@memberkit\/[^']+)';?\s*(?:\/\/.*)?$/gm)) {
      const known = imports.get(match[1]) ?? { names: new Set(), from: new Set() };
      known.from.add(path.relative(root, file));
      imports.set(match[1], known);
    }
  }
}
if (imports.size === 0) throw new Error('No @memberkit imports found in the READMEs: the pattern is out of date.');

const project = mkdtempSync(path.join(os.tmpdir(), 'memberkit-installed-'));
try {
  symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  const lines = [];
  for (const [specifier, { names, from }] of imports) {
    const pkg = specifier.split('/').slice(0, 2).join('/');
    const where = JSON.stringify(`${specifier} (${[...from].join(', ')})`);
    if (NODE_PACKAGES.has(pkg)) {
      lines.push(
        `{ const m = await import(${JSON.stringify(specifier)});`,
        `  for (const name of ${JSON.stringify([...names])}) if (!(name in m)) throw new Error(\`\${${where}}: no export \${name}\`);`,
        `  console.log('ok   ', ${where}); }`,
      );
    } else {
      lines.push(
        `{ const file = new URL(import.meta.resolve(${JSON.stringify(specifier)}));`,
        `  if (!(await import('node:fs')).existsSync(file)) throw new Error(\`\${${where}}: \${file.pathname} is missing\`);`,
        `  console.log('found', ${where}); }`,
      );
    }
  }
  writeFileSync(path.join(project, 'snippets.mjs'), `${lines.join('\n')}\n`);
  const run = spawnSync(process.execPath, ['snippets.mjs'], { cwd: project, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(
      '\nThe packages are not usable as installed: is dist/ built (the root "prepare" script, run by npm ci)?',
    );
    process.exit(1);
  }
} finally {
  rmSync(project, { recursive: true, force: true });
}
