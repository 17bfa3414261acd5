import { z } from '@hono/zod-openapi';
import type { AuditEntryView } from '../../services/audit.js';
import { named } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';
import type { ChainVerification } from '../../services/audit.js';

const Sha256 = z.string().openapi({ example: '9f2c4e0b7a1d5c3e8f6a2b4d0c9e7f1a3b5d8c2e4f6a0b1c3d5e7f9a2b4c6d8e' });

// Actor and target types are open strings, not enums: new kinds (staff, member,
// system) will appear, and an SDK with a closed enum would break on them.
const ActorSchema = z
  .object({
    type: z.string().openapi({
      description: 'Kind of actor: `api_key` today; `staff`, `member`, `platform` and `system` later.',
      example: 'api_key',
    }),
    id: z.string().openapi({ example: 'key_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    label: z.string().nullable().openapi({
      description:
        "The actor's current name, for people: a staff user's or member's name and email, an API key's name. Looked up when the log is read (not stored in the chained entry), so a rename shows and an erased member reads `Erased Member`; null when there is none (system, platform, a key without a name, a deleted row).",
      example: 'Backend sync',
    }),
  })
  .openapi('AuditActor', { description: 'Who made the change.' });

const TargetSchema = z
  .object({
    type: z
      .string()
      .openapi({ description: 'Kind of resource changed, e.g. `invite`, `member`, `tier`.', example: 'invite' }),
    id: z.string().openapi({ example: 'inv_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    label: z.string().nullable().openapi({
      description:
        "The target's current name, for people: a member's or staff user's name and email, an invitation's email, a tier's or API key's name. Looked up when the log is read; null when there is none.",
      example: 'new.staff@example.org',
    }),
  })
  .openapi('AuditTarget', { description: 'What was changed.' });

/** The AuditEntry DTO. */
export const AuditEntrySchema = named(
  z.object({
    id: z.string().openapi({ example: 'aud_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    object: z.literal('audit_entry'),
    seq: z
      .number()
      .int()
      .openapi({ description: "Position in the tenant's chain, from 1, without gaps.", example: 42 }),
    actor: ActorSchema,
    action: z.string().openapi({ description: '`<resource>.<verb>`.', example: 'invite.created' }),
    target: TargetSchema,
    diff: z.record(z.string(), z.unknown()).openapi({
      description:
        'Changed fields as `{ field: { from, to } }`. Secrets (tokens, hashes, keys, passwords) are never recorded. Empty after a redaction (`redacted_at`).',
      example: { status: { from: 'pending', to: 'revoked' } },
    }),
    request_id: z.string().nullable().openapi({
      description: 'The `X-Request-Id` of the request that made the change.',
      example: 'req_01jdx3v4k7m9q2w8e5r6t0y1zc',
    }),
    ip: z.string().nullable().openapi({
      description: "Where the actor called from; null after a redaction of a member's own actions.",
      example: '203.0.113.7',
    }),
    occurred_at: Timestamp,
    redacted_at: Timestamp.nullable().openapi({
      description:
        'When personal data was removed from this entry because the member it is about (or who made it) was erased (GDPR Art. 17); null otherwise. The entry still verifies: its hash covers salted commitments of the diff and IP, not the values.',
      example: null,
    }),
    hash: Sha256.openapi({
      description:
        "SHA-256 over `prev_hash` and this entry's canonical JSON, in which the diff and the IP appear as salted commitments (entries written before redaction existed hash them directly).",
    }),
    prev_hash: Sha256.openapi({ description: "The previous entry's `hash`; 64 zeros for the first entry." }),
  }),
  'AuditEntry',
  {
    id: 'aud_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'audit_entry',
    seq: 42,
    actor: { type: 'api_key', id: 'key_01jdx3v4k7m9q2w8e5r6t0y1zc', label: 'Backend sync' },
    action: 'invite.revoked',
    target: { type: 'invite', id: 'inv_01jdx3v4k7m9q2w8e5r6t0y1zc', label: 'new.staff@example.org' },
    diff: { status: { from: 'pending', to: 'revoked' } },
    request_id: 'req_01jdx3v4k7m9q2w8e5r6t0y1zc',
    ip: '203.0.113.7',
    occurred_at: '2026-11-27T09:30:00.000Z',
    redacted_at: null,
    hash: '9f2c4e0b7a1d5c3e8f6a2b4d0c9e7f1a3b5d8c2e4f6a0b1c3d5e7f9a2b4c6d8e',
    prev_hash: '0b4d6f8a1c3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c',
  },
  {
    description: "One change, as recorded in the tenant's append-only, hash-chained audit log.",
  },
);

/** Response of `GET /v1/audit-log/verify`. */
export const AuditVerificationSchema = z
  .object({
    object: z.literal('audit_verification'),
    valid: z
      .boolean()
      .openapi({ description: 'True when every entry and the chain head match their hashes.', example: true }),
    checked: z
      .number()
      .int()
      .openapi({ description: 'Entries verified before the first mismatch (all of them when valid).', example: 42 }),
    redacted: z.number().int().openapi({
      description: 'Of the entries checked, those whose personal data was removed when a member was erased.',
      example: 0,
    }),
    first_invalid_seq: z.number().int().nullable().openapi({
      description: 'The first entry that was changed, removed or inserted; null when valid.',
      example: null,
    }),
    reason: z.string().nullable().openapi({ description: 'What did not match; null when valid.', example: null }),
  })
  .openapi('AuditVerification', {
    example: {
      object: 'audit_verification',
      valid: true,
      checked: 42,
      redacted: 0,
      first_invalid_seq: null,
      reason: null,
    },
  });

const FilterString = z.string().trim().min(1).max(100);
const DateTime = z.iso.datetime({
  offset: true,
  message: 'Must be an ISO 8601 date-time such as 2026-11-27T09:30:00Z.',
});

/** Filters of `GET /v1/audit-log` (pagination is added by the route). */
export const ListAuditLogQuery = z.object({
  actor: FilterString.optional().openapi({
    param: { name: 'actor', in: 'query' },
    description: 'Only entries by this actor id.',
    example: 'key_01jdx3v4k7m9q2w8e5r6t0y1zc',
  }),
  action: FilterString.optional().openapi({
    param: { name: 'action', in: 'query' },
    description: 'Only entries with this action.',
    example: 'invite.created',
  }),
  target: FilterString.optional().openapi({
    param: { name: 'target', in: 'query' },
    description: 'Only entries about this resource id.',
    example: 'inv_01jdx3v4k7m9q2w8e5r6t0y1zc',
  }),
  from: DateTime.optional().openapi({
    param: { name: 'from', in: 'query' },
    description: 'Only entries at or after this time.',
    example: '2026-11-01T00:00:00Z',
  }),
  to: DateTime.optional().openapi({
    param: { name: 'to', in: 'query' },
    description: 'Only entries at or before this time.',
    example: '2026-11-30T23:59:59Z',
  }),
});

/** Maps an audit row to its DTO. */
export function toAuditEntryDto(row: AuditEntryView): z.infer<typeof AuditEntrySchema> {
  return {
    id: row.id,
    object: 'audit_entry',
    seq: row.seq,
    actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
    action: row.action,
    target: { type: row.targetType, id: row.targetId, label: row.targetLabel },
    diff: row.diff,
    request_id: row.requestId,
    ip: row.ip,
    redacted_at: row.redactedAt?.toISOString() ?? null,
    occurred_at: row.occurredAt.toISOString(),
    hash: row.hash,
    prev_hash: row.prevHash,
  };
}

/** Maps a chain verification to its DTO. */
export function toAuditVerificationDto(result: ChainVerification): z.infer<typeof AuditVerificationSchema> {
  return { object: 'audit_verification', ...result };
}
