import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench folder and the repository root, wherever the scripts are started from. */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');
/** Git-ignored: tenant keys, server log, raw results. */
export const DATA_DIR = path.join(BENCH_DIR, '.data');
export const TENANTS_FILE = path.join(DATA_DIR, 'tenants.json');

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/memberkit_bench';

/** The benchmark database URL; only local servers are allowed. */
export function benchDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL;
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error('BENCH_DATABASE_URL must be a postgres:// URL.');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname))
    throw new Error('BENCH_DATABASE_URL must point at 127.0.0.1.');
  return url;
}

/** The database name of a URL and the URL of the maintenance database on the same server. */
export function databaseNameOf(url: string): { name: string; adminUrl: string } {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[a-z0-9_]+$/.test(name))
    throw new Error(`Database name "${name}" must be lower-case letters, digits and underscores.`);
  parsed.pathname = '/postgres';
  return { name, adminUrl: parsed.toString() };
}

export function intEnv(name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer in [${min}, ${max}], got "${raw}".`);
  return value;
}

export interface BenchTier {
  id: string;
  name: string;
  /** Share of the tenant's members given this tier (of those with a tier). */
  weight: number;
}

export interface BenchTenant {
  id: string;
  slug: string;
  name: string;
  secretKey: string;
  publishableKey: string;
  locale: string;
  members: number;
  tiers: BenchTier[];
}

/** bench/.data/tenants.json: what the generator made, read by the benchmark. */
export interface TenantsFile {
  version: 1;
  databaseUrl: string;
  seed: number;
  generatedAt: string;
  totalMembers: number;
  /** False until every member is loaded and the indexes are rebuilt. */
  complete: boolean;
  tenants: BenchTenant[];
}

export async function readTenantsFile(): Promise<TenantsFile | null> {
  if (!existsSync(TENANTS_FILE)) return null;
  return JSON.parse(await readFile(TENANTS_FILE, 'utf8')) as TenantsFile;
}
