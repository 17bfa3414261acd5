// Page-level test of examples/embed-html as `npm start` serves it: starts the real
// server (PGlite in a temp folder, demo tenant, site on), opens the landing page in
// Debian's Chromium, signs up through <member-signup>, confirms the address through
// the mailed link's page, and checks the member in the API with the demo secret key.
// Needs dist/cdn (node scripts/build-cdn.mjs). Exit code 1 on failure.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const apiDir = fileURLToPath(new URL('../../api/', import.meta.url));
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'memberkit-example-'));
const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', MEMBERKIT_DATA_DIR: dataDir, MEMBERKIT_MAIL_INTERVAL_MS: '100', MEMBERKIT_RATE_LIMIT: '100000' };
for (const name of ['DATABASE_URL', 'MEMBERKIT_DB_DRIVER', 'NODE_ENV', 'MEMBERKIT_DEMO', 'MEMBERKIT_SITE']) delete env[name];
const server = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node-start.ts'], { cwd: apiDir, env, stdio: ['ignore', 'pipe', 'pipe'] });

let browser;
try {
  const started = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    server.stdout.on('data', (d) => {
      out += d.toString();
      const url = /API\s+(http:\/\/\S+)/.exec(out)?.[1];
      const secretKey = /Secret key\s+(sk_\S+)/.exec(out)?.[1];
      if (url && secretKey && out.includes('Try:')) {
        clearTimeout(timer);
        resolve({ url, secretKey });
      }
    });
    server.stderr.on('data', (d) => (out += d.toString()));
    server.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  const { url, secretKey } = started;

  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => process.env.DEBUG && console.log('page:', message.text()));
  page.on('requestfailed', (request) => process.env.DEBUG && console.log('failed:', request.url()));
  page.on('response', (response) => process.env.DEBUG && response.status() >= 400 && console.log('http', response.status(), response.url()));
  await page.goto(`${url}/`);
  const email = `example-${Date.now().toString(36)}@example.org`;

  // The inputs live in <member-signup>'s shadow root.
  const field = (name) =>
    page.waitForFunction((n) => document.querySelector('member-signup')?.shadowRoot?.querySelector(`[name="${n}"]`), { timeout: 15_000 }, name);
  for (const [name, value] of [
    ['first_name', 'Example'],
    ['last_name', 'Visitor'],
    ['email', email],
    ['password', 'an example password'],
  ]) {
    const input = await field(name);
    await input.asElement().type(value);
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => document.querySelector('member-signup')?.shadowRoot?.querySelector('[role=status]')?.textContent?.includes('@'),
    { timeout: 15_000 },
  );

  const members = await (await fetch(`${url}/v1/members?limit=100`, { headers: { Authorization: `Bearer ${secretKey}` } })).json();
  const member = members.data.find((m) => m.email === email);
  assert.ok(member, 'the member signed up through the widget is in the API');
  console.log(`example site: signed up ${email} through <member-signup> (${member.id}, ${member.status})`);

  // The mailed link leads to the example's verify page, which confirms and signs in.
  let link;
  for (let i = 0; i < 100 && !link; i++) {
    const mails = (await (await fetch(`${url}/dev/mail`)).json()).data.filter((m) => m.to.includes(email));
    link = mails.flatMap((m) => m.links ?? []).find((l) => l.includes('/auth/verify-email'));
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(link, 'a verification mail with a link arrived');
  // With PORT=0 the API's mail links name port 0 (MEMBERKIT_MAIL_LINK_BASE is not set
  // from the bound port): keep the link's path and query, on the server's real origin.
  const target = new URL(link);
  await page.goto(`${url}${target.pathname}${target.search}`);
  await page.waitForFunction(() => document.querySelector('member-email-action')?.shadowRoot?.textContent?.includes('confirmed'), { timeout: 15_000 });
  await page.goto(`${url}/members`);
  await page.waitForFunction(() => document.querySelector('member-gate')?.hasAttribute('open'), { timeout: 15_000 });
  const after = await (await fetch(`${url}/v1/members/${member.id}`, { headers: { Authorization: `Bearer ${secretKey}` } })).json();
  assert.equal(after.status, 'active');
  assert.deepEqual(errors, [], 'no page errors');
  console.log('example site: verified from the mail link, members page open: ok');
} finally {
  await browser?.close();
  if (server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
}
