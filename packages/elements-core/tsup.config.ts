import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  clean: false,
  splitting: true,
  treeshake: true,
  // One copy of Lit on the page: the app's.
  external: ['lit', /^lit\//, '@lit/context'],
});
