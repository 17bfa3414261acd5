/**
 * Runs the Stripe test double on its own, for development:
 * `PORT=12111 node --import tsx src/stripe-double/main.ts`
 * Point the `stripe` SDK at it with `{ host: '127.0.0.1', port, protocol: 'http' }`.
 */
import { startStripeDouble } from './double.js';

const port = Number(process.env.PORT ?? 12111);
const double = await startStripeDouble({ port, host: process.env.HOST ?? '127.0.0.1' });
const { platform } = double.billingDeps({ webhookBaseUrl: process.env.WEBHOOK_BASE_URL ?? 'http://127.0.0.1:3000' });

process.stdout.write(
  [
    `Stripe test double listening on ${double.url}`,
    `Platform account: ${double.platformAccountId}`,
    `Platform secret key: ${double.platformSecretKey}`,
    `Connect webhook signing secret: ${platform?.webhookSecret}`,
    '',
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void double.close().then(() => process.exit(0));
  });
