#!/usr/bin/env node
// The `memberkit` CLI runs the TypeScript sources directly through tsx, so it
// works straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
