/** See source-aliases.mjs: vite aliases from workspace packages' exports to their `memberkit-source` files. */
export function sourceAliases(names: string[]): { find: RegExp; replacement: string }[];
