import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { errorResponses } from '../../lib/openapi.js';
import { PublicConfigSchema } from './public.schemas.js';

const errors = { 401: errorResponses[401], 403: errorResponses[403], 429: errorResponses[429] } as const;

const PUBLISHABLE: { [scheme: string]: string[] }[] = [{ publishableKey: [] }];

export const getPublicConfigRoute = createRoute({
  method: 'get',
  path: '/v1/public/config',
  operationId: 'getPublicConfig',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Public'],
  summary: "The tenant's public configuration",
  description:
    "What widgets need to render the tenant's member site: name, logo, branding, locales, sign-in methods, the custom fields and tiers on offer, directory and consent settings, and string overrides. Served with an `ETag`; send `If-None-Match` to get a 304 when nothing changed.",
  security: PUBLISHABLE,
  request: {
    headers: z.object({
      'if-none-match': z.string().optional().openapi({ description: 'The `ETag` of a copy you hold.' }),
    }),
  },
  responses: {
    200: {
      description: 'The configuration.',
      headers: z.object({ ETag: z.string(), 'Cache-Control': z.string() }),
      content: { 'application/json': { schema: PublicConfigSchema } },
    },
    304: { description: 'Unchanged since the `ETag` sent in `If-None-Match`.' },
    ...errors,
  },
});
