import type { Params } from './types.js';

/**
 * Parses a form-encoded body or query string the way Stripe does: bracket keys nest
 * (`a[b][0][c]=x` → `{ a: { b: [{ c: 'x' }] } }`), `a[]=x` appends, and objects whose
 * keys are all indices become arrays. Values stay strings; handlers coerce them.
 */
export function parseForm(text: string): Params {
  const root: Params = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = splitKey(rawKey);
    if (path.length === 0) continue;
    let node: Params = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const next = node[key];
      if (typeof next !== 'object' || next === null) node[key] = {};
      node = node[key] as Params;
    }
    const last = path[path.length - 1]!;
    if (last === '') node[String(Object.keys(node).length)] = value;
    else node[last] = value;
  }
  return arraysFromIndexedObjects(root) as Params;
}

/** `a[b][]` → `['a', 'b', '']`. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const parts = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1] ?? '');
  return parts;
}

function arraysFromIndexedObjects(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => [k, arraysFromIndexedObjects(v)] as const,
  );
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}
