import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../lib/logger.js';
import { startStripeDouble, type StripeDouble } from '../testing/index.js';
import { readNodeConfig } from './config.js';
import { openProcessBilling } from './stripe-billing.js';

let stripe: StripeDouble;
beforeAll(async () => {
  stripe = await startStripeDouble();
});
afterAll(() => stripe?.close());

describe('Stripe configuration of a Node process', () => {
  it('talks to the Stripe host of MEMBERKIT_STRIPE_API_BASE with the platform key', async () => {
    const config = readNodeConfig({
      MEMBERKIT_STRIPE_SECRET_KEY: stripe.platformSecretKey,
      MEMBERKIT_STRIPE_WEBHOOK_SECRET: 'whsec_test_123',
      MEMBERKIT_STRIPE_API_BASE: stripe.url,
    });
    const billing = await openProcessBilling(config.stripe, 'https://api.example.org', createMemoryLogger());
    expect(billing.double).toBeNull();
    expect(billing.label).toContain(stripe.url);
    expect(billing.billing!.platform).toEqual({ secretKey: stripe.platformSecretKey, webhookSecret: 'whsec_test_123' });
    expect(billing.billing!.webhookBaseUrl).toBe('https://api.example.org');
    const account = await billing.billing!.stripe(stripe.platformSecretKey).accounts.retrieveCurrent();
    expect(account.id).toBe(stripe.platformAccountId);
  });

  it('starts the offline test double without a key, with a Connect endpoint back to the API', async () => {
    const config = readNodeConfig({});
    expect(config.stripe).toEqual({ secretKey: null, webhookSecret: null, apiBase: null });
    const billing = await openProcessBilling(config.stripe, 'http://127.0.0.1:8787', createMemoryLogger());
    try {
      expect(billing.label).toContain(`offline Stripe test double at ${billing.double!.url}`);
      const client = billing.billing!.stripe(billing.billing!.platform!.secretKey);
      const endpoints = await client.webhookEndpoints.list();
      expect(endpoints.data.map((e) => e.url)).toContain('http://127.0.0.1:8787/v1/webhooks/stripe');
    } finally {
      await billing.double?.close();
    }
  });

  it('turns billing off in production without a key, never selling against the test double', async () => {
    const logger = createMemoryLogger();
    const billing = await openProcessBilling(readNodeConfig({}).stripe, 'https://api.example.org', logger, {
      production: true,
    });
    expect(billing).toMatchObject({ billing: null, double: null });
    expect(billing.label).toMatch(/^off/);
    expect(logger.lines.join('\n')).toContain('MEMBERKIT_STRIPE_SECRET_KEY is not set');
  });

  it('refuses a malformed key, a bad API base, and a key without its webhook secret in production', () => {
    expect(() => readNodeConfig({ MEMBERKIT_STRIPE_SECRET_KEY: 'pk_live_123' })).toThrow(/MEMBERKIT_STRIPE_SECRET_KEY/);
    expect(() => readNodeConfig({ MEMBERKIT_STRIPE_API_BASE: 'not a url' })).toThrow(/MEMBERKIT_STRIPE_API_BASE/);
    expect(() =>
      readNodeConfig({
        NODE_ENV: 'production',
        MEMBERKIT_MAIL_WORKER: '0',
        MEMBERKIT_STRIPE_SECRET_KEY: 'sk_live_abc123',
      }),
    ).toThrow(/MEMBERKIT_STRIPE_WEBHOOK_SECRET/);
  });
});
