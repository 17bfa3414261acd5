import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'internal/index': 'src/internal/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  // One copy of Lit on the page: the app's.
  external: ['lit', /^lit\//, '@lit/context'],
});
