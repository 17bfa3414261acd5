import { elementBundleOptions } from '../../../scripts/element-bundle-options.mjs';

/** esbuild options of the widgets' script-tag bundle, shared by the build and the size check. */
export const cdnBuildOptions = elementBundleOptions(
  import.meta.url,
  'memberkit-widgets',
  'src/cdn/memberkit-widgets.ts',
);
