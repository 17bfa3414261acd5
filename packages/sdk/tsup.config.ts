import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/server.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  // One file per module keeps the output tree-shakable for bundlers; `sideEffects: false` in package.json lets them drop what is unused.
  splitting: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['jose'],
});
