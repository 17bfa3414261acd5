import type { Label, LabelLocale } from './analytics-labels.js';

/** Column headings of report results, by column key. */
export const REPORT_COLUMN_LABELS: Record<string, Label> = {
  day: { en: 'Day', de: 'Tag' },
  week: { en: 'Week', de: 'Woche' },
  month: { en: 'Month', de: 'Monat' },
  tier: { en: 'Tier', de: 'Stufe' },
  status: { en: 'Status', de: 'Status' },
  event_type: { en: 'Event type', de: 'Ereignistyp' },
  source: { en: 'Source', de: 'Herkunft' },
  event_count: { en: 'Events', de: 'Ereignisse' },
  unique_members: { en: 'Active members', de: 'Aktive Mitglieder' },
  members: { en: 'Members', de: 'Mitglieder' },
};

/** Member statuses as reports show them (`deleted`: a soft-deleted member). */
export const REPORT_STATUS_LABELS: Record<string, Label> = {
  pending: { en: 'Pending', de: 'Ausstehend' },
  active: { en: 'Active', de: 'Aktiv' },
  inactive: { en: 'Inactive', de: 'Inaktiv' },
  suspended: { en: 'Suspended', de: 'Gesperrt' },
  deleted: { en: 'Deleted', de: 'Gelöscht' },
};

/** How members came (`members.source`). */
export const REPORT_SOURCE_LABELS: Record<string, Label> = {
  signup: { en: 'Sign-up', de: 'Registrierung' },
  invite: { en: 'Invitation', de: 'Einladung' },
  import: { en: 'Import', de: 'Import' },
  staff: { en: 'Added by staff', de: 'Vom Team angelegt' },
  api: { en: 'API', de: 'API' },
  oidc: { en: 'Single sign-on', de: 'Single Sign-on' },
};

/** Label of rows without a tier or without a custom field value. */
export const NONE_LABELS = { tier: { en: 'No tier', de: 'Keine Stufe' }, value: { en: '(none)', de: '(keiner)' } };

/** `table[key]` in `locale`, or the key itself. */
export function tableLabel(table: Record<string, Label>, key: string, locale: LabelLocale): string {
  return Object.hasOwn(table, key) ? table[key]![locale] : key;
}
