import { createRoute, z } from '@hono/zod-openapi';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    database: z.enum(['pglite', 'pg', 'neon']),
  })
  .openapi('Health', { example: { status: 'ok', database: 'pglite' } });

export const getHealthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['Meta'],
  summary: 'Health check',
  description: '200 when the API is serving and its database answers; 503 otherwise.',
  security: [],
  responses: {
    200: { description: 'Healthy.', content: { 'application/json': { schema: HealthSchema } } },
    503: { description: 'The database does not answer.', content: { 'application/json': { schema: HealthSchema } } },
  },
});
