import { parseArgs } from 'node:util';
import { ApiError } from '../lib/errors.js';
import { CreateTenantBody } from '../routes/platform-tenants/platform-tenants.schemas.js';
import { fieldErrorsFromZod } from '../lib/validation.js';
import { BILLING_SYNC_USAGE, billingSync } from './billing-sync.js';
import { runDirect } from './direct.js';
import { resolveServerTarget, type ServerTarget } from './server-target.js';

const USAGE = `Usage:
  memberkit tenant create --name <name> --slug <slug>   Create a tenant; prints it with its keys as JSON
          [--time-zone <IANA name>]                    its time zone (default UTC), e.g. Europe/Berlin
  memberkit tenant list [--limit <n>]                   List tenants as JSON
  memberkit migrate                                     Apply database migrations (opens the database itself)
${BILLING_SYNC_USAGE}

By default the CLI sends its requests to the running server (start one with npm start):
  --url <url>            the server (MEMBERKIT_URL); default: the one npm start recorded in
                         .memberkit/dev-credentials.json at the repository root, else http://127.0.0.1:8787
  --platform-key <key>   the platform key (MEMBERKIT_PLATFORM_KEY); default: the one npm start generated
  --direct               open the database itself instead (DATABASE_URL, or PGlite in MEMBERKIT_DATA_DIR,
                         default .memberkit at the repository root); refused while a server has that PGlite folder open

The CLI says on stderr which server or database it uses; results go to stdout as JSON.`;

/** Exit code of a usage or argument error (sysexits EX_USAGE). */
class UsageError extends Error {}
/** Exit code when no server answers (sysexits EX_UNAVAILABLE). */
class ServerUnavailableError extends Error {}

/** What to say when no server answers at `target`. */
function noServer(target: ServerTarget, directHint = true): ServerUnavailableError {
  return new ServerUnavailableError(
    [
      `No Memberkit server answers at ${target.url} (${target.urlSource}).`,
      'Start one with `npm start` at the repository root, or point the CLI at yours with --url or MEMBERKIT_URL.',
      ...(directHint ? ['To write to a database without a server, add --direct.'] : []),
    ].join('\n'),
  );
}

const say = (line: string) => process.stderr.write(`memberkit: ${line}\n`);

/** The create body from the flags, checked by the API's own schema, so a typo exits 64 before any request. */
function tenantBody(values: {
  name?: string | undefined;
  slug?: string | undefined;
  'time-zone'?: string | undefined;
}) {
  const parsed = CreateTenantBody.safeParse({
    name: values.name,
    slug: values.slug,
    ...(values['time-zone'] !== undefined ? { time_zone: values['time-zone'] } : {}),
  });
  if (!parsed.success)
    throw new UsageError(
      fieldErrorsFromZod(parsed.error, 'json')
        .map((e) => `--${e.field.replaceAll('_', '-')}: ${e.message}`)
        .join('\n'),
    );
  return parsed.data;
}

/** Sends a platform request to the server; a refusal becomes `CODE: detail`, no answer a clear hint. */
async function viaServer(target: ServerTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  if (!target.platformKey) throw new UsageError(`No platform key for ${target.url}: ${target.keyHint}.`);
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${target.platformKey}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw noServer(target);
  }
  const payload = (await response.json().catch(() => null)) as { code?: string; detail?: string } | null;
  if (!payload) throw new Error(`${target.url} answered ${response.status} without JSON: is it a Memberkit server?`);
  if (!response.ok)
    throw new Error(payload.code ? `${payload.code}: ${payload.detail ?? ''}` : `HTTP ${response.status}`);
  return payload;
}

async function run(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      'time-zone': { type: 'string' },
      limit: { type: 'string' },
      tenant: { type: 'string' },
      url: { type: 'string' },
      'platform-key': { type: 'string' },
      direct: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const command = positionals.join(' ');
  if (!['tenant create', 'tenant list', 'migrate', 'billing sync'].includes(command)) throw new UsageError(USAGE);
  if (values.tenant !== undefined && command !== 'billing sync') throw new UsageError('--tenant is for billing sync.');
  const limit = Math.min(Math.max(Number(values.limit ?? 100) || 100, 1), 100);
  const body = command === 'tenant create' ? tenantBody(values) : undefined;

  // Billing sync needs the server's Stripe connection (or npm start's offline double): never --direct.
  if (command === 'billing sync' && values.direct)
    throw new UsageError('billing sync runs on the server, which holds the Stripe connection: drop --direct.');

  // Migrations have no HTTP endpoint: `migrate` always opens the database, and says which.
  if (values.direct || command === 'migrate') {
    if (values.url) throw new UsageError('--url and --direct exclude each other.');
    return runDirect(
      command === 'migrate' ? { kind: 'migrate' } : body ? { kind: 'create', body } : { kind: 'list', limit },
      say,
    );
  }

  const target = await resolveServerTarget({ url: values.url, platformKey: values['platform-key'] }, process.env);
  say(`server ${target.url} (${target.urlSource})${target.database ? `, database ${target.database}` : ''}`);
  if (command === 'billing sync') {
    if (!target.platformKey) throw new UsageError(`No platform key for ${target.url}: ${target.keyHint}.`);
    // fetch rejects with a TypeError when nothing listens; Stripe's or the server's refusals are other errors.
    return billingSync(target, values.tenant, say).catch((error: unknown) => {
      throw error instanceof TypeError ? noServer(target, false) : error;
    });
  }
  return body
    ? viaServer(target, 'POST', '/v1/platform/tenants', body)
    : viaServer(target, 'GET', `/v1/platform/tenants?limit=${limit}`);
}

run(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    const message =
      error instanceof ApiError
        ? `${error.code}: ${error.detail}`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(error instanceof UsageError ? 64 : error instanceof ServerUnavailableError ? 69 : 1);
  },
);
