import type { TestProject } from 'vitest/node';
import { startWsTcpProxy } from '../../src/testing/index.js';

/**
 * Global setup of the server-restart suite (vitest.restart.config.ts). Unlike
 * the default one it keeps no connection open to the server, which the suite
 * restarts: it only names the server and runs the ws proxy for Neon's driver.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('The server-restart suite needs DATABASE_URL (a server it may restart).');
  const proxy = await startWsTcpProxy();
  project.provide('pgliteDump', null);
  project.provide('databaseUrl', serverUrl);
  project.provide('neonProxyPort', proxy.port);
  return () => proxy.close();
}
