import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context.js';
import { issueAccessToken } from '../../identity/access-tokens.js';
import type { tokenRoute } from './oauth.routes.js';

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = atob(match[1]!);
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** Client-credentials grant: the client authenticates with a secret key and gets a short-lived token for it. */
export const tokenHandler: RouteHandler<typeof tokenRoute, AppEnv> = async (c) => {
  const form = c.req.valid('form');
  const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
  if (form.grant_type !== 'client_credentials') {
    return c.json({ error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported.' }, 400, noStore);
  }
  const basic = basicCredentials(c.req.header('authorization'));
  const clientId = basic?.id ?? form.client_id;
  const secret = basic?.secret ?? form.client_secret;
  const invalid = () =>
    c.json({ error: 'invalid_client' as const, error_description: 'Unknown client or wrong secret.' }, 401, { ...noStore, 'WWW-Authenticate': 'Basic realm="memberkit"' });
  if (!clientId || !secret) return invalid();
  const { keys, db, secretBox, config, clock } = c.var.deps;
  const credential = await keys.resolve(secret);
  if (!credential || credential.type !== 'secret_key' || credential.id !== clientId) return invalid();
  const now = clock.now();
  const { token, expiresIn } = await db.withTenant(credential.tenantId, (tx) =>
    issueAccessToken(tx, { secretBox, issuerBaseUrl: config.issuerBaseUrl, now }, credential.tenantId, {
      subject: 'api',
      subjectId: credential.id,
      sessionId: credential.id,
      claims: { role: credential.role },
    }),
  );
  return c.json({ access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn }, 200, noStore);
};
