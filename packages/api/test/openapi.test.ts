import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../src/testing/index.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document, equal to the committed openapi.yaml', async () => {
    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const committed = parse(await readFile(new URL('../../../openapi.yaml', import.meta.url), 'utf8'));
    expect(res.body, 'openapi.yaml is stale: run npm run openapi').toEqual(committed);
  });

  it('gives every operation an operationId, tags, a summary and problem+json errors', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            operationId?: string;
            tags?: string[];
            summary?: string;
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
    };
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const label = `${method} ${path}`;
        expect(op.operationId, label).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId!), `duplicate ${op.operationId}`).toBe(false);
        ids.add(op.operationId!);
        expect(op.tags?.length, label).toBeGreaterThan(0);
        expect(op.summary, label).toBeTruthy();
        for (const [status, response] of Object.entries(op.responses)) {
          // The OAuth token endpoint answers errors as RFC 6749 §5.2 prescribes (application/json, its 415 too), except 413/429 of the app-wide middleware.
          const oauthError =
            op.operationId === 'createOAuthToken' && (status === '400' || status === '401' || status === '415');
          const expected = oauthError ? ['application/json'] : ['application/problem+json'];
          if (Number(status) >= 400 && Number(status) < 500)
            expect(Object.keys(response.content ?? {}), `${label} ${status}`).toEqual(expected);
        }
      }
    }
  });
});

describe('the document', () => {
  it('writes every pattern as a plain ECMA-262 regex that JSON Schema validators compile, without slashes or flags', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    const patterns: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) {
          if (key === 'pattern' && typeof value === 'string') patterns.push(value);
          else walk(value);
        }
    };
    walk(doc);
    expect(patterns).toContain('^[\\p{L}\\p{N}][\\p{L}\\p{N} _.-]*$');
    for (const pattern of patterns) {
      expect(pattern, pattern).not.toMatch(/^\/|\/[dgimsuvy]*$/);
      // JSON Schema 2020-12 §6.4.3: ECMA-262 with Unicode semantics (as Ajv's `unicodeRegExp`).
      expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    }
  });

  it('lists first a server relative to where it is served, so /docs "Try it" calls the origin it came from', async () => {
    for (const origin of ['http://127.0.0.1:8787', 'https://members.example.org:8443']) {
      const res = await t.request('GET', `${origin}/openapi.json`);
      const servers = res.body.servers as { url: string }[];
      // OpenAPI 3.1 §4.8.5: a relative server URL is resolved against the document's own URL (as Swagger UI does).
      const tryItOrigin = new URL(servers[0]!.url, `${origin}/openapi.json`).origin;
      expect(tryItOrigin).toBe(origin);
    }
    const init = (await t.request('GET', '/docs/init.js')).text;
    expect(init).not.toMatch(/https?:\/\//);
  });
});

describe('examples', () => {
  interface Media {
    schema?: { $ref?: string; example?: unknown };
    example?: unknown;
    examples?: Record<string, { value?: unknown }>;
  }
  interface Op {
    operationId: string;
    requestBody?: { content: Record<string, Media> };
    responses: Record<string, { content?: Record<string, Media> }>;
  }
  interface Content {
    content?: Record<string, { schema?: unknown }>;
  }

  it('gives every operation a request and a success response example, each valid against the schema it documents', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, Op>>;
      components: { schemas: Record<string, { example?: unknown }> };
    };
    // The zod schemas the document was generated from: the examples are checked with the same validation requests get.
    const routes = new Map<string, { request?: { body?: unknown }; responses: Record<string, unknown> }>();
    for (const definition of t.app.openAPIRegistry.definitions)
      if (definition.type === 'route')
        routes.set(`${definition.route.method} ${definition.route.path}`, definition.route);
    const schemaAt = (described: unknown, type: string) => (described as Content | undefined)?.content?.[type]?.schema;
    const exampleOf = (media: Media): unknown => {
      if (media.example !== undefined) return media.example;
      const first = Object.values(media.examples ?? {})[0];
      if (first?.value !== undefined) return first.value;
      const ref = media.schema?.$ref?.replace('#/components/schemas/', '');
      return ref ? doc.components.schemas[ref]?.example : media.schema?.example;
    };
    const problems: string[] = [];
    let checked = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const route = routes.get(`${method} ${path}`);
        const check = (where: string, media: Media, schema: unknown) => {
          const example = exampleOf(media);
          if (example === undefined) return problems.push(`${op.operationId}: no example for ${where}`);
          checked++;
          const zod = schema as { safeParse?: (value: unknown) => { success: boolean; error?: { message: string } } };
          if (typeof zod?.safeParse !== 'function') return;
          const parsed = zod.safeParse(example);
          if (!parsed.success)
            problems.push(`${op.operationId}: the example of ${where} is invalid: ${parsed.error?.message}`);
        };
        for (const [type, media] of Object.entries(op.requestBody?.content ?? {}))
          check(`the ${type} request body`, media, schemaAt(route?.request?.body, type));
        for (const [status, response] of Object.entries(op.responses)) {
          if (!status.startsWith('2')) continue;
          for (const [type, media] of Object.entries(response.content ?? {}))
            check(`the ${status} ${type} response`, media, schemaAt(route?.responses[status], type));
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});

describe('GET /docs', () => {
  it('serves an API reference whose scripts and styles all come from this server', async () => {
    const res = await t.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset.startsWith('/'), asset).toBe(true);
      const file = await t.request('GET', asset);
      expect(file.status, asset).toBe(200);
      expect(file.text.length, asset).toBeGreaterThan(10);
    }
    expect((await t.request('GET', '/docs/init.js')).text).toContain("url: '/openapi.json'");
  });

  it('does not serve files outside the asset list', async () => {
    expect((await t.request('GET', '/docs/assets/package.json')).status).toBe(404);
    expect((await t.request('GET', '/docs/assets/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});

describe('GET /health', () => {
  it('answers 200 with the database driver', async () => {
    const res = await t.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: t.db.driver });
  });
});
