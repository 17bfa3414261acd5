/**
 * A customer backend in plain node:http: the browser (the widgets) sends the signed-in
 * member's access token; this server verifies it offline against the tenant's JWKS with
 * `verifyMemberToken`, then calls the Memberkit API with the tenant's secret key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Memberkit, MemberkitError, type FetchLike } from '@memberkit/sdk';
import { InvalidTokenError, verifyMemberToken } from '@memberkit/sdk/server';

export interface BackendOptions {
  /** The Memberkit API, e.g. http://127.0.0.1:8787. */
  apiUrl: string;
  /** The tenant's secret key (sk_…): stays on this server. */
  secretKey: string;
  /** The tenant id (tnt_…) whose members this backend serves. */
  tenantId: string;
  /** The site allowed to call this backend from the browser (CORS), e.g. https://www.example.org. */
  allowedOrigin?: string | undefined;
  /** The Memberkit API issuer base URL when it differs from `apiUrl` (behind a proxy). */
  issuerBaseUrl?: string | undefined;
  /** fetch for the SDK (default: the global one). */
  fetch?: FetchLike | undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** Creates the backend's HTTP server (not yet listening). */
export function createBackend(options: BackendOptions): Server {
  const mk = new Memberkit({ secretKey: options.secretKey, baseUrl: options.apiUrl, fetch: options.fetch });
  const cors: Record<string, string> = options.allowedOrigin
    ? {
        'Access-Control-Allow-Origin': options.allowedOrigin,
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        Vary: 'Origin',
      }
    : {};

  /** The member id of a verified token, or null after answering 401. */
  async function authenticate(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) {
      send(res, 401, { error: 'missing_token' }, cors);
      return null;
    }
    try {
      const claims = await verifyMemberToken(token, {
        tenant: options.tenantId,
        baseUrl: options.issuerBaseUrl ?? options.apiUrl,
        fetch: options.fetch,
      });
      return claims.sub;
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        send(res, 401, { error: error.code.toLowerCase() }, cors);
        return null;
      }
      throw error;
    }
  }

  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://backend');
      if (req.method === 'OPTIONS')
        return send(res, 204, null, { ...cors, 'Access-Control-Allow-Methods': 'GET, POST' });

      // The member's profile with data only the backend may read (tags, via the secret key).
      if (req.method === 'GET' && url.pathname === '/api/profile') {
        const memberId = await authenticate(req, res);
        if (!memberId) return;
        const member = await mk.members.retrieve(memberId);
        return send(
          res,
          200,
          { id: member.id, name: `${member.first_name} ${member.last_name}`, status: member.status, tags: member.tags },
          cors,
        );
      }

      // The member opts in to the newsletter: the backend tags them with its secret key.
      if (req.method === 'POST' && url.pathname === '/api/newsletter') {
        const memberId = await authenticate(req, res);
        if (!memberId) return;
        const { subscribe } = (await readJson(req)) as { subscribe?: boolean };
        const member = await mk.members.retrieve(memberId);
        const tags =
          subscribe === false
            ? member.tags.filter((t) => t !== 'newsletter')
            : [...new Set([...member.tags, 'newsletter'])];
        const updated = await mk.members.update(memberId, { tags });
        return send(res, 200, { tags: updated.tags }, cors);
      }

      send(res, 404, { error: 'not_found' }, cors);
    } catch (error) {
      // The API's request id makes the failure traceable on Memberkit's side.
      const requestId = error instanceof MemberkitError ? error.requestId : undefined;
      console.error('backend error', requestId, error);
      send(res, 502, { error: 'upstream_error', request_id: requestId }, cors);
    }
  });
}
