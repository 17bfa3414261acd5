// Builds the script-tag bundle into dist/cdn/ (served by the API at /admin-elements/v1/),
// with brotli and gzip copies of each file for the API to serve per Accept-Encoding.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { elementBundleOptions } from '../../../scripts/element-bundle-options.mjs';
import { precompress } from '../../../scripts/precompress.mjs';

const options = elementBundleOptions(import.meta.url, 'memberkit-admin', 'src/cdn/memberkit-admin.ts');
// Old chunks would linger beside the new ones (their names carry content hashes).
await rm(path.join(options.absWorkingDir, options.outdir), { recursive: true, force: true });
const result = await esbuild.build(options);
const outputs = Object.entries(result.metafile.outputs).filter(([name]) => name.endsWith('.js'));
const entry = result.metafile.outputs['dist/cdn/memberkit-admin.js']?.bytes ?? 0;
const packed = await precompress(path.join(options.absWorkingDir, options.outdir));
console.log(
  `dist/cdn: ${outputs.length} files, entry ${(entry / 1000).toFixed(1)} kB; all ${(packed.bytes / 1000).toFixed(1)} kB, ${(packed.br / 1000).toFixed(1)} kB brotli, ${(packed.gz / 1000).toFixed(1)} kB gzip`,
);
