import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  // Lit and the shared base come from the app's copies, so there is one of each on the page.
  external: ['lit', /^lit\//, '@lit/context', '@memberkit/widgets', /^@memberkit\/widgets\//],
});
