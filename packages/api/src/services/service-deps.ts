import type { AppDeps } from '../deps.js';

/** What services need: the database, time and ids. Never a request. */
export type ServiceDeps = Pick<AppDeps, 'db' | 'clock' | 'ids'>;
