import type { MailBlock } from './layout.js';
import type { MailLanguage } from './strings.js';

/** `scheduled_report`: a saved report's result, mailed to staff weekly or monthly. */
export interface ScheduledReportData {
  report_name: string;
  /** First and last local day the figures cover (`YYYY-MM-DD`). */
  from: string;
  to: string;
  schedule: 'weekly' | 'monthly';
  /** Column headings, in the mail's language. */
  columns: string[];
  /** The table's cells as text, at most {@link MAX_MAIL_ROWS} rows. */
  rows: string[][];
  /** Rows of the full result (more than `rows.length` when cut for the mail). */
  total_rows: number;
}

/** Most rows a mail shows; the rest is in the API (`GET /v1/reports/{id}/result.csv`). */
export const MAX_MAIL_ROWS = 200;

interface Strings {
  subject: (p: { tenant: string; name: string }) => string;
  preheader: (p: { name: string; from: string; to: string }) => string;
  intro: (p: { name: string; from: string; to: string; schedule: 'weekly' | 'monthly' }) => string;
  empty: string;
  cut: (p: { shown: number; total: number }) => string;
}

const STRINGS: Record<MailLanguage, Strings> = {
  en: {
    subject: ({ tenant, name }) => `${name}: your report from ${tenant}`,
    preheader: ({ name, from, to }) => `${name}, ${from} to ${to}.`,
    intro: ({ name, from, to, schedule }) =>
      `Here is your ${schedule} report "${name}" for ${from} to ${to} (dates in the organization's time zone).`,
    empty: 'No figures for this period.',
    cut: ({ shown, total }) =>
      `The first ${shown} of ${total} rows are shown. The whole table is available as CSV in the staff console or through the API.`,
  },
  de: {
    subject: ({ tenant, name }) => `${name}: Ihr Bericht von ${tenant}`,
    preheader: ({ name, from, to }) => `${name}, ${from} bis ${to}.`,
    intro: ({ name, from, to, schedule }) =>
      `Hier ist Ihr ${schedule === 'weekly' ? 'wöchentlicher' : 'monatlicher'} Bericht „${name}“ für ${from} bis ${to} (Daten in der Zeitzone der Organisation).`,
    empty: 'Für diesen Zeitraum gibt es keine Zahlen.',
    cut: ({ shown, total }) =>
      `Gezeigt werden die ersten ${shown} von ${total} Zeilen. Die ganze Tabelle gibt es als CSV in der Mitarbeiterkonsole oder über die API.`,
  },
};

/** The mail's subject, heading and blocks: the intro, the table as text and HTML, a note when rows were cut. */
export function buildScheduledReport(
  data: ScheduledReportData,
  language: MailLanguage,
  tenant: string,
): { subject: string; preheader: string; heading: string; blocks: MailBlock[] } {
  const s = STRINGS[language];
  const name = data.report_name.replace(/\s+/g, ' ').trim();
  const rows = data.rows.slice(0, MAX_MAIL_ROWS);
  const blocks: MailBlock[] = [
    {
      kind: 'paragraph',
      text: s.intro({ name, from: data.from, to: data.to, schedule: data.schedule }),
    },
  ];
  if (rows.length === 0) blocks.push({ kind: 'paragraph', text: s.empty, muted: true });
  else blocks.push({ kind: 'table', columns: data.columns, rows });
  if (data.total_rows > rows.length)
    blocks.push({ kind: 'paragraph', text: s.cut({ shown: rows.length, total: data.total_rows }), muted: true });
  return {
    subject: s.subject({ tenant, name }),
    preheader: s.preheader({ name, from: data.from, to: data.to }),
    heading: name,
    blocks,
  };
}
