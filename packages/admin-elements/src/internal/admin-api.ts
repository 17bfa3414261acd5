import type { Memberkit, Schema } from '@memberkit/sdk';

/** A member as the API returns it. */
export type Member = Schema<'Member'>;
/** One page of members. */
export type MemberList = Schema<'MemberList'>;
/** The list filters without sort and page, as the bulk endpoint and the export take them. */
export type MemberFilter = Schema<'MemberFilter'>;
/** Body of a bulk action. */
export type BulkMembersBody = Schema<'BulkMembersBody'>;
/** What a bulk action did per member. */
export type BulkResult = Schema<'BulkResult'>;
/** What an import did (or would do). */
export type ImportResult = Schema<'ImportResult'>;
/** A tier. */
export type Tier = Schema<'Tier'>;
/** A custom field definition. */
export type CustomField = Schema<'CustomField'>;
/** An invitation. */
export type Invite = Schema<'Invite'>;
/** One audit-log entry. */
export type AuditEntry = Schema<'AuditEntry'>;
/** Result of verifying the audit chain. */
export type AuditVerification = Schema<'AuditVerification'>;

/** Every tier of the tenant (archived ones too, so members on them still show a name). */
export async function loadTiers(client: Memberkit): Promise<Tier[]> {
  return client.tiers.list({ limit: 100, include_archived: true }).toArray({ limit: 1000 });
}

/** The tenant's custom field definitions, in display order. */
export async function loadFields(client: Memberkit): Promise<CustomField[]> {
  return (await client.fields.list()).data;
}

/** The members matching `filter` as CSV text (the export streams; a staff export fits in memory). */
export async function exportCsv(client: Memberkit, filter: MemberFilter): Promise<string> {
  const stream = await client.members.exportStream({ ...filter, format: 'csv' });
  return new Response(stream).text();
}

/** A label in `locale`, else English, else any: custom field labels are per locale. */
export function localized(labels: Record<string, string>, locale: string, fallback: string): string {
  return labels[locale] ?? labels[locale.split('-')[0] ?? ''] ?? labels.en ?? Object.values(labels)[0] ?? fallback;
}
