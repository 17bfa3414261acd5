import { fileURLToPath } from 'node:url';

/**
 * esbuild options of an element package's script-tag bundle, shared by the
 * widgets and the admin elements (and by the size check, so it measures what is
 * built): ESM with code splitting (one chunk per element, loaded by the entry's
 * lazy loader), Lit included, minified, workspace packages from source, into
 * `dist/cdn/` with content-hashed chunks (served with long-lived caching).
 * @param {string} packageUrl a URL inside the package, e.g. `import.meta.url` of one of its scripts
 * @param {string} name the entry's file name without `.js`, e.g. `memberkit-widgets`
 * @param {string} entry the entry's source, relative to the package
 * @returns {import('esbuild').BuildOptions & { absWorkingDir: string, outdir: string, metafile: true }}
 */
export function elementBundleOptions(packageUrl, name, entry) {
  return {
    absWorkingDir: fileURLToPath(new URL('..', packageUrl)),
    entryPoints: { [name]: entry },
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
}
