import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';
import { validationHook } from './validation.js';

/**
 * A sub-app for one resource. Every router shares this validation hook, so every
 * schema failure has the same problem+json shape.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook: validationHook });
}
