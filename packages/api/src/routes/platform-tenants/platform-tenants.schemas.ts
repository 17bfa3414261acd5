import { z } from '@hono/zod-openapi';
import { TenantSchema } from '../tenant/tenant.schemas.js';

export const TenantSlug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'Lower-case letters, digits and inner hyphens, at most 63 characters.',
  )
  .openapi({ example: 'demo' });

export const CreateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Demo Association' }),
    slug: TenantSlug,
  })
  .openapi('CreateTenantBody');

export const CreatedTenantSchema = TenantSchema.extend({
  secret_key: z
    .string()
    .openapi({ description: 'Admin secret key. Shown only in this response.', example: 'sk_01jd…' }),
  publishable_key: z
    .string()
    .openapi({ description: 'Publishable key for browsers. Shown only in this response.', example: 'pk_01jd…' }),
}).openapi('CreatedTenant');
