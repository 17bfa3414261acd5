// Builds the script-tag bundle into dist/cdn/ (served by `npm start` at /admin-elements/v1/):
// ESM with code splitting (one chunk per element, loaded by the entry's loader), Lit included.
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const result = await esbuild.build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: { 'memberkit-admin': 'src/cdn/memberkit-admin.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  conditions: ['memberkit-source', 'browser'],
  tsconfig: 'tsconfig.json',
  outdir: 'dist/cdn',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
});
const outputs = Object.entries(result.metafile.outputs).filter(([name]) => name.endsWith('.js'));
const entry = result.metafile.outputs['dist/cdn/memberkit-admin.js']?.bytes ?? 0;
console.log(`dist/cdn: ${outputs.length} files, entry ${(entry / 1000).toFixed(1)} kB`);
