/**
 * Runs the example backend:
 *   MEMBERKIT_API_URL=http://127.0.0.1:8787 MEMBERKIT_SECRET_KEY=sk_… MEMBERKIT_TENANT_ID=tnt_… \
 *   node --conditions=memberkit-source --import tsx examples/node-backend/main.ts
 */
import { createBackend } from './server.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}.`);
  return value;
}

const server = createBackend({
  apiUrl: process.env.MEMBERKIT_API_URL ?? 'http://127.0.0.1:8787',
  secretKey: required('MEMBERKIT_SECRET_KEY'),
  tenantId: required('MEMBERKIT_TENANT_ID'),
  allowedOrigin: process.env.ALLOWED_ORIGIN,
});
const port = Number(process.env.PORT ?? 3000);
server.listen(port, '127.0.0.1', () => console.log(`node-backend example on http://127.0.0.1:${port}`));
