import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { oneTimeTokens, type OneTimePurpose } from '../db/schema/index.js';
import { sha256Hex } from '../lib/crypto.js';
import { randomBase62 } from '../lib/encoding.js';

/**
 * Verification, magic-link and reset codes expire within 10 minutes: a mailed code
 * signs its holder in while it lives, so its life is as short as opening the mail
 * allows, and a forwarded, logged or later-stolen mail is useless (OWASP's
 * forgot-password guidance: single use, short expiry).
 */
export const ONE_TIME_TTL_MS = 10 * 60 * 1000;

/** Issues a single-use token; only its hash is stored. The plaintext goes into the mail and nowhere else. */
export async function issueOneTimeToken(
  tx: Tx,
  tenantId: string,
  purpose: OneTimePurpose,
  subjectId: string,
  now: Date,
  data: Record<string, unknown> = {},
  ttlMs = ONE_TIME_TTL_MS,
): Promise<string> {
  const token = randomBase62(40);
  await tx.insert(oneTimeTokens).values({
    tenantId,
    tokenHash: await sha256Hex(token),
    purpose,
    subjectId,
    data,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return token;
}

/**
 * Consumes a token: marks it used and returns it, or null when it is unknown,
 * of another purpose, expired or already used. The update is the check, so two
 * concurrent uses cannot both succeed.
 */
export async function consumeOneTimeToken(tx: Tx, tenantId: string, purpose: OneTimePurpose, token: string, now: Date) {
  if (!/^[0-9A-Za-z]{40}$/.test(token)) return null;
  const [row] = await tx
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oneTimeTokens.tenantId, tenantId),
        eq(oneTimeTokens.tokenHash, await sha256Hex(token)),
        eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, now),
      ),
    )
    .returning();
  return row ?? null;
}
