import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { apiKeys, invites, members, staffUsers, tiers } from '../db/schema/index.js';
import { erasedAddress } from './members.js';

/** An actor or target of an audit entry. */
export interface AuditRef {
  type: string;
  id: string;
}

const refKey = (ref: AuditRef) => `${ref.type}:${ref.id}`;

/**
 * People-readable names for the actors and targets of audit entries ("Ada Lovelace
 * (ada@example.org)", a key's or tier's name), looked up when the log is read, in the
 * reader's transaction, for the kinds that have one.
 *
 * Joined at read time, not captured at write time, on purpose: the log is append-only
 * and hash-chained, so a name written into it could never be corrected after a rename,
 * and a member's name and email would stay in it after they are erased (GDPR Art. 17);
 * read from the live rows, an erased member reads "Erased Member" everywhere at once.
 * Kinds without a row of their own (system, platform) or rows since deleted get no
 * label: the reader shows the id.
 */
export async function auditLabels(tx: Tx, tenantId: string, refs: AuditRef[]): Promise<Map<string, string>> {
  const idsOf = (type: string) => [...new Set(refs.filter((r) => r.type === type).map((r) => r.id))];
  const labels = new Map<string, string>();
  const set = (type: string, id: string, label: string | null) => {
    if (label) labels.set(refKey({ type, id }), label);
  };

  const memberIds = idsOf('member');
  if (memberIds.length > 0) {
    const rows = await tx
      .select({ id: members.id, firstName: members.firstName, lastName: members.lastName, email: members.email })
      .from(members)
      .where(and(eq(members.tenantId, tenantId), inArray(members.id, memberIds)));
    for (const m of rows) {
      const name = `${m.firstName} ${m.lastName}`.trim();
      set('member', m.id, m.email === erasedAddress(m.id) ? name : name ? `${name} (${m.email})` : m.email);
    }
  }
  const staffIds = idsOf('staff');
  if (staffIds.length > 0) {
    const rows = await tx
      .select({ id: staffUsers.id, name: staffUsers.name, email: staffUsers.email })
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, staffIds)));
    for (const s of rows) set('staff', s.id, s.name ? `${s.name} (${s.email})` : s.email);
  }
  const keyIds = idsOf('api_key');
  if (keyIds.length > 0) {
    const rows = await tx
      .select({ id: apiKeys.id, name: apiKeys.name })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, keyIds)));
    for (const k of rows) set('api_key', k.id, k.name);
  }
  const tierIds = idsOf('tier');
  if (tierIds.length > 0) {
    const rows = await tx
      .select({ id: tiers.id, name: tiers.name })
      .from(tiers)
      .where(and(eq(tiers.tenantId, tenantId), inArray(tiers.id, tierIds)));
    for (const t of rows) set('tier', t.id, t.name);
  }
  const inviteIds = idsOf('invite');
  if (inviteIds.length > 0) {
    const rows = await tx
      .select({ id: invites.id, email: invites.email })
      .from(invites)
      .where(and(eq(invites.tenantId, tenantId), inArray(invites.id, inviteIds)));
    for (const i of rows) set('invite', i.id, i.email);
  }
  return labels;
}

/** The label of one actor or target, or null. */
export function labelOf(labels: Map<string, string>, ref: AuditRef): string | null {
  return labels.get(refKey(ref)) ?? null;
}
