import { and, eq } from 'drizzle-orm';
import { staffUsers, tenants } from '../db/schema/index.js';
import type { AppDeps } from '../deps.js';
import { createStaffWithPassword } from '../accounts/staff.js';
import { randomBase62 } from '../lib/encoding.js';
import { readDevCredentials, writeDevCredentials, type DevCredentials } from './dev-credentials.js';

export type DemoOwner = NonNullable<DevCredentials['demoOwner']>;

const OWNER_EMAIL = 'owner@demo.example';

/**
 * The demo tenant's owner account for the staff console, created once with a
 * generated password kept in the data folder's dev credentials, so every start
 * prints the same login.
 */
export async function ensureDemoOwner(deps: AppDeps, dataDir: string, tenantId: string): Promise<DemoOwner> {
  const stored = await readDevCredentials(dataDir);
  const known = stored.demoOwner;
  if (known?.tenantId === tenantId) {
    const [row] = await deps.db.withTenant(tenantId, (tx) =>
      tx
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(
          and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, known.staffId), eq(staffUsers.status, 'active')),
        ),
    );
    if (row) return known;
  }
  const password = `demo-${randomBase62(16)}`;
  const staff = await createStaffWithPassword(
    deps,
    tenantId,
    { actorType: 'system', actorId: 'npm-start', requestId: null, ip: null },
    {
      email: known?.tenantId === tenantId ? `owner+${randomBase62(6).toLowerCase()}@demo.example` : OWNER_EMAIL,
      name: 'Demo Owner',
      role: 'owner',
      password,
    },
  );
  const owner: DemoOwner = { tenantId, staffId: staff.id, email: staff.email, password };
  await writeDevCredentials(dataDir, { ...stored, demoOwner: owner });
  return owner;
}

/**
 * Lets the demo tenant's publishable key work from the origin this process
 * serves its demo pages on (a PORT or HOST other than the default 8787).
 */
export async function allowDemoOrigin(deps: AppDeps, tenantId: string, origin: string): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    const [tenant] = await tx.select({ origins: tenants.allowedOrigins }).from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant || tenant.origins.includes(origin)) return;
    await tx
      .update(tenants)
      .set({ allowedOrigins: [...tenant.origins, origin] })
      .where(eq(tenants.id, tenantId));
  });
}
