#!/usr/bin/env node
// The `memberkit` CLI. An installed package runs its compiled dist/ (no tsx needed).
// In the repository (tsconfig.json, which is not published, and tsx beside) it runs the
// TypeScript sources, so edits apply without a rebuild.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const checkout = existsSync(new URL('../tsconfig.json', import.meta.url));
const tsx = checkout ? await import('tsx/esm/api').catch(() => null) : null;
if (tsx) {
  tsx.register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
