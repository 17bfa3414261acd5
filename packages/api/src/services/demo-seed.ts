import { eq } from 'drizzle-orm';
import { customFields, MEMBER_STATUSES, members, tenants, tiers, type MemberStatus } from '../db/schema/index.js';
import { createApiKey } from './api-keys.js';
import type { ServiceDeps } from './service-deps.js';
import { insertTenant } from './tenants.js';

export const DEMO_TENANT = { name: 'Demo Association', slug: 'demo', timeZone: 'Europe/Berlin' } as const;

export interface DemoCredentials {
  tenantId: string;
  secretKey: string;
  publishableKey: string;
}

const DEMO_TIERS = [
  {
    name: 'Community',
    description: 'Free access to the newsletter and public events.',
    interval: 'free',
    priceAmount: 0,
    features: ['Newsletter', 'Public events'],
  },
  {
    name: 'Supporter',
    description: 'Support our work every month.',
    interval: 'month',
    priceAmount: 500,
    features: ['Newsletter', 'Member events', 'Forum'],
  },
  {
    name: 'Member',
    description: 'Full membership, billed yearly.',
    interval: 'year',
    priceAmount: 6000,
    features: ['Everything in Supporter', 'Voting rights', 'Annual report'],
  },
  {
    name: 'Patron',
    description: 'For those who want to give more.',
    interval: 'year',
    priceAmount: 25000,
    features: ['Everything in Member', 'Patron dinner', 'Name in the annual report'],
    capacity: 100,
  },
  {
    name: 'Lifetime',
    description: 'One payment, member for life.',
    interval: 'one_time',
    priceAmount: 90000,
    features: ['Everything in Member', 'Lifetime status'],
  },
] as const;

/** Fields that show what the widgets do with custom fields: a public one in the directory, a members-only choice. */
const DEMO_FIELDS = [
  {
    key: 'city',
    label: { en: 'City', de: 'Stadt' },
    type: 'text',
    required: false,
    visibility: 'public',
    memberEditable: true,
  },
  {
    key: 'interest',
    label: { en: 'Main interest', de: 'Hauptinteresse' },
    type: 'select',
    options: [
      { value: 'events', label: { en: 'Events', de: 'Veranstaltungen' } },
      { value: 'volunteering', label: { en: 'Volunteering', de: 'Ehrenamt' } },
      { value: 'networking', label: { en: 'Networking', de: 'Netzwerken' } },
    ],
    required: false,
    visibility: 'members',
    memberEditable: true,
  },
] as const;

const TAGS = ['volunteer', 'board', 'newsletter', 'speaker', 'mentor', 'donor', 'student', 'alumni'];
const STATUS_WEIGHTS: [MemberStatus, number][] = [
  ['active', 78],
  ['pending', 8],
  ['inactive', 11],
  ['suspended', 3],
];

/**
 * Creates the demo tenant ("Demo Association") with tiers and `memberCount`
 * realistic members spread over two years, all in one transaction. Names come
 * from a fixed faker seed, so every fresh start shows the same people.
 */
export async function seedDemoTenant(deps: ServiceDeps, memberCount = 300): Promise<DemoCredentials> {
  const { faker } = await import('@faker-js/faker');
  faker.seed(20261127);
  const now = deps.clock.now().getTime();
  const twoYears = 2 * 365 * 24 * 60 * 60 * 1000;

  return deps.db.withPlatform(async (tx, scope) => {
    const created = await insertTenant(tx, scope, deps, DEMO_TENANT);
    const tenantId = created.tenant.id;
    await tx
      .update(tenants)
      .set({
        locales: ['en', 'de'],
        allowedOrigins: ['http://127.0.0.1:8787', 'http://localhost:8787'],
        siteSettings: { directory: { enabled: true } },
      })
      .where(eq(tenants.id, tenantId));
    await tx.insert(customFields).values(
      DEMO_FIELDS.map((field, sortOrder) => ({
        tenantId,
        ...field,
        options: 'options' in field ? [...field.options] : [],
        sortOrder,
      })),
    );

    const tierRows = DEMO_TIERS.map((tier, index) => ({
      tenantId,
      id: deps.ids.generate('tier'),
      name: tier.name,
      description: tier.description,
      features: [...tier.features],
      priceAmount: tier.priceAmount,
      currency: 'eur',
      interval: tier.interval,
      capacity: 'capacity' in tier ? tier.capacity : null,
      sortOrder: index,
      createdAt: new Date(now - twoYears),
      updatedAt: new Date(now - twoYears),
    }));
    await tx.insert(tiers).values(tierRows);

    const emails = new Set<string>();
    const memberRows = [];
    for (let i = 0; i < memberCount; i++) {
      const firstName = faker.person.firstName();
      const lastName = faker.person.lastName();
      let email = faker.internet.email({ firstName, lastName, provider: 'example.org' }).toLowerCase();
      if (emails.has(email)) email = email.replace('@', `.${i}@`);
      emails.add(email);
      const createdAt = new Date(now - Math.floor(faker.number.float({ min: 0, max: 1 }) ** 1.5 * twoYears));
      const status = faker.helpers.weightedArrayElement(STATUS_WEIGHTS.map(([value, weight]) => ({ value, weight })));
      const tier = faker.helpers.weightedArrayElement([
        { value: tierRows[0]!, weight: 40 },
        { value: tierRows[1]!, weight: 20 },
        { value: tierRows[2]!, weight: 30 },
        { value: tierRows[3]!, weight: 5 },
        { value: tierRows[4]!, weight: 5 },
      ]);
      memberRows.push({
        tenantId,
        id: deps.ids.generate('mem'),
        email,
        firstName,
        lastName,
        status: MEMBER_STATUSES.includes(status) ? status : 'active',
        tierId: tier.id,
        tags: faker.helpers.arrayElements(TAGS, { min: 0, max: 3 }),
        customFields: {
          city: faker.location.city(),
          interest: faker.helpers.arrayElement(['events', 'volunteering', 'networking']),
        },
        lastActiveAt:
          status === 'active' ? new Date(now - faker.number.int({ min: 0, max: 60 * 24 * 60 * 60 * 1000 })) : null,
        createdAt,
        updatedAt: createdAt,
      });
    }
    for (let i = 0; i < memberRows.length; i += 500) await tx.insert(members).values(memberRows.slice(i, i + 500));

    return { tenantId, secretKey: created.secretKey, publishableKey: created.publishableKey };
  });
}

/**
 * New keys for an existing demo tenant: used when the database already holds the
 * demo tenant but this machine no longer has its keys (only their hashes are stored).
 */
export async function issueDemoKeys(deps: ServiceDeps, tenantId: string): Promise<DemoCredentials> {
  const secret = await createApiKey(deps, tenantId, { kind: 'secret', role: 'admin', name: 'npm start (dev)' });
  const publishable = await createApiKey(deps, tenantId, { kind: 'publishable', name: 'npm start (dev)' });
  return { tenantId, secretKey: secret.key, publishableKey: publishable.key };
}
