import { z } from '@hono/zod-openapi';
import { redactApiKey } from '../../access/api-key-format.js';
import { SECRET_KEY_ROLES } from '../../access/permissions.js';
import type { ApiKeyRow } from '../../services/api-keys.js';
import { exampleOf, named } from '../../lib/openapi.js';
import { Origin, Timestamp } from '../../lib/schemas.js';

const Role = z.enum(SECRET_KEY_ROLES).openapi({
  description: '`admin`: everything; `manager`: members, tiers and invites; `viewer`: read only.',
  example: 'manager',
});
const Name = z.string().trim().min(1).max(100).optional().openapi({ example: 'Production backend' });

export const ApiKeySchema = named(
  z.object({
    id: z.string().openapi({ example: 'key_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('api_key'),
    kind: z.enum(['secret', 'publishable']),
    role: Role.nullable().openapi({ description: 'Role of a secret key; null for publishable keys.' }),
    name: z.string().nullable(),
    redacted_key: z.string().openapi({ description: "The key's kind and last four characters.", example: 'sk_…x9Qa' }),
    allowed_origins: z.array(Origin).openapi({ description: 'Browser origins a publishable key is accepted from.' }),
    created_at: Timestamp,
    last_used_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
  }),
  'ApiKey',
  {
    id: 'key_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'api_key',
    kind: 'secret',
    role: 'manager',
    name: 'Production backend',
    redacted_key: 'sk_…Ab3x',
    allowed_origins: [],
    created_at: '2026-11-27T09:30:00.000Z',
    last_used_at: '2026-12-01T16:05:00.000Z',
    revoked_at: null,
  },
);

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z
    .string()
    .openapi({ description: 'The full key. Shown only in this response: store it now.', example: 'sk_01jd…' }),
}).openapi('CreatedApiKey', {
  example: {
    ...exampleOf(ApiKeySchema)!,
    last_used_at: null,
    key: 'sk_01jdx3v4k7m9q2w8e5r6t0y1zc01jdx3v4k8a1b2c3d4e5f6g7h8j9Ab3xKq7Lm2Np5Rs8Tv1Wy4Zc6Df9Gh',
  },
});

export const CreateApiKeyBody = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('secret'), role: Role, name: Name }),
    z.strictObject({
      kind: z.literal('publishable'),
      name: Name,
      allowed_origins: z.array(Origin).max(50).optional().openapi({
        description: "Origins the key is accepted from; empty means the tenant's allowed origins.",
      }),
    }),
  ])
  .openapi('CreateApiKeyBody', { example: { kind: 'secret', role: 'manager', name: 'Production backend' } });

export function toApiKeyDto(row: ApiKeyRow): z.infer<typeof ApiKeySchema> {
  return {
    id: row.id,
    object: 'api_key',
    kind: row.kind,
    role: row.role,
    name: row.name,
    redacted_key: redactApiKey(row.kind, row.last4),
    allowed_origins: row.allowedOrigins,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}
