import { z } from '@hono/zod-openapi';
import { exampleOf } from '../../lib/openapi.js';
import { TimeZoneName } from '../../lib/schemas.js';
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
    time_zone: TimeZoneName.optional().openapi({
      description: 'IANA time zone the tenant counts its days in (`UTC` when left out); can be changed later.',
    }),
  })
  .openapi('CreateTenantBody', { example: { name: 'Demo Association', slug: 'demo', time_zone: 'Europe/Berlin' } });

export const CreatedTenantSchema = TenantSchema.extend({
  secret_key: z
    .string()
    .openapi({ description: 'Admin secret key. Shown only in this response.', example: 'sk_01jd…' }),
  publishable_key: z
    .string()
    .openapi({ description: 'Publishable key for browsers. Shown only in this response.', example: 'pk_01jd…' }),
}).openapi('CreatedTenant', {
  example: {
    ...exampleOf(TenantSchema)!,
    secret_key: 'sk_01jdx3v4k7m9q2w8e5r6t0y1zc01jdx3v4k8a1b2c3d4e5f6g7h8j9Ab3xKq7Lm2Np5Rs8Tv1Wy4Zc6Df9Gh',
    publishable_key: 'pk_01jdx3v4k7m9q2w8e5r6t0y1zc01jdx3v4k9a1b2c3d4e5f6g7h8j9Cd4yLr8Mn3Pq6St9Uw2Xz5Ae7Bg1Hj',
  },
});
