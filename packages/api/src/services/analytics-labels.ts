/**
 * People-readable names (English and German) of what analytics answers name: event
 * types, engagement segments, and more as other analytics add theirs. One table per
 * kind; add entries to a table (or a table to {@link ANALYTICS_LABELS}) rather than
 * writing labels in a handler. A key without an entry is labelled by itself
 * (tenant-defined `x.*` event types read as their name).
 */

/** Locales labels exist in. */
export const LABEL_LOCALES = ['en', 'de'] as const;
export type LabelLocale = (typeof LABEL_LOCALES)[number];

/** One name per locale. */
export type Label = Record<LabelLocale, string>;

/** Built-in event types: the platform's `member.*` and the namespaces clients send. */
export const EVENT_TYPE_LABELS: Record<string, Label> = {
  'member.signed_up': { en: 'Signed up', de: 'Registriert' },
  'member.email_verified': { en: 'Email verified', de: 'E-Mail bestätigt' },
  'member.signed_in': { en: 'Signed in', de: 'Angemeldet' },
  'member.tier_changed': { en: 'Tier changed', de: 'Stufe gewechselt' },
  'member.status_changed': { en: 'Status changed', de: 'Status geändert' },
  'member.invite_accepted': { en: 'Invitation accepted', de: 'Einladung angenommen' },
  'member.profile_updated': { en: 'Profile updated', de: 'Profil aktualisiert' },
  'page.viewed': { en: 'Page viewed', de: 'Seite angesehen' },
  'event.registered': { en: 'Registered for an event', de: 'Für Veranstaltung angemeldet' },
  'event.attended': { en: 'Attended an event', de: 'Veranstaltung besucht' },
  'event.cancelled': { en: 'Cancelled an event registration', de: 'Veranstaltungsanmeldung storniert' },
  'course.enrolled': { en: 'Enrolled in a course', de: 'In Kurs eingeschrieben' },
  'course.started': { en: 'Started a course', de: 'Kurs begonnen' },
  'course.completed': { en: 'Completed a course', de: 'Kurs abgeschlossen' },
  'content.viewed': { en: 'Viewed content', de: 'Inhalt angesehen' },
  'content.downloaded': { en: 'Downloaded content', de: 'Inhalt heruntergeladen' },
  'content.shared': { en: 'Shared content', de: 'Inhalt geteilt' },
};

/** Engagement segments (see analytics-engagement.ts). */
export const SEGMENT_LABELS: Record<string, Label> = {
  highly_active: { en: 'Highly active', de: 'Sehr aktiv' },
  moderately_active: { en: 'Moderately active', de: 'Mäßig aktiv' },
  low: { en: 'Low activity', de: 'Wenig aktiv' },
  dormant: { en: 'Dormant', de: 'Inaktiv' },
};

/** Member statuses (`deleted`: a soft-deleted member). */
export const MEMBER_STATUS_LABELS: Record<string, Label> = {
  pending: { en: 'Pending', de: 'Ausstehend' },
  active: { en: 'Active', de: 'Aktiv' },
  inactive: { en: 'Inactive', de: 'Inaktiv' },
  suspended: { en: 'Suspended', de: 'Gesperrt' },
  deleted: { en: 'Deleted', de: 'Gelöscht' },
};

/** How members came (`members.source`). */
export const MEMBER_SOURCE_LABELS: Record<string, Label> = {
  signup: { en: 'Sign-up', de: 'Registrierung' },
  invite: { en: 'Invitation', de: 'Einladung' },
  import: { en: 'Import', de: 'Import' },
  staff: { en: 'Added by staff', de: 'Vom Team angelegt' },
  api: { en: 'API', de: 'API' },
  oidc: { en: 'Single sign-on', de: 'Single Sign-on' },
};

/** Every label table by kind. */
export const ANALYTICS_LABELS = {
  event_type: EVENT_TYPE_LABELS,
  segment: SEGMENT_LABELS,
  member_status: MEMBER_STATUS_LABELS,
  member_source: MEMBER_SOURCE_LABELS,
} satisfies Record<string, Record<string, Label>>;

export type LabelKind = keyof typeof ANALYTICS_LABELS;

/**
 * The label of `key` of `kind` in `locale`; the key itself when it has none.
 * @example
 * labelOf('event_type', 'page.viewed', 'de') // 'Seite angesehen'
 * labelOf('event_type', 'x.quiz_passed', 'de') // 'x.quiz_passed'
 */
export function labelOf(kind: LabelKind, key: string, locale: LabelLocale): string {
  const table: Record<string, Label> = ANALYTICS_LABELS[kind];
  return Object.hasOwn(table, key) ? table[key]![locale] : key;
}

/** The label locale a BCP 47 tag falls back to (`de-AT` → `de`), or null when labels have none. */
function labelLocaleOf(tag: string): LabelLocale | null {
  const language = tag.trim().toLowerCase().split('-')[0];
  return (LABEL_LOCALES as readonly string[]).includes(language ?? '') ? (language as LabelLocale) : null;
}

/**
 * The locale to label an answer in: the most preferred language of `Accept-Language`
 * that labels exist in (quality values honoured), else the tenant's default
 * locale's language, else English.
 * @example
 * labelLocale('fr-CH, de;q=0.8, en;q=0.5', 'en') // 'de'
 * labelLocale(undefined, 'de-AT') // 'de'
 */
export function labelLocale(acceptLanguage: string | undefined, tenantDefault: string): LabelLocale {
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .slice(0, 20)
      .map((part, index) => {
        const [tag = '', ...params] = part.split(';');
        const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
        return { tag, q: q === undefined ? 1 : Number(q), index };
      })
      .filter((entry) => Number.isFinite(entry.q) && entry.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    for (const { tag } of ranked) {
      const locale = labelLocaleOf(tag);
      if (locale) return locale;
    }
  }
  return labelLocaleOf(tenantDefault) ?? 'en';
}
