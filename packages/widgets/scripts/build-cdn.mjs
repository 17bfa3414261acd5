// Builds the script-tag bundle into dist/cdn/ (served by the API at /widgets/v1/),
// with brotli and gzip copies of each file for the API to serve per Accept-Encoding.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { precompress } from '../../../scripts/precompress.mjs';
import { cdnBuildOptions } from './cdn-build-options.mjs';

// Old chunks would linger beside the new ones (their names carry content hashes).
await rm(path.join(cdnBuildOptions.absWorkingDir, cdnBuildOptions.outdir), { recursive: true, force: true });
const result = await esbuild.build(cdnBuildOptions);
const files = Object.entries(result.metafile.outputs).filter(([name]) => name.endsWith('.js'));
const packed = await precompress(path.join(cdnBuildOptions.absWorkingDir, cdnBuildOptions.outdir));
console.log(
  `dist/cdn: ${files.length} files, entry ${(result.metafile.outputs['dist/cdn/memberkit-widgets.js']?.bytes ?? 0) / 1000} kB; all ${(packed.bytes / 1000).toFixed(1)} kB, ${(packed.br / 1000).toFixed(1)} kB brotli, ${(packed.gz / 1000).toFixed(1)} kB gzip`,
);
