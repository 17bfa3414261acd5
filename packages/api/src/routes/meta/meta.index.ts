import type { OpenAPIHono } from '@hono/zod-openapi';
import { checkDatabase } from '../../db/health.js';
import type { AppEnv } from '../../lib/context.js';
import { docsPage, DOCS_INIT_SCRIPT } from './docs-page.js';
import { getHealthRoute } from './meta.routes.js';
import { buildOpenApiDocument } from '../../openapi-document.js';

/**
 * The reference page's policy: Swagger UI's scripts and styles only from this server
 * (or the configured assets origin), no inline code at all (its styles are files, its
 * style changes CSSOM, which CSP does not govern), requests only to this API.
 */
function docsCsp(assetsBase: string): string {
  const assets = /^https?:\/\//i.test(assetsBase) ? ` ${new URL(assetsBase).origin}` : '';
  return [
    "default-src 'none'",
    `script-src 'self'${assets}`,
    `style-src 'self'${assets}`,
    `img-src 'self' data:${assets}`,
    `font-src 'self'${assets}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
const ASSET_NAME = /^[a-z0-9-]+\.(?:js|css|png)$/;

/** `/health`, `/openapi.json` and the `/docs` reference UI. Takes the root app: the document describes all of it. */
export function mountMeta(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getHealthRoute, async (c) => {
    const { db } = c.var.deps;
    try {
      await checkDatabase(db);
      return c.json({ status: 'ok' as const, database: db.driver }, 200);
    } catch {
      // Bounded by the driver's connect and statement timeouts; recovers on its own when the database is back.
      return c.json({ status: 'unavailable' as const, database: db.driver }, 503, { 'Retry-After': '1' });
    }
  });

  // Until the demo site takes over `/`, a visitor of the bare URL lands on the reference.
  app.get('/', (c) => c.redirect('/docs'));

  let document: string | undefined;
  app.get('/openapi.json', (c) => {
    document ??= JSON.stringify(buildOpenApiDocument(app));
    return c.body(document, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
  });

  app.get('/docs', (c) => {
    const base = c.var.deps.docsAssets ? '/docs/assets' : (c.var.deps.config.docsAssetsUrl ?? '/docs/assets');
    return c.html(docsPage(base), 200, { 'Content-Security-Policy': docsCsp(base) });
  });
  app.get('/docs/init.js', (c) => c.body(DOCS_INIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:name', async (c) => {
    const name = c.req.param('name');
    const asset = ASSET_NAME.test(name) ? await c.var.deps.docsAssets?.(name) : null;
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=86400' });
  });
}
