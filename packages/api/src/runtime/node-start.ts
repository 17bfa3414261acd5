import { createServer, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { systemClock } from '../lib/clock.js';
import { createJsonLogger, type Logger } from '../lib/logger.js';
import { createUsageForwarder } from '../billing/usage-forwarder.js';
import { createActivityRollupWorker } from '../maintenance/activity-rollup-worker.js';
import { createBillingJobs } from '../maintenance/billing-jobs.js';
import { createReportScheduler } from '../maintenance/report-scheduler.js';
import { createRetentionWorker } from '../maintenance/retention-worker.js';
import { createRealtimeMaintenance } from '../maintenance/realtime-maintenance.js';
import { createFeedScheduler } from '../maintenance/feed-scheduler.js';
import { createNotificationBatchWorker } from '../maintenance/notification-batches.js';
import { createNotificationDigestWorker } from '../maintenance/notification-digests.js';
import {
  createDevMailTransport,
  createMailDeliveryWorker,
  type DevMailTransport,
  type MailDeliveryWorker,
  type MailTransport,
} from '../mail/index.js';
import { createSmtpTransport, smtpOptionsFromUrl } from '../mail/smtp-transport.js';
import { openMigratedDatabase, prepareDemoBilling, prepareDevSetup } from './bootstrap.js';
import { openProcessBilling } from './stripe-billing.js';
import { readNodeConfig, type NodeConfig } from './config.js';
import { allowDemoOrigin, ensureDemoOwner } from './demo-owner.js';
import { describeDatabase, recordDevServer } from './dev-credentials.js';
import { createBundleSite, createDevSite } from './dev-site.js';
import { createNodeApp } from './node-app.js';
import { openRealtimeBus } from './realtime-bus.js';
import { createRealtimeRuntime } from '../realtime/runtime.js';
import { createRealtimeWebSocketServer } from '../realtime/websocket.js';
import { configureStreams } from '../realtime/stream-connection.js';
import { readLiveServerLock, removeServerLock, writeServerLock } from './server-lock.js';

/**
 * `npm start`: the API on the configured database (embedded PGlite by default),
 * with the demo tenant on a fresh database, the API reference at /docs.
 */
async function main(): Promise<void> {
  // PORT=0 (any free port): pick it now, so the token issuer and the links in mails carry the real port.
  if (process.env.PORT === '0') process.env.PORT = String(await freePort(process.env.HOST || '127.0.0.1'));
  const config = readNodeConfig();
  const logger = createJsonLogger((line) => process.stdout.write(`${line}\n`));

  if (config.database.driver === 'pglite') {
    const running = await readLiveServerLock(config.dataDir);
    if (running)
      throw new Error(
        `Another Memberkit server (pid ${running.pid}, ${running.url}) uses ${config.dataDir}. Stop it first or set MEMBERKIT_DATA_DIR.`,
      );
  }

  const db = await openMigratedDatabase(config, logger);
  const setup = await prepareDevSetup(db, config, logger);
  const mail = openMailTransport(config, logger);
  // Caught mails hold live sign-in links: they are served only to this machine (a loopback bind), never to a network.
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.host);
  const serveDevMail = mail.dev !== null && loopback;
  // Stripe, or without a key the offline test double (its Connect webhooks come back to this API).
  const billing = await openProcessBilling(config.stripe, config.publicUrl, logger, { production: config.production });
  // Live events: this process's streams, fed from the tenant logs; other processes are told through the bus.
  const realtimeBus = openRealtimeBus(config.realtime, config.database, logger);
  const realtime = createRealtimeRuntime({ db, logger, bus: realtimeBus.bus });
  configureStreams(realtime.hub, { heartbeatMs: config.realtime.heartbeatSeconds * 1000 });
  await realtime.start();
  const { app, deps } = await createNodeApp({
    realtime,
    billing: billing.billing,
    db,
    logger,
    config,
    platformKey: setup.platformKey,
    masterKey: setup.masterKey,
    devMail: serveDevMail ? mail.dev : null,
  });
  // The staff console page carries a live owner token: like caught mail, only for this machine.
  const owner =
    config.site && setup.demo && loopback ? await ensureDemoOwner(deps, config.dataDir, setup.demo.tenantId) : null;
  // The element bundles are always served; the example site and the console only in development.
  const site = config.site ? createDevSite({ deps, logger, demo: setup.demo, owner }) : createBundleSite(logger);

  let worker: MailDeliveryWorker | null = null;
  if (config.mail.worker) {
    worker = createMailDeliveryWorker({
      db,
      transport: mail.transport,
      clock: systemClock,
      logger,
      from: (tenant) => ({ name: tenant.name, address: config.mail.from }),
      linkBaseUrl: config.mail.linkBaseUrl,
    });
    worker.start(config.mail.intervalMs);
  }

  const retention = config.retention.worker ? createRetentionWorker({ deps, logger }) : null;
  retention?.start(config.retention.intervalMs);
  // Activity rollups: every second, and woken by each ingest that committed (analytics follow within moments).
  // With the other background jobs (MEMBERKIT_RETENTION_WORKER); any number of processes share the queue safely.
  const rollups = config.retention.worker ? createActivityRollupWorker({ db, logger, clock: systemClock }) : null;
  if (rollups) {
    deps.activityRollups = rollups;
    rollups.start(1000);
  }
  // Scheduled reports go out at 07:00 tenant time: a check a minute is punctual enough. It runs where the
  // other background jobs run (MEMBERKIT_RETENTION_WORKER), and any number of processes share it safely.
  const reportScheduler = config.retention.worker ? createReportScheduler({ deps, logger }) : null;
  reportScheduler?.start(60_000);
  // Billing's background work with the other jobs: the Stripe webhook inbox (woken by each webhook), grace
  // periods and reconciliation, and the usage outbox to Stripe's meters.
  const billingDeps = deps.billing && config.retention.worker ? { ...deps, billing: deps.billing } : null;
  const billingJobs = billingDeps ? createBillingJobs(billingDeps) : null;
  if (billingJobs) deps.billingEvents = billingJobs.events;
  const usageForwarder = billingDeps ? createUsageForwarder({ deps: billingDeps }) : null;

  // Community background work with the other jobs: presence sweeps and log pruning, staff sends fanned out to
  // members (woken by each send), notification digests, scheduled announcements and anniversaries.
  const realtimeMaintenance = config.retention.worker ? createRealtimeMaintenance({ deps, logger }) : null;
  realtimeMaintenance?.start();
  const notificationBatches = config.retention.worker ? createNotificationBatchWorker({ deps, logger }) : null;
  if (notificationBatches) {
    deps.notificationBatches = notificationBatches;
    notificationBatches.start(5_000);
  }
  const notificationDigests = config.retention.worker ? createNotificationDigestWorker({ deps, logger }) : null;
  notificationDigests?.start(5 * 60_000);
  const feedScheduler = config.retention.worker ? createFeedScheduler({ deps, logger }) : null;
  feedScheduler?.start(30_000);

  const fetch = async (request: Request, env: unknown) => (await site(request)) ?? app.fetch(request, env);
  // Node answers 408 to a request not fully received within 5 minutes (its default). An import is read
  // only as fast as it is written to the database (backpressure), so a 100 MB file takes longer; an hour
  // still bounds a client that trickles a body forever.
  const serverOptions = { requestTimeout: 60 * 60 * 1000 };
  const websocket = createRealtimeWebSocketServer(realtime);
  const server = serve({ fetch, port: config.port, hostname: config.host, serverOptions, websocket }, async (info) => {
    const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    if (config.site && setup.demo) await allowDemoOrigin(deps, setup.demo.tenantId, url);
    if (config.database.driver === 'pglite') await writeServerLock(config.dataDir, { pid: process.pid, url });
    // After listening, so the double's webhooks (account.updated) reach the API.
    const demoBilling = setup.demo
      ? await prepareDemoBilling(deps, setup.demo.tenantId, billing).catch((error: unknown) => {
          logger.warn('demo billing not set up', { reason: error instanceof Error ? error.message : String(error) });
          return 'not set up (see the warning above)';
        })
      : null;
    // Started once the demo tenant is on this start's double: a reconciliation of its old account would only fail.
    billingJobs?.start();
    usageForwarder?.start(10_000);
    // Where `npx memberkit` finds this server (development only, like the rest of the dev credentials).
    if (!config.production)
      await recordDevServer(config.dataDir, { url, pid: process.pid, database: describeDatabase(config.database) });
    const lines = [
      '',
      '  Memberkit is running',
      '',
      `  API            ${url}`,
      `  API reference  ${url}/docs`,
      `  OpenAPI        ${url}/openapi.json`,
      `  Database       ${describeDatabase(config.database)}`,
    ];
    if (!config.mail.worker) lines.push('  Mail           not sent by this process (MEMBERKIT_MAIL_WORKER=0)');
    else if (mail.dev && serveDevMail) lines.push(`  Mail           caught in memory, not sent: ${url}/dev/mail`);
    else if (mail.dev)
      lines.push(
        '  Mail           caught in memory, not sent (set MEMBERKIT_SMTP_URL; /dev/mail is only served on a loopback HOST)',
      );
    else lines.push(`  Mail           ${mail.label}, from ${config.mail.from}`);
    lines.push(`  Billing        ${billing.label}`);
    lines.push(`  Live events    ${realtimeBus.label}`);
    if (setup.platformKey && !config.platformKey)
      lines.push(
        `  Platform key   ${setup.platformKey}${setup.platformKeyGenerated ? '   (generated; set MEMBERKIT_PLATFORM_KEY in production)' : ''}`,
      );
    else if (config.platformKey) lines.push('  Platform key   from MEMBERKIT_PLATFORM_KEY');
    if (config.site) {
      lines.push(`  Member site    ${url}/   (examples/embed-html, demo tenant's widgets)`);
      if (owner)
        lines.push(`  Staff console  ${url}/admin   (signed in as ${owner.email}, password ${owner.password})`);
    }
    if (setup.demo) {
      lines.push(
        '',
        `  Demo tenant    Demo Association (${setup.demo.tenantId})${setup.demoCreated ? ', just created' : ''}`,
        `  Secret key     ${setup.demo.secretKey}`,
        `  Publishable    ${setup.demo.publishableKey}`,
        `  Demo billing   ${demoBilling}`,
        '',
        `  Try: curl -H "Authorization: Bearer ${setup.demo.secretKey}" ${url}/v1/tenant`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n\n`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close();
    // Streams end first: clients reconnect (to another process) and resume from their last event id.
    await realtime.stop();
    await worker?.stop();
    await retention?.stop();
    await rollups?.stop();
    await reportScheduler?.stop();
    await billingJobs?.stop();
    await usageForwarder?.stop();
    await realtimeMaintenance?.stop();
    await notificationBatches?.stop();
    await notificationDigests?.stop();
    await feedScheduler?.stop();
    mail.close();
    await billing.double?.close();
    await db.close();
    if (config.database.driver === 'pglite') await removeServerLock(config.dataDir);
    if (!config.production) await recordDevServer(config.dataDir, null);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function openMailTransport(
  config: NodeConfig,
  logger: Logger,
): { transport: MailTransport; dev: DevMailTransport | null; label: string; close(): void } {
  if (config.mail.smtpUrl) {
    const options = smtpOptionsFromUrl(config.mail.smtpUrl);
    const smtp = createSmtpTransport(options);
    // A bad password or an unreachable server should show at start-up without stopping the API: mail is retried.
    smtp.verify().catch((error: unknown) =>
      logger.warn('SMTP check failed; mail will be retried', {
        reason: error instanceof Error ? error.message : String(error),
      }),
    );
    return { transport: smtp, dev: null, label: `SMTP ${options.host}:${options.port}`, close: () => smtp.close() };
  }
  const dev = createDevMailTransport({
    onSend: (caught) =>
      logger.info('mail caught', {
        path: `/dev/mail/${caught.id}`,
        template: caught.headers['X-Memberkit-Template'] ?? null,
      }),
  });
  return { transport: dev, dev, label: 'dev', close: () => {} };
}

main().catch((error: unknown) => {
  process.stderr.write(`memberkit: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
