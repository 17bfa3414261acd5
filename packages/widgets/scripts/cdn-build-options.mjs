import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * esbuild options of the script-tag bundle, shared by the build and the size check so
 * both measure the same thing: ESM with code splitting (one chunk per element, loaded
 * by the entry's loader), Lit included, minified, workspace packages from source.
 * @type {import('esbuild').BuildOptions}
 */
export const cdnBuildOptions = {
  absWorkingDir: root,
  entryPoints: { 'memberkit-widgets': 'src/cdn/memberkit-widgets.ts' },
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
};
