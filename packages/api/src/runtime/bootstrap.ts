import { randomBase62 } from '../lib/encoding.js';
import { generateMasterKey } from '../lib/secret-box.js';
import type { Logger } from '../lib/logger.js';
import { connectDatabase } from '../db/connect.js';
import type { Database } from '../db/database.js';
import { systemClock } from '../lib/clock.js';
import { createUlidGenerator } from '../lib/ids.js';
import type { AppDeps } from '../deps.js';
import { DEMO_TENANT, issueDemoKeys, seedDemoTenant, type DemoCredentials } from '../services/demo-seed.js';
import { connectDemoBilling, ensureDemoPrices } from '../services/demo-seed-billing.js';
import type { ProcessBilling } from './stripe-billing.js';
import { findTenantBySlug } from '../services/tenants.js';
import type { NodeConfig } from './config.js';
import { readDevCredentials, writeDevCredentials } from './dev-credentials.js';

/** Opens the configured database and applies pending migrations; connection losses go to `logger`. */
export async function openMigratedDatabase(config: NodeConfig, logger?: Logger): Promise<Database> {
  if (config.database.driver === 'pglite') {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(config.dataDir, { recursive: true });
  }
  const db = await connectDatabase(config.database, logger);
  await db.migrate();
  return db;
}

export interface DevSetup {
  platformKey: string | null;
  masterKey: string;
  platformKeyGenerated: boolean;
  demo: DemoCredentials | null;
  demoCreated: boolean;
}

/**
 * The platform key and demo tenant of a development start: the key from the
 * environment, or one generated once and kept in the data folder; the demo
 * tenant created on an empty database, its keys kept beside it.
 */
export async function prepareDevSetup(db: Database, config: NodeConfig, logger: Logger): Promise<DevSetup> {
  const stored = config.production ? {} : await readDevCredentials(config.dataDir);
  let platformKey = config.platformKey;
  let platformKeyGenerated = false;
  if (!platformKey && !config.production) {
    platformKey = stored.platformKey ?? `mk_platform_${randomBase62(40)}`;
    platformKeyGenerated = !stored.platformKey;
  }
  if (!platformKey) logger.warn('MEMBERKIT_PLATFORM_KEY is not set: platform endpoints are disabled.');

  let masterKey = config.masterKey;
  if (!masterKey) {
    if (config.production)
      throw new Error('MEMBERKIT_MASTER_KEY must be set in production (32 random bytes, base64url).');
    masterKey = stored.masterKey ?? generateMasterKey();
    logger.warn(
      'MEMBERKIT_MASTER_KEY is not set: using a development master key kept in the data folder. Set it in production.',
    );
  }

  let demo: DemoCredentials | null = null;
  let demoCreated = false;
  if (config.demo && !config.production) {
    const deps = { db, clock: systemClock, ids: createUlidGenerator(systemClock) };
    const existing = await findTenantBySlug(deps, DEMO_TENANT.slug);
    if (!existing) {
      demo = await seedDemoTenant(deps).catch((error: unknown) => {
        throw fakerMissing(error)
          ? new Error(
              'The demo tenant is generated with @faker-js/faker, a development dependency of @memberkit/api that is not installed here: install it (npm install --save-dev @faker-js/faker) or start without the demo (MEMBERKIT_DEMO=0).',
            )
          : error;
      });
      demoCreated = true;
    } else if (stored.demo?.tenantId === existing.id) {
      demo = stored.demo;
    } else {
      demo = await issueDemoKeys(deps, existing.id);
    }
  }
  if (!config.production) {
    await writeDevCredentials(config.dataDir, {
      ...(stored.demoOwner ? { demoOwner: stored.demoOwner } : {}),
      ...(platformKey && !config.platformKey ? { platformKey } : {}),
      ...(!config.masterKey ? { masterKey } : {}),
      ...(demo ? { demo } : {}),
    });
  }
  return { platformKey, masterKey, platformKeyGenerated, demo, demoCreated };
}

/** True for the error of importing @faker-js/faker where it is not installed (a production install). */
function fakerMissing(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
    error.message.includes('@faker-js/faker')
  );
}

/**
 * The demo tenant's billing: its paid tiers priced (monthly and yearly, a trial on
 * Member) and, on the offline Stripe test double, connected in Connect mode with
 * its account onboarded and its catalog created, so a visitor can buy a tier on
 * the example site. With real Stripe the demo tenant is left for staff to connect.
 * Returns a line for the banner.
 */
export async function prepareDemoBilling(deps: AppDeps, tenantId: string, billing: ProcessBilling): Promise<string> {
  await ensureDemoPrices(deps, tenantId);
  const double = billing.double;
  if (!double) return 'not connected (PUT /v1/tenant/billing with the demo secret key)';
  const account = await connectDemoBilling(deps, tenantId, (id) => double.completeOnboarding(id));
  return `connected to the test double (Connect account ${account}); pay with any test card on its checkout page`;
}
