import { and, eq, gt, isNull } from 'drizzle-orm';
import { isSessionActive } from '../accounts/sessions.js';
import type { Role, SecretKeyRole } from '../access/permissions.js';
import { apiKeys, realtimeTickets, staffUsers } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { sha256Hex } from '../lib/crypto.js';
import { ApiError, defineErrorCodes } from '../lib/errors.js';

/** Errors of stream tickets and the stream endpoints. */
export const RealtimeErrors = defineErrorCodes({
  INVALID_TICKET: { status: 401, title: 'Invalid stream ticket' },
  TOPIC_NOT_ALLOWED: { status: 403, title: 'Topic not allowed' },
  INVALID_TOPIC: { status: 400, title: 'Invalid topic' },
  ORIGIN_MISMATCH: { status: 403, title: 'Origin does not match the ticket' },
  UPGRADE_REQUIRED: { status: 426, title: 'WebSocket upgrade required' },
  REALTIME_UNAVAILABLE: { status: 503, title: 'Real-time streams unavailable' },
});

/** How long a ticket can be used after it was issued. */
export const TICKET_TTL_SECONDS = 60;

/** Who a stream is for, as a consumed ticket says: the credential that asked for the ticket, checked again. */
export type StreamPrincipal =
  | { type: 'member'; tenantId: string; memberId: string; sessionId: string }
  | { type: 'staff'; tenantId: string; staffId: string; sessionId: string; role: Role }
  | { type: 'secret_key'; tenantId: string; keyId: string; role: SecretKeyRole };

/** The credentials that may ask for a ticket (publishable keys may not: they name no one). */
export type TicketSubject =
  | { type: 'member'; tenantId: string; memberId: string; sessionId: string }
  | { type: 'staff'; tenantId: string; staffId: string; sessionId: string }
  | { type: 'secret_key'; tenantId: string; id: string };

/** A freshly issued ticket: the string to hand to the stream URL, once. */
export interface IssuedTicket {
  id: string;
  ticket: string;
  expiresAt: Date;
}

const TICKET_FORMAT = /^rtt_([A-Za-z0-9_-]{4,96})\.([A-Za-z0-9_-]{43})$/;
const TENANT_ID = /^tnt_[0-9a-hjkmnp-tv-z]{26}$/;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): string | null {
  try {
    return atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
}

/**
 * Issues a single-use stream ticket for `subject`, valid {@link TICKET_TTL_SECONDS}
 * seconds, bound to the browser `origin` that asked for it (when there was one).
 * The ticket is `rtt_<base64url(tenant id)>.<secret>`: the tenant part only says
 * where to look; the check is the SHA-256 of the secret found in that tenant's rows.
 *
 * @example
 * const { ticket } = await issueTicket(deps, { type: 'member', tenantId, memberId, sessionId }, 'https://club.example');
 */
export async function issueTicket(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'>,
  subject: TicketSubject,
  origin: string | null,
): Promise<IssuedTicket> {
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const ticket = `rtt_${base64url(new TextEncoder().encode(subject.tenantId))}.${secret}`;
  const id = deps.ids.generate('rtt');
  const expiresAt = new Date(deps.clock.now().getTime() + TICKET_TTL_SECONDS * 1000);
  const subjectId =
    subject.type === 'member' ? subject.memberId : subject.type === 'staff' ? subject.staffId : subject.id;
  const secretHash = await sha256Hex(secret);
  await deps.db.withTenant(subject.tenantId, (tx) =>
    tx.insert(realtimeTickets).values({
      tenantId: subject.tenantId,
      id,
      secretHash,
      subjectType: subject.type,
      subjectId,
      sessionId: subject.type === 'secret_key' ? null : subject.sessionId,
      origin,
      expiresAt,
    }),
  );
  return { id, ticket, expiresAt };
}

function invalidTicket(): ApiError {
  return new ApiError(
    RealtimeErrors.INVALID_TICKET,
    'The stream ticket is invalid, expired or already used; get a new one from POST /v1/realtime/tickets.',
  );
}

/**
 * Consumes a ticket (once: the first caller wins, atomically) and returns who the
 * stream is for, with the credential checked again: the session still live, the
 * staff user still active (role read fresh), the key not revoked. 401
 * `INVALID_TICKET` for anything unknown, expired, used or revoked; 403
 * `ORIGIN_MISMATCH` when the ticket was issued to a page of another origin than
 * the one opening the stream.
 */
export async function consumeTicket(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  ticket: string,
  origin: string | null,
): Promise<StreamPrincipal> {
  const match = TICKET_FORMAT.exec(ticket);
  const tenantId = match?.[1] ? fromBase64url(match[1]) : null;
  if (!match?.[2] || !tenantId || !TENANT_ID.test(tenantId)) throw invalidTicket();
  const hash = await sha256Hex(match[2]);
  const now = deps.clock.now();
  const result = await deps.db.withTenant(tenantId, async (tx) => {
    const [row] = await tx
      .update(realtimeTickets)
      .set({ usedAt: now })
      .where(
        and(
          eq(realtimeTickets.tenantId, tenantId),
          eq(realtimeTickets.secretHash, hash),
          isNull(realtimeTickets.usedAt),
          gt(realtimeTickets.expiresAt, now),
        ),
      )
      .returning();
    if (!row) return null;
    if (row.origin && origin && row.origin !== origin) return { mismatch: row.origin } as const;
    switch (row.subjectType) {
      case 'member': {
        if (!row.sessionId || !(await isSessionActive(tx, tenantId, row.sessionId, now))) return null;
        return { type: 'member', tenantId, memberId: row.subjectId, sessionId: row.sessionId } as const;
      }
      case 'staff': {
        if (!row.sessionId || !(await isSessionActive(tx, tenantId, row.sessionId, now))) return null;
        const [staff] = await tx
          .select({ role: staffUsers.role, status: staffUsers.status })
          .from(staffUsers)
          .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, row.subjectId)));
        if (staff?.status !== 'active') return null;
        return {
          type: 'staff',
          tenantId,
          staffId: row.subjectId,
          sessionId: row.sessionId,
          role: staff.role,
        } as const;
      }
      case 'secret_key': {
        const [key] = await tx
          .select({ role: apiKeys.role })
          .from(apiKeys)
          .where(
            and(
              eq(apiKeys.tenantId, tenantId),
              eq(apiKeys.id, row.subjectId),
              eq(apiKeys.kind, 'secret'),
              isNull(apiKeys.revokedAt),
            ),
          );
        return key?.role ? ({ type: 'secret_key', tenantId, keyId: row.subjectId, role: key.role } as const) : null;
      }
    }
  });
  if (!result) throw invalidTicket();
  if ('mismatch' in result) {
    throw new ApiError(
      RealtimeErrors.ORIGIN_MISMATCH,
      `This ticket was issued to a page of ${result.mismatch}; the stream was opened from ${origin}.`,
    );
  }
  return result;
}

/**
 * Whether the principal's credential still stands (session live, staff active,
 * key not revoked): open streams check it now and then, so signing out or
 * revoking a key also ends the streams it opened.
 */
export async function principalStillValid(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  principal: StreamPrincipal,
): Promise<boolean> {
  const { tenantId } = principal;
  return deps.db.withTenant(tenantId, async (tx) => {
    if (principal.type === 'secret_key') {
      const [key] = await tx
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, principal.keyId), isNull(apiKeys.revokedAt)));
      return Boolean(key);
    }
    if (!(await isSessionActive(tx, tenantId, principal.sessionId, deps.clock.now()))) return false;
    if (principal.type === 'member') return true;
    const [staff] = await tx
      .select({ status: staffUsers.status })
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, principal.staffId)));
    return staff?.status === 'active';
  });
}
