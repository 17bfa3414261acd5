/**
 * What the analytics generator and benchmarks share: the data file describing the
 * generated activity (git-ignored, next to tenants.json), local-day arithmetic, logging.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { DATA_DIR } from '../lib/config.js';

export const ANALYTICS_FILE = path.join(DATA_DIR, 'analytics.json');
export const DAY_MS = 86_400_000;

/** Time zone of a bench tenant, by its locale (the members bench's tenants are all UTC until the generator sets these). */
export const ZONE_BY_LOCALE: Record<string, string> = {
  en_US: 'America/New_York',
  en_GB: 'Europe/London',
  de: 'Europe/Berlin',
  fr: 'Europe/Paris',
  es: 'Europe/Madrid',
};

export interface AnalyticsTenant {
  id: string;
  slug: string;
  timeZone: string;
  members: number;
  events: number;
}

/** bench/.data/analytics.json: what `bench/analytics/generate.ts` made. */
export interface AnalyticsFile {
  version: 1;
  databaseUrl: string;
  generatedAt: string;
  /** Events span [startMs, nowMs). */
  startMs: number;
  nowMs: number;
  totalEvents: number;
  rollups: 'worker' | 'sql' | 'none';
  queueBatch: number;
  complete: boolean;
  timings: Record<string, number>;
  /** `--verify-rollups`: per rollup table, rows expected / missing / extra. */
  verification?: Record<string, string>;
  tenants: AnalyticsTenant[];
}

export async function readAnalyticsFile(): Promise<AnalyticsFile | null> {
  if (!existsSync(ANALYTICS_FILE)) return null;
  return JSON.parse(await readFile(ANALYTICS_FILE, 'utf8')) as AnalyticsFile;
}

export async function writeAnalyticsFile(file: AnalyticsFile): Promise<void> {
  await writeFile(ANALYTICS_FILE, `${JSON.stringify(file, null, 2)}\n`);
}

export function createLogger(name: string): { log: (message: string) => void; since: (t: number) => string } {
  const started = performance.now();
  const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
  return {
    log: (message: string) => process.stdout.write(`[${name} ${since(started).padStart(8)}] ${message}\n`),
    since,
  };
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `YYYY-MM-DD` of a local date given as days since 1970-01-01. */
export function dayString(dayIndex: number): string {
  return new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayIndexOf(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in an IANA zone. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Adds months to the first day of a month (`YYYY-MM-01`). */
export function addMonths(monthStart: string, months: number): string {
  const [y, m] = monthStart.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 10);
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of an ascending array. */
export function pct(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
