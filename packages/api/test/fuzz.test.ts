import { afterAll, describe, expect, it } from 'vitest';
import { seedMemberInvoices } from '../src/testing/billing/portal-fixtures.js';
import { createNotifications } from '../src/services/notifications.js';
import {
  connectTestBilling,
  createTestContext,
  PLATFORM_KEY,
  startStripeDouble,
  type TestResponse,
} from '../src/testing/index.js';
import { defineFields } from './support/seed.js';

/**
 * Bad input never 5xx, for every operation of the OpenAPI document: for each path,
 * query and header parameter and each body field (nested objects and array items
 * included), a fixed corpus of bad values (wrong types, NUL, unpaired surrogates,
 * 1 MB strings, huge and negative numbers, NaN-ish strings, SQL/JSON/path
 * injection, forged cursors), and per operation malformed bodies and wrong content
 * types. Every answer must be a 4xx `application/problem+json` with a `code`, or a
 * 2xx where the value is genuinely valid (an injection string is a fine search
 * term). Deterministic (no random values), so a failure names its exact request.
 * Each request authenticates with a credential its operation accepts, so the bad
 * value reaches validation and the services rather than stopping at 401.
 */

// Billing operations reach Stripe: the suite's tenants are connected to the Stripe test double.
const stripe = await startStripeDouble();
const t = await createTestContext({ billing: stripe.billingDeps() });
afterAll(async () => {
  await t.close();
  await stripe.close();
});
const tenant = await t.createTenant('Fuzz Tenant');
await connectTestBilling(t, tenant, stripe);
await t.request('PATCH', '/v1/tenant', {
  key: tenant.secret_key,
  body: { directory: { enabled: true }, auth: { require_email_verification: false } },
});
await defineFields(t, tenant.id, [{ key: 'fuzz', type: 'text', visibility: 'public', memberEditable: true }]);

// ---------------------------------------------------------------------------------------------
// The document and a minimal JSON Schema walker (the generator of valid baselines and field paths)

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  operationId: string;
  security: string[];
  parameters: Parameter[];
  bodyTypes: Record<string, JsonSchema>;
}

const doc = (await t.request('GET', '/openapi.json')).body as {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        security?: Record<string, string[]>[];
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components: { schemas: Record<string, JsonSchema> };
};

const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    operationId: op.operationId,
    security: (op.security ?? []).flatMap((s) => Object.keys(s)),
    parameters: op.parameters ?? [],
    bodyTypes: Object.fromEntries(Object.entries(op.requestBody?.content ?? {}).map(([type, c]) => [type, c.schema])),
  })),
);

function resolve(schema: JsonSchema | undefined): JsonSchema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 10; i++) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
  if (s.allOf)
    return (
      s.allOf
        .map(resolve)
        // biome-ignore lint/performance/noAccumulatingSpread: a handful of allOf branches, merged once per schema
        .reduce<JsonSchema>((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {})
    );
  return s;
}

/** The branches of a union (or the schema itself), null branches left out. */
function branches(schema: JsonSchema): JsonSchema[] {
  const s = resolve(schema);
  const alternatives = s.oneOf ?? s.anyOf;
  if (!alternatives) return [s];
  return alternatives.map(resolve).filter((b) => b.type !== 'null');
}

let unique = 0;
/** A minimal value that (usually) satisfies `schema`: required properties only, fresh emails each time. */
function sample(schema: JsonSchema | undefined, name = ''): unknown {
  const s = branches(schema ?? {})[0] ?? {};
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (type === 'string' && (s.format === 'email' || /email/.test(name))) return `fuzz-${++unique}@example.org`;
  if (s.example !== undefined) return s.example;
  switch (type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((key) => [key, sample(s.properties?.[key], key)]));
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, name));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'uri' || /url|uri|issuer/.test(name)) return 'https://idp.example.org';
      return 'x'.repeat(Math.max(s.minLength ?? 1, 1));
    default:
      return 'x';
  }
}

/** Every field of a body worth mutating, as paths: properties of all union branches, nested objects and array items, two levels deep. */
function fieldPaths(schema: JsonSchema, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  const out: (string | number)[][] = [];
  for (const s of branches(schema)) {
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      const path = [...prefix, key];
      if (!out.some((p) => p.join('.') === path.join('.'))) out.push(path);
      if (depth >= 2) continue;
      const c = branches(child)[0] ?? {};
      if (c.properties) out.push(...fieldPaths(c, path, depth + 1));
      // A map (custom_fields): the tenant defines a custom field named `fuzz`, so values reach the field checks.
      else if (c.type === 'object') out.push([...path, 'fuzz']);
      if (c.type === 'array' || (Array.isArray(c.type) && c.type.includes('array'))) out.push([...path, 0]);
    }
  }
  return out;
}

function setPath(target: unknown, path: (string | number)[], value: unknown): unknown {
  const root = structuredClone(target ?? {}) as Record<string | number, unknown>;
  let node = root;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      node[key] = value;
      break;
    }
    const next = node[key];
    node[key] = next !== null && typeof next === 'object' ? next : typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  return root;
}

// ---------------------------------------------------------------------------------------------
// The corpus

const MEGABYTE = 'a'.repeat(1024 * 1024);
const BAD_STRINGS = [
  'a\u0000',
  '\u0000',
  '\ud800',
  'x\udfffy',
  MEGABYTE,
  // Under the body limit, so it reaches the schema's maxLength (a megabyte stops at 413).
  'a'.repeat(100_000),
  '',
  ' ',
  'NaN',
  'Infinity',
  '1e309',
  '-1',
  '9'.repeat(40),
  "' OR '1'='1' --",
  "'; DROP TABLE members; --",
  '"},{"injected":1',
  '{"$ne":null}',
  '../../../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  '\u202e\u0301\ufffd',
  'not-a-date',
  '2026-13-45T25:61:61Z',
  '275760-09-13T00:00:00.001Z',
  '-infinity',
  'mem_00000000000000000000000000',
];
/**
 * Stands for an array nested 5,000 deep, spliced into the body as text (this suite's
 * own JSON.stringify would overflow on it): code that walks a value recursively
 * (canonical JSON, diffs, jsonb encoding) must not turn it into a 500.
 */
const DEEP = '\u0001deep\u0001';
const DEEP_JSON = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const stringify = (value: unknown) => JSON.stringify(value).replaceAll(JSON.stringify(DEEP), DEEP_JSON);
const BAD_OTHERS: unknown[] = [
  -1,
  0,
  1.5,
  -2147483649,
  2147483648,
  1e20,
  2 ** 53 + 2,
  1e308,
  true,
  null,
  [],
  ['a\u0000'],
  {},
  { '': null, 'k\u0000': 1 },
  DEEP,
];
const BAD_VALUES: unknown[] = [...BAD_STRINGS, ...BAD_OTHERS];
/** Path parameters name a resource: a short list of what a hostile path segment holds. */
const PATH_VALUES: unknown[] = [
  'a\u0000',
  '\ud800',
  MEGABYTE,
  ' ',
  '..',
  '../../../../etc/passwd',
  '%00',
  "' OR '1'='1' --",
  'NaN',
  '-1',
  1e20,
  'mem_00000000000000000000000000',
  null,
];
/** A shorter list for nested fields (`branding.color_primary`, `tags.0`): the checks there are the same kind, the requests add up. */
const NESTED_VALUES: unknown[] = [
  'a\u0000',
  '\ud800',
  'a'.repeat(100_000),
  '',
  'NaN',
  "' OR '1'='1' --",
  -1,
  1.5,
  1e20,
  true,
  null,
  [],
  {},
  DEEP,
];

/** Cursors a client could make: garbage, unsigned JSON, a signature that does not match, a value beyond any column. */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const FORGED_CURSORS = [
  'not-a-cursor',
  b64(['not-a-date', 'mem_00000000000000000000000000']),
  b64({ q: '0', a: [1e20, 'tier_00000000000000000000000000'] }),
  `${b64(['not-a-date', 'mem_00000000000000000000000000'])}.${'0'.repeat(32)}`,
  `${b64([1e20])}.${'f'.repeat(32)}`,
  `${b64(['\u0000'])}.`,
  '.',
  'a.b.c',
];

/**
 * A real `next_cursor` with one sort-key value replaced and the rest (its signature,
 * if any) kept: what a client decoding and re-encoding a cursor sends.
 */
function forgedFrom(cursor: string): string[] {
  const [payload, ...rest] = cursor.split('.');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  } catch {
    return [];
  }
  const values = Array.isArray(decoded) ? decoded : (decoded as { a?: unknown[] }).a;
  if (!Array.isArray(values)) return [];
  return values.flatMap((_, i) =>
    ['not-a-date', 1e20, -1, 1.5, null, '\u0000', {}, 'mem_00000000000000000000000000'].map((value) => {
      const copy = structuredClone(decoded) as unknown[] | { a: unknown[] };
      (Array.isArray(copy) ? copy : copy.a)[i] = value;
      return [Buffer.from(JSON.stringify(copy)).toString('base64url'), ...rest].join('.');
    }),
  );
}

/** Bodies that are not the JSON an operation expects. */
const MALFORMED_JSON = [
  '{',
  '{"a":',
  'nul',
  '"\\ud800"',
  '\u0000',
  '[]',
  'null',
  '1e999',
  '"string"',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  '{"__proto__":{"polluted":true}}',
];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
];

/** Header values a client can send (HTTP allows no NUL or line breaks), aimed at the middleware that parses them. */
const HOSTILE_HEADERS: [string, string][] = [
  ['Authorization', 'Bearer'],
  ['Authorization', 'Bearer '],
  ['Authorization', `Bearer ${'x'.repeat(10_000)}`],
  ['Authorization', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
  ['Authorization', 'Bearer eyJ.eyJ.sig'],
  ['Authorization', 'Bearer sk_\u00ff\u00fe'],
  ['Authorization', 'Basic Og=='],
  ['Authorization', 'Digest username="x"'],
  ['X-Memberkit-Publishable-Key', `pk_${'\u00ff'.repeat(10)}`],
  ['X-Memberkit-Publishable-Key', 'x'.repeat(10_000)],
  ['Origin', 'null'],
  ['Origin', 'http://[::1'],
  ['Origin', `https://${'a'.repeat(5000)}.example`],
  ['Origin', 'file://'],
  ['Idempotency-Key', ''],
  ['Idempotency-Key', 'x'.repeat(300)],
  ['Idempotency-Key', 'caf\u00e9'],
  ['X-Forwarded-For', '1.2.3.4, garbage, ::ffff:999.1.1.1'],
  ['X-Forwarded-For', 'x'.repeat(10_000)],
];

/** Percent-encodes for a URL; an unpaired surrogate (which encodeURIComponent refuses) becomes its CESU-8 bytes, as a hostile client would send. */
function urlEncode(value: string): string {
  return value.replace(/[\s\S]/gu, (ch) => {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff)
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    return encodeURIComponent(ch);
  });
}

/** A parameter can only carry text: non-strings become what a client would write (`?x=true`, `?x=1e20`); arrays repeat the parameter. */
function asParamValues(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return value.length > 0 ? (value as string[]) : undefined;
  return undefined;
}

function isHeaderSafe(value: string): boolean {
  try {
    new Headers({ x: value });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Credentials and real resources, so requests get past authentication and lookups

const memberSignup = async () => {
  const res = await t.request('POST', '/v1/auth/signup', {
    key: tenant.publishable_key,
    body: {
      email: `fuzz-member-${++unique}@example.org`,
      password: 'fuzz-password-123',
      first_name: 'Fuzz',
      last_name: 'Member',
    },
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return res.body as { access_token: string; refresh_token: string; session_id: string; member: { id: string } };
};

/**
 * Operations that change the whole tenant's settings (sign-up off, origins, required
 * fields) run in a tenant of their own, so the settings a valid value happens to set
 * do not turn every later operation into a 403.
 */
const TENANT_SETTINGS_OPERATIONS = new Set([
  'updateTenant',
  'replaceCustomFields',
  'updateTenantBilling',
  'updateCommunitySettings',
]);
const settingsTenant = await t.createTenant('Fuzz Settings Tenant');
await connectTestBilling(t, settingsTenant, stripe);

/** Member sessions made before any operation runs: one per operation, as some sign the member out or delete them. */
const memberOperations = operations.filter((op) => op.security[0] === 'memberToken');
const memberTokens = new Map<string, string>();
for (const op of memberOperations) memberTokens.set(op.operationId, (await memberSignup()).access_token);

/** A credential for each security scheme: the tenant's secret key (owner), its publishable key, a member's own session. */
/** For operations only a staff user may call (`GET /v1/staff/me`); access tokens live 10 minutes, longer than this suite. */
const staffSession = await t.signInStaff(tenant, 'viewer');

function credentialFor(op: Operation): string | null {
  const scheme = op.security[0];
  switch (scheme) {
    case 'platformKey':
      return PLATFORM_KEY;
    case 'secretKey':
      return TENANT_SETTINGS_OPERATIONS.has(op.operationId) ? settingsTenant.secret_key : tenant.secret_key;
    case 'staffToken':
      return staffSession.access_token;
    case 'publishableKey':
      return tenant.publishable_key;
    case 'memberToken':
      return memberTokens.get(op.operationId)!;
    case undefined:
      return null;
    default:
      throw new Error(`no credential for security scheme ${scheme} (${op.operationId}): add one to the fuzz suite`);
  }
}

const created = (res: TestResponse<{ id: string }>, what: string): { id: string } => {
  if (res.status !== 201) throw new Error(`fixture ${what}: ${res.status} ${res.text}`);
  return res.body;
};
const member = created(
  await t.request('POST', '/v1/members', {
    key: tenant.secret_key,
    body: { email: 'fuzz-fixture@example.org', first_name: 'Fix', last_name: 'Ture' },
  }),
  'member',
);
const tier = created(
  await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: { name: 'Fuzz tier', interval: 'free' } }),
  'tier',
);
const invite = created(
  await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: 'fuzz-invitee@example.org' } }),
  'invite',
);
const staff = created(
  await t.request('POST', '/v1/staff', {
    key: tenant.secret_key,
    body: { email: 'fuzz-staff@example.org', name: 'Fuzz Staff', role: 'viewer' },
  }),
  'staff',
);
const provider = created(
  await t.request('POST', '/v1/tenant/oidc-providers', {
    key: tenant.secret_key,
    body: { name: 'Fuzz IdP', issuer: 'https://idp.example.org', client_id: 'fuzz' },
  }),
  'oidc provider',
);
const viewerKey = await t.createKey(tenant.secret_key, { kind: 'secret', role: 'viewer' });
const reportBody = (name: string) => ({
  name,
  spec: { metric: 'members', dimensions: ['status'], range: 'last_30_days' },
});
const report = created(
  await t.request('POST', '/v1/reports', { key: tenant.secret_key, body: reportBody('Fuzz report') }),
  'report',
);
created(
  await t.request('POST', '/v1/reports', { key: tenant.secret_key, body: reportBody('Fuzz report 2') }),
  'report 2',
);
// Second rows, so every list has a next page whose cursor the suite can forge.
created(
  await t.request('POST', '/v1/tiers', { key: tenant.secret_key, body: { name: 'Fuzz tier 2', interval: 'free' } }),
  'tier 2',
);
created(
  await t.request('POST', '/v1/invites', { key: tenant.secret_key, body: { email: 'fuzz-invitee-2@example.org' } }),
  'invite 2',
);
created(
  await t.request('POST', '/v1/tenant/oidc-providers', {
    key: tenant.secret_key,
    body: { name: 'Fuzz IdP 2', issuer: 'https://idp2.example.org', client_id: 'fuzz2' },
  }),
  'oidc provider 2',
);

// Two activity events each for the fixture member and for the member behind listMyActivity's token: their timelines page.
const activityFixture = async (key: string, memberId?: string) => {
  const events = ['page.viewed', 'course.completed'].map((type) => ({
    type,
    ...(memberId ? { member_id: memberId } : {}),
  }));
  const res = await t.request('POST', '/v1/activity', { key, body: { events, atomic: true } });
  if (res.status !== 200) throw new Error(`fixture activity: ${res.status} ${res.text}`);
};
await activityFixture(tenant.secret_key, member.id);
if (memberTokens.has('listMyActivity')) await activityFixture(memberTokens.get('listMyActivity')!);

// Billing: two metered features and two complimentary memberships (their lists page), and two
// invoices of the member behind listMyInvoices' token (no checkout was paid, so the mirror has none).
const feature = created(
  await t.request('POST', '/v1/billing/features', {
    key: tenant.secret_key,
    body: { key: 'fuzz_hours', name: 'Fuzz hours' },
  }),
  'metered feature',
);
created(
  await t.request('POST', '/v1/billing/features', {
    key: tenant.secret_key,
    body: { key: 'fuzz_passes', name: 'Fuzz passes' },
  }),
  'metered feature 2',
);
const compEndsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
const comps: { id: string }[] = [];
for (const n of [1, 2]) {
  const compMember = created(
    await t.request('POST', '/v1/members', {
      key: tenant.secret_key,
      body: { email: `fuzz-comp-${n}@example.org`, first_name: 'Comp', last_name: `${n}` },
    }),
    `comp member ${n}`,
  );
  comps.push(
    created(
      await t.request('POST', `/v1/members/${compMember.id}/billing/comp`, {
        key: tenant.secret_key,
        body: { tier_id: tier.id, ends_at: compEndsAt },
      }),
      `comp ${n}`,
    ),
  );
}
const invoiceOwner = memberTokens.get('listMyInvoices');
if (invoiceOwner)
  await seedMemberInvoices(t.deps, tenant.id, (await t.request('GET', '/v1/me', { key: invoiceOwner })).body.id, 2);

// Community: every feature on, limits high (the settings operation itself runs in the settings tenant), and two
// rows in every list. Member operations act with their own session, so their conversations, notifications and
// blocks are made with that session.
const ok = (res: TestResponse, what: string) => {
  if (res.status >= 300) throw new Error(`fixture ${what}: ${res.status} ${res.text}`);
  return res.body;
};
ok(
  await t.request('PATCH', '/v1/community/settings', {
    key: tenant.secret_key,
    body: {
      member_posts: true,
      member_messaging: true,
      presence_visibility: 'members',
      message_rate_per_minute: 600,
      post_rate_per_hour: 600,
    },
  }),
  'community settings',
);
const memberIdOf = async (key: string): Promise<string> => (await t.request('GET', '/v1/me', { key })).body.id;
// Presence lasts 90 s after a heartbeat: the two members beat again right before their list is fuzzed.
const onlineMembers = [await memberSignup(), await memberSignup()];
const heartbeats = async () => {
  for (const online of onlineMembers)
    ok(
      await t.request('POST', '/v1/presence/heartbeat', { key: online.access_token, body: { status: 'online' } }),
      'presence',
    );
};
/** Work right before an operation is fuzzed, where a fixture made at the start would have expired. */
const BEFORE_OPERATION: Record<string, () => Promise<void>> = { listPresence: heartbeats };
const sendBody = (n: number) => ({ audience: { everyone: true }, title: `Fuzz notice ${n}` });
const batch = ok(await t.request('POST', '/v1/notifications', { key: tenant.secret_key, body: sendBody(1) }), 'send');
ok(await t.request('POST', '/v1/notifications', { key: tenant.secret_key, body: sendBody(2) }), 'send 2');
const postBody = (n: number) => ({ title: `Fuzz news ${n}`, body: `Fuzz **news** ${n}.` });
const post = ok(await t.request('POST', '/v1/feed/posts', { key: tenant.secret_key, body: postBody(1) }), 'post');
ok(await t.request('POST', '/v1/feed/posts', { key: tenant.secret_key, body: postBody(2) }), 'post 2');
const comment = ok(
  await t.request('POST', `/v1/feed/posts/${post.id}/comments`, { key: tenant.secret_key, body: { body: 'First' } }),
  'comment',
);
ok(
  await t.request('POST', `/v1/feed/posts/${post.id}/comments`, { key: tenant.secret_key, body: { body: 'Second' } }),
  'comment 2',
);
const reporters = [await memberSignup(), await memberSignup()];
const contentReport = ok(
  await t.request('POST', '/v1/content-reports', {
    key: reporters[0]!.access_token,
    body: { target_type: 'post', target_id: post.id, reason: 'Fuzz report' },
  }),
  'content report',
);
ok(
  await t.request('POST', '/v1/content-reports', {
    key: reporters[1]!.access_token,
    body: { target_type: 'comment', target_id: comment.id, reason: 'Fuzz report 2' },
  }),
  'content report 2',
);
/** Path values of member operations that must name the caller's own things, by operation id. */
const ownPathValues = new Map<string, Record<string, string>>();
const openConversation = async (key: string, n: number) => {
  const opened = ok(
    await t.request('POST', '/v1/conversations', {
      key,
      body: { kind: 'support', title: `Fuzz question ${n}`, body: 'Hello' },
    }),
    'conversation',
  );
  const sent = ok(
    await t.request('POST', `/v1/conversations/${opened.id}/messages`, { key, body: { body: 'Anyone?' } }),
    'message',
  );
  return { id: opened.id as string, messageId: sent.id as string };
};
for (const [operationId, key] of memberTokens) {
  const op = operations.find((o) => o.operationId === operationId)!;
  if (op.path.startsWith('/v1/conversations')) {
    const first = await openConversation(key, 1);
    if (operationId === 'listConversations') await openConversation(key, 2);
    ownPathValues.set(operationId, { id: first.id, message_id: first.messageId, member_id: await memberIdOf(key) });
  } else if (op.path.startsWith('/v1/me/notifications')) {
    const memberId = await memberIdOf(key);
    const rows = await t.db.withTenant(tenant.id, (tx) =>
      createNotifications(t.deps, tx, tenant.id, [
        { memberId, type: 'custom', title: 'Fuzz notification 1' },
        { memberId, type: 'custom', title: 'Fuzz notification 2' },
      ]),
    );
    ownPathValues.set(operationId, { id: rows[0]!.id });
  } else if (operationId === 'listMyBlocks') {
    for (const blocked of reporters)
      ok(await t.request('PUT', `/v1/me/blocks/${await memberIdOf(blocked.access_token)}`, { key }), 'block');
  }
}

/** A real id for each path parameter, by the path it appears in. */
function pathValue(op: Operation, name: string): string {
  const own = ownPathValues.get(op.operationId)?.[name];
  if (own) return own;
  if (name === 'reaction') return 'like';
  if (name === 'tenant_id') return tenant.id;
  if (name === 'provider_id') return provider.id;
  if (name === 'feature_id') return feature.id;
  const byPrefix: [string, string][] = [
    ['/v1/members/', member.id],
    ['/v1/tiers/', tier.id],
    ['/v1/invites/', invite.id],
    ['/v1/staff/', staff.id],
    ['/v1/tenant/oidc-providers/', provider.id],
    ['/v1/api-keys/', viewerKey.id],
    ['/v1/reports/', report.id],
    ['/v1/platform/tenants/', tenant.id],
    ['/v1/me/sessions/', 'ses_00000000000000000000000000'],
    ['/v1/billing/features/', feature.id],
    ['/v1/billing/subscriptions/', comps[0]!.id],
    // The seeded invoices exist only in the local mirror (Stripe would refuse a refund of them: 502).
    ['/v1/billing/invoices/', 'in_00000000000000000000000000'],
    ['/v1/feed/posts/', post.id],
    ['/v1/feed/comments/', comment.id],
    ['/v1/notifications/batches/', batch.id],
    ['/v1/content-reports/', contentReport.id],
    ['/v1/me/blocks/', member.id],
  ];
  return byPrefix.find(([prefix]) => op.path.startsWith(prefix))?.[1] ?? 'x_00000000000000000000000000';
}

/** Valid bodies where the schema alone does not say enough to make one (refinements, cross-field rules). */
const BASELINE_BODIES: Record<string, () => unknown> = {
  createApiKey: () => ({ kind: 'secret', role: 'viewer', name: 'fuzz' }),
  createPlatformTenant: () => ({ name: 'Fuzz', slug: `fuzz-${Date.now().toString(36)}-${++unique}` }),
  signup: () => ({
    email: `fuzz-${++unique}@example.org`,
    password: 'fuzz-password-123',
    first_name: 'Fuzz',
    last_name: 'Er',
  }),
  login: () => ({ email: `fuzz-${++unique}@example.org`, password: 'fuzz-password-123' }),
  createStaff: () => ({ email: `fuzz-staff-${++unique}@example.org`, name: 'Fuzz', role: 'viewer' }),
  createOAuthToken: () => ({
    grant_type: 'client_credentials',
    client_id: 'key_00000000000000000000000000',
    client_secret: 'sk_test_fuzz',
  }),
};

// ---------------------------------------------------------------------------------------------
// Requests and the verdict

interface Mutation {
  label: string;
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string;
}

async function send(op: Operation, key: string | null, m: Mutation): Promise<TestResponse> {
  let path = op.path;
  for (const p of op.parameters.filter((x) => x.in === 'path'))
    path = path.replace(`{${p.name}}`, urlEncode(m.path[p.name] ?? pathValue(op, p.name)));
  const query = m.query.map(([k, v]) => `${urlEncode(k)}=${urlEncode(v)}`).join('&');
  const headers: Record<string, string> = { ...m.headers };
  if (key && !('Authorization' in headers)) headers.Authorization = `Bearer ${key}`;
  return t.request(op.method, query ? `${path}?${query}` : path, {
    headers,
    ...(m.body !== undefined ? { rawBody: m.body } : {}),
  });
}

/** Why a response breaks the contract, or null. */
function verdict(op: Operation, res: TestResponse): string | null {
  if (res.status >= 500) return `${res.status} ${res.text.slice(0, 300)}`;
  if (res.status < 400) return null;
  const type = res.headers.get('content-type') ?? '';
  // RFC 6749 §5.2: the token endpoint answers its errors as application/json with an `error` code.
  if (
    op.operationId === 'createOAuthToken' &&
    type.startsWith('application/json') &&
    typeof res.body?.error === 'string'
  )
    return null;
  if (!type.startsWith('application/problem+json'))
    return `${res.status} with content type ${type}: ${res.text.slice(0, 200)}`;
  if (typeof res.body?.code !== 'string' || !res.body.code)
    return `${res.status} problem without a code: ${res.text.slice(0, 200)}`;
  return null;
}

/** Every bad request this suite sends for `op`. */
function* mutations(op: Operation, realCursor: string | null): Generator<Mutation> {
  const jsonSchema = op.bodyTypes['application/json'];
  const formSchema = op.bodyTypes['application/x-www-form-urlencoded'];
  const rawTypes = Object.keys(op.bodyTypes).filter(
    (type) => type !== 'application/json' && type !== 'application/x-www-form-urlencoded',
  );
  const baseBody = () => BASELINE_BODIES[op.operationId]?.() ?? sample(jsonSchema ?? formSchema);
  const encodeBody = (value: unknown) => (formSchema && !jsonSchema ? formEncode(value) : stringify(value));
  const bodyHeaders = (): Record<string, string> =>
    jsonSchema
      ? { 'Content-Type': 'application/json' }
      : formSchema
        ? { 'Content-Type': 'application/x-www-form-urlencoded' }
        : {};
  const base = (): Mutation => ({
    label: '',
    path: {},
    query: [],
    headers: bodyHeaders(),
    ...(jsonSchema || formSchema ? { body: encodeBody(baseBody()) } : {}),
  });

  for (const p of op.parameters) {
    const values =
      p.name === 'cursor'
        ? [...BAD_VALUES, ...FORGED_CURSORS, ...(realCursor ? forgedFrom(realCursor) : [])]
        : p.in === 'path'
          ? PATH_VALUES
          : BAD_VALUES;
    for (const value of values) {
      const texts = asParamValues(value);
      if (!texts) continue;
      const label = `${p.in} ${p.name}=${JSON.stringify(value).slice(0, 60)}`;
      if (p.in === 'path') yield { ...base(), label, path: { [p.name]: texts[0]! } };
      if (p.in === 'query') yield { ...base(), label, query: texts.map((v) => [p.name, v] as [string, string]) };
      if (p.in === 'header' && texts.every(isHeaderSafe))
        yield { ...base(), label, headers: { ...bodyHeaders(), [p.name]: texts[0]! } };
    }
    if (p.in === 'query')
      yield {
        ...base(),
        label: `query ${p.name} twice`,
        query: [
          [p.name, '1'],
          [p.name, '2'],
        ],
      };
  }
  // An unknown query parameter is refused (400 UNKNOWN_QUERY_PARAMETER), whatever it holds.
  yield { ...base(), label: 'unknown query parameter with NUL', query: [['fuzz', '\u0000']] };
  // Headers every route reads through middleware (credential, origin, idempotency, client IP), undeclared in the operation.
  for (const [name, value] of HOSTILE_HEADERS) {
    if (name === 'Idempotency-Key' && op.method !== 'POST') continue;
    yield {
      ...base(),
      label: `header ${name}: ${JSON.stringify(value.slice(0, 40))}`,
      headers: { ...bodyHeaders(), [name]: value },
    };
  }

  const schema = jsonSchema ?? formSchema;
  if (schema) {
    for (const field of fieldPaths(schema)) {
      for (const value of field.length > 1 ? NESTED_VALUES : BAD_VALUES) {
        if (formSchema && !jsonSchema && typeof value !== 'string') continue;
        yield {
          ...base(),
          label: `body ${field.join('.')}=${JSON.stringify(value).slice(0, 60)}`,
          body: encodeBody(setPath(baseBody(), field, value)),
        };
      }
    }
    for (const value of BAD_OTHERS)
      yield { ...base(), label: `body is ${JSON.stringify(value).slice(0, 60)}`, body: stringify(value) };
    for (const text of MALFORMED_JSON)
      yield { ...base(), label: `malformed body ${JSON.stringify(text.slice(0, 30))}`, body: text };
    for (const type of WRONG_CONTENT_TYPES.filter((x) => !(formSchema && x === 'application/x-www-form-urlencoded'))) {
      yield { ...base(), label: `content type ${type}`, headers: { 'Content-Type': type } };
    }
    yield { ...base(), label: 'no content type', headers: {} };
    yield { ...base(), label: 'empty body', body: '' };
  }
  for (const type of rawTypes) {
    // Raw uploads (CSV, NDJSON): text the parser must refuse row by row, or the request as a whole, never with a 500.
    const rows = [
      'email,first_name,last_name\nnul@example.org,Ad\u0000a,Lovelace\n',
      'email,first_name,last_name\nsur@example.org,Ad\ud800a,Lovelace\n',
      'email,first_name,last_name,tags,fuzz\nkey@example.org,Ada,Lovelace,"a\u0000;b","\u0000"\n',
      '{"email":"nul@example.org","first_name":"Ad\\u0000a","last_name":"L"}\n',
      '{"email":"sur@example.org","first_name":"\\ud800","last_name":"L","custom_fields":{"fuzz":"\\u0000","k\\u0000":1}}\n',
      `{"email":"deep@example.org","first_name":"D","last_name":"L","custom_fields":{"fuzz":${DEEP_JSON}}}\n`,
    ];
    for (const text of [
      'email\n\u0000',
      'email,first_name\na@example.org,\ud800',
      '"unterminated',
      `${'x'.repeat(70_000)}\n`,
      '{"email":',
      '\u0000\u0000',
      MALFORMED_JSON[9]!,
      ...rows,
    ]) {
      yield {
        ...base(),
        label: `${type} body ${JSON.stringify(text.slice(0, 30))}`,
        headers: { 'Content-Type': type },
        body: text,
      };
    }
  }
  if (op.operationId === 'createOAuthToken') {
    // Defect 5 of issue 10: malformed Basic credentials.
    for (const auth of [
      'Basic a',
      'Basic JTpi',
      'Basic ',
      'Basic Og==',
      `Basic ${Buffer.from('\u0000:\u0000').toString('base64')}`,
      'Bearer \u00ff',
    ]) {
      if (isHeaderSafe(auth))
        yield { ...base(), label: `Authorization: ${auth}`, headers: { ...bodyHeaders(), Authorization: auth } };
    }
  }
}

function formEncode(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return urlEncode(String(value));
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${urlEncode(k)}=${urlEncode(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');
}

describe('fuzz: bad input never gets a 5xx, on every operation of the OpenAPI document', () => {
  it('covers every operation, with a credential for each security scheme', () => {
    expect(operations.length).toBeGreaterThan(60);
    for (const op of operations)
      expect(
        ['platformKey', 'secretKey', 'staffToken', 'publishableKey', 'memberToken', undefined],
        op.operationId,
      ).toContain(op.security[0]);
  });

  it('writes every pattern of the document as a plain ECMA-262 regex, without JavaScript flags appended', () => {
    const patterns = [...JSON.stringify(doc).matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g)].map(
      (m) => JSON.parse(m[1]!) as string,
    );
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      expect(pattern, pattern).not.toMatch(/\/[dgimsuvy]+$/);
      expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    }
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}`, { timeout: 120_000 }, async () => {
      const key = credentialFor(op);
      const failures: string[] = [];
      let realCursor: string | null = null;
      await BEFORE_OPERATION[op.operationId]?.();
      if (op.parameters.some((p) => p.name === 'cursor')) {
        const first = await send(op, key, { label: 'first page', path: {}, query: [['limit', '1']], headers: {} });
        realCursor = first.body?.next_cursor ?? null;
        // Lists run after the creates above them in the document, and the fixtures give each at least two rows.
        expect(
          realCursor,
          `${op.operationId} gave no next_cursor to forge: ${first.status} ${first.text.slice(0, 200)}`,
        ).toEqual(expect.any(String));
      }
      const statuses = new Map<number, number>();
      for (const m of mutations(op, realCursor)) {
        const res = await send(op, key, m);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const problem = verdict(op, res);
        if (problem) failures.push(`${m.label} → ${problem}`);
      }
      expect(failures, `${op.method} ${op.path}`).toEqual([]);
      // The credential was accepted: the bad values reached validation, not only authentication.
      expect(
        [...statuses.keys()].some((status) => status !== 401 && status !== 403),
        `${op.operationId} answered ${JSON.stringify([...statuses])}`,
      ).toBe(true);
    });
  }
});
