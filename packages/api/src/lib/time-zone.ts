/**
 * IANA time zones a tenant may choose: the runtime's own list
 * (`Intl.supportedValuesOf('timeZone')`) plus `UTC`, which the list leaves out.
 * The list, not the IANA database, is the authority: a zone the runtime cannot
 * compute day boundaries in is of no use to analytics.
 */
export const DEFAULT_TIME_ZONE = 'UTC';

let supported: ReadonlySet<string> | undefined;

function supportedTimeZones(): ReadonlySet<string> {
  supported ??= new Set([...Intl.supportedValuesOf('timeZone'), DEFAULT_TIME_ZONE]);
  return supported;
}

/**
 * The list's spelling of `name`, or null when it is no supported zone. Case and
 * aliases are forgiven the way the runtime resolves them (`europe/berlin` →
 * `Europe/Berlin`, `Etc/UTC` → `UTC`, `US/Pacific` → `America/Los_Angeles`), so
 * what is stored is always a name from the list.
 */
export function canonicalTimeZone(name: string): string | null {
  const zones = supportedTimeZones();
  if (zones.has(name)) return name;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null; // RangeError: not a zone at all
  }
  return zones.has(resolved) ? resolved : null;
}
