/// <reference lib="dom" />
/**
 * Browser benchmark of `<member-admin-table>` on the 200,000-member tenant of the
 * bench database (bench/generate.ts): the real API process on PostgreSQL, the
 * table in headless Chromium (Debian's, through puppeteer-core), measured with
 * the Performance API and the DevTools protocol.
 *
 *   node --import tsx bench/admin-table.ts
 *
 * Per run (a fresh page with a fresh staff session; `BENCH_ADMIN_RUNS`, default 5):
 *
 * 1. first render: the page opens with 50 rows per page (`?m_limit=50`); the
 *    table's own marks give response → 50 rows in the DOM
 *    (`member-admin-table:render`) and → style and layout done (`…:layout`);
 * 2. `BENCH_ADMIN_PAGES` (default 4) "Next page" clicks: the same measures for
 *    each newly fetched page of 50;
 * 3. scrolling: the window scrolled top → bottom → top, 40 px per animation frame;
 *    frame intervals, long tasks (PerformanceObserver `longtask`), layout shifts,
 *    and the renderer's layout and style-recalculation counts (CDP
 *    `Performance.getMetrics`);
 * 4. selection: 50 real mouse clicks on the rows' checkboxes, then "select all on
 *    this page", "select all 200,000 matching" and "clear selection"; per click
 *    the time from the input event to the next frame rendered, Event Timing
 *    entries of 16 ms or more (what INP is made of), long tasks, layout counts.
 *
 * Prints percentiles over all runs and writes them to
 * bench/.data/admin-table-<time>.json. Settings: `BENCH_DATABASE_URL` (default
 * the generator's), `BENCH_ADMIN_TENANT` (slug, default the largest tenant),
 * `BENCH_ADMIN_PORT` (8798), `CHROMIUM` (/usr/bin/chromium), `BENCH_ADMIN_TRACE=1`
 * (a DevTools trace of each first page: the main thread's wall vs CPU time and
 * heaviest events from the response to layout done, to tell work from waiting for
 * a core).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import puppeteer, { type CDPSession, type Page } from 'puppeteer-core';
import { DATA_DIR, REPO_ROOT, benchDatabaseUrl, intEnv, readTenantsFile } from './lib/config.js';
import { startServer, type RunningServer } from './lib/server.js';

const RUNS = intEnv('BENCH_ADMIN_RUNS', 5);
const PAGES = intEnv('BENCH_ADMIN_PAGES', 4, 0);
const PORT = intEnv('BENCH_ADMIN_PORT', 8798);
const ROWS = 50;
/** `BENCH_ADMIN_TRACE=1`: a DevTools trace of each first page, summarised from the response to layout done. */
const TRACE = process.env.BENCH_ADMIN_TRACE === '1';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
}

/**
 * Prints what the page's main thread did between the table's `response` mark and the
 * end of its `layout` measure: wall time vs thread CPU time (the difference is time
 * the renderer was not running: other processes), and the heaviest trace events.
 */
function printTraceWindow(run: number, trace: { traceEvents: TraceEvent[] }): void {
  const events = trace.traceEvents;
  const mark = events.filter((e) => e.name === 'member-admin-table:response').at(-1);
  const measure = events.filter((e) => e.name === 'member-admin-table:layout' && (e.ph === 'e' || e.ph === 'X')).at(-1);
  if (!mark || !measure) return void console.log(`trace ${run}: marks not found`);
  const start = mark.ts;
  const end = measure.ph === 'X' ? measure.ts + (measure.dur ?? 0) : measure.ts;
  const inside = events.filter(
    (e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === 'X' && e.ts + (e.dur ?? 0) >= start && e.ts <= end,
  );
  const tasks = inside.filter((e) => e.name === 'RunTask');
  const byName = new Map<string, { wall: number; cpu: number; n: number }>();
  for (const e of inside) {
    const t = byName.get(e.name) ?? { wall: 0, cpu: 0, n: 0 };
    t.wall += (e.dur ?? 0) / 1000;
    t.cpu += (e.tdur ?? 0) / 1000;
    t.n++;
    byName.set(e.name, t);
  }
  const top = [...byName].sort((a, b) => b[1].wall - a[1].wall).slice(0, 14);
  console.log(
    `trace ${run}: window ${((end - start) / 1000).toFixed(1)} ms; tasks ${tasks.length}, wall ${tasks.reduce((a, e) => a + (e.dur ?? 0), 0) / 1000} ms, thread CPU ${tasks.reduce((a, e) => a + (e.tdur ?? 0), 0) / 1000} ms\n  ` +
      top.map(([name, t]) => `${name} ×${t.n}: ${t.wall.toFixed(1)} ms wall / ${t.cpu.toFixed(1)} ms CPU`).join('\n  '),
  );
}

// ---------------------------------------------------------------------------
// Statistics

/** Nearest-rank percentile of `values` (q in [0, 1]). */
function pct(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summary(values: number[]): { n: number; p50: number; p95: number; max: number } {
  return { n: values.length, p50: pct(values, 0.5), p95: pct(values, 0.95), max: pct(values, 1) };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

// ---------------------------------------------------------------------------
// API set-up: a staff user of the tenant, invited and accepted as a person would be

async function call<T>(baseUrl: string, method: string, route: string, key: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Invites an admin with the secret key, takes the token from the caught mail and accepts it. */
async function createStaffAdmin(baseUrl: string, secretKey: string, publishableKey: string): Promise<string> {
  const email = `bench-admin-${Date.now().toString(36)}@bench.example`;
  const staff = await call<{ id: string }>(baseUrl, 'POST', '/v1/staff', secretKey, {
    email,
    name: 'Bench Admin',
    role: 'admin',
  });
  for (let i = 0; i < 100; i++) {
    const mails = (await (await fetch(`${baseUrl}/dev/mail`)).json()) as { data: { to: string; links: string[] }[] };
    const link = mails.data
      .filter((m) => m.to.includes(email))
      .flatMap((m) => m.links)
      .find((l) => l.includes('/admin/accept-invite?'));
    const token = link ? new URL(link).searchParams.get('token') : null;
    if (token) {
      await call(baseUrl, 'POST', '/v1/auth/staff/accept-invite', publishableKey, {
        token,
        password: 'bench-admin-password-2026',
      });
      return staff.id;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no staff invitation mail for ${email}`);
}

// ---------------------------------------------------------------------------
// The page: provider + table from the package's source, bundled as the CDN bundle is

async function bundleElements(): Promise<string> {
  const dir = path.join(REPO_ROOT, 'packages/admin-elements');
  const result = await esbuild.build({
    stdin: {
      contents: "import './src/provider/member-admin-provider.ts';\nimport './src/table/member-admin-table.ts';\n",
      resolveDir: dir,
      loader: 'ts',
    },
    absWorkingDir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    conditions: ['memberkit-source', 'browser'],
    tsconfig: 'tsconfig.json',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/**
 * Serves the bench page and its script from the API's own origin, by answering
 * `/__bench/` requests in the browser (request interception): the staff token's
 * requests are then same-origin, as on the console `npm start` serves, with no
 * CORS preflight and no origin to allow on the tenant. Everything else goes through.
 */
async function servePage(page: Page, apiUrl: string, script: string, token: string): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== apiUrl || !(url.pathname.startsWith('/__bench/') || url.pathname === '/favicon.ico'))
      return void request.continue();
    if (url.pathname === '/favicon.ico') return void request.respond({ status: 204, body: '' });
    if (url.pathname === '/__bench/bench.js')
      return void request.respond({ status: 200, contentType: 'text/javascript', body: script });
    void request.respond({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>admin table bench</title><script type="module" src="/__bench/bench.js"></script>
<style>body { margin: 0; font-family: system-ui, sans-serif; } main { padding: 16px; }</style></head>
<body><main><member-admin-provider api-url="${apiUrl}" token="${token}" locale="en"><member-admin-table sync-url></member-admin-table></member-admin-provider></main></body></html>`,
    });
  });
}

// ---------------------------------------------------------------------------
// In the page

/** Installed before the page's scripts: collects long tasks, layout shifts and slow events. */
function installObservers(): void {
  const w = window as unknown as {
    __bench: { longtasks: number[]; shifts: number[]; events: { name: string; duration: number }[] };
  };
  w.__bench = { longtasks: [], shifts: [], events: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.longtasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.shifts.push((e as unknown as { value: number }).value);
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.events.push({ name: e.name, duration: e.duration });
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
}

interface PageCounters {
  longtasks: number[];
  shifts: number[];
  events: { name: string; duration: number }[];
}

async function takeCounters(page: Page): Promise<PageCounters> {
  return page.evaluate(() => {
    const w = window as unknown as { __bench: PageCounters };
    const taken = w.__bench;
    w.__bench = { longtasks: [], shifts: [], events: [] };
    return taken;
  });
}

async function layoutMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

function metricsDelta(a: Record<string, number>, b: Record<string, number>) {
  return {
    layouts: (b.LayoutCount ?? 0) - (a.LayoutCount ?? 0),
    styleRecalcs: (b.RecalcStyleCount ?? 0) - (a.RecalcStyleCount ?? 0),
    layoutMs: ((b.LayoutDuration ?? 0) - (a.LayoutDuration ?? 0)) * 1000,
    styleMs: ((b.RecalcStyleDuration ?? 0) - (a.RecalcStyleDuration ?? 0)) * 1000,
    scriptMs: ((b.ScriptDuration ?? 0) - (a.ScriptDuration ?? 0)) * 1000,
  };
}

/** The table's latest render measures, after the page shows `rows` rows and is idle. */
async function readRender(page: Page): Promise<{ render: number; layout: number; response: number; first: string }> {
  await page.waitForFunction(
    (rows: number) => {
      const root = document.querySelector('member-admin-table')?.shadowRoot;
      return (
        root?.querySelector('table[aria-busy="false"]') &&
        root.querySelectorAll('table[part="table"] > tbody > tr[data-id]').length === rows &&
        performance.getEntriesByName('member-admin-table:layout', 'measure').length > 0
      );
    },
    { timeout: 60_000 },
    ROWS,
  );
  return page.evaluate(() => {
    const last = (name: string) => performance.getEntriesByName(name, 'measure').at(-1)?.duration ?? Number.NaN;
    const lists = performance
      .getEntriesByType('resource')
      .filter((e) => /\/v1\/members\?/.test(e.name)) as PerformanceResourceTiming[];
    const list = lists.at(-1);
    const first =
      document
        .querySelector('member-admin-table')
        ?.shadowRoot?.querySelector('table[part="table"] > tbody > tr[data-id] .name')
        ?.textContent?.trim() ?? '';
    const taken = {
      render: last('member-admin-table:render'),
      layout: last('member-admin-table:layout'),
      response: list ? list.responseEnd - list.startTime : Number.NaN,
      first,
    };
    performance.clearMeasures();
    return taken;
  });
}

/** Scrolls the window to the bottom and back, `step` px per frame; returns the frame intervals. */
async function scrollThrough(page: Page, step: number): Promise<number[]> {
  return page.evaluate(async (px: number) => {
    const deltas: number[] = [];
    let last = await new Promise<number>((r) => requestAnimationFrame(r));
    const max = document.documentElement.scrollHeight - innerHeight;
    for (const direction of [1, -1]) {
      for (let y = direction > 0 ? 0 : max; direction > 0 ? y <= max : y >= 0; y += direction * px) {
        scrollTo(0, y);
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        deltas.push(now - last);
        last = now;
      }
    }
    return deltas;
  }, step);
}

/** Clicks a control in the table's shadow root with the mouse; resolves with input → next rendered frame (ms). */
async function clickTimed(page: Page, selector: string): Promise<number> {
  const handle = await page.evaluateHandle(
    (sel: string) => document.querySelector('member-admin-table')!.shadowRoot!.querySelector(sel),
    selector,
  );
  const element = handle.asElement() as import('puppeteer-core').ElementHandle<Element> | null;
  if (!element) throw new Error(`no ${selector} in the table`);
  await element.scrollIntoView();
  await page.evaluate(() => {
    const w = window as unknown as { __click: Promise<number> };
    w.__click = new Promise<number>((resolve) => {
      document.addEventListener(
        'click',
        (e) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - e.timeStamp), 0)),
        { capture: true, once: true },
      );
    });
  });
  await element.click();
  await handle.dispose();
  return page.evaluate(() => (window as unknown as { __click: Promise<number> }).__click);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const tenants = await readTenantsFile();
  if (!tenants?.complete)
    throw new Error(
      'No complete bench data: run `node --import tsx bench/generate.ts` first (same BENCH_DATABASE_URL).',
    );
  const databaseUrl = benchDatabaseUrl();
  if (tenants.databaseUrl !== databaseUrl)
    throw new Error(`bench/.data/tenants.json is for ${tenants.databaseUrl}, not ${databaseUrl}.`);
  const slug = process.env.BENCH_ADMIN_TENANT;
  const tenant = slug
    ? tenants.tenants.find((t) => t.slug === slug)
    : [...tenants.tenants].sort((a, b) => b.members - a.members)[0];
  if (!tenant) throw new Error(`No tenant ${slug}.`);

  let server: RunningServer | undefined;
  let browser: import('puppeteer-core').Browser | undefined;
  try {
    server = await startServer({
      databaseUrl,
      port: PORT,
      poolSize: 10,
      logFile: path.join(DATA_DIR, 'admin-table-server.log'),
      extraEnv: {
        MEMBERKIT_DATA_DIR: path.join(DATA_DIR, 'admin-table-server'),
        MEMBERKIT_SITE: '0',
        MEMBERKIT_MAIL_INTERVAL_MS: '100',
      },
    });
    const total = (
      await call<{ total_count: number }>(
        server.baseUrl,
        'GET',
        '/v1/members?limit=1&include_total=true',
        tenant.secretKey,
      )
    ).total_count;
    console.log(`tenant ${tenant.slug}: ${total.toLocaleString('en')} members; API ${server.baseUrl}`);
    const staffId = await createStaffAdmin(server.baseUrl, tenant.secretKey, tenant.publishableKey);
    const script = await bundleElements();

    browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless=new',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    });

    // The machine is shared: the load average goes into the report beside the numbers.
    const loadBefore = loadavg();
    const first: { render: number; layout: number; response: number }[] = [];
    const paged: { render: number; layout: number; response: number }[] = [];
    const scroll = {
      frames: [] as number[],
      longtasks: [] as number[],
      shifts: [] as number[],
      layouts: [] as number[],
      styleRecalcs: [] as number[],
      layoutMs: [] as number[],
    };
    const select = {
      clicks: [] as number[],
      bulkClicks: [] as number[],
      slowEvents: [] as number[],
      longtasks: [] as number[],
      layouts: [] as number[],
      styleRecalcs: [] as number[],
      layoutMs: [] as number[],
      scriptMs: [] as number[],
    };

    for (let run = 1; run <= RUNS; run++) {
      const token = (
        await call<{ access_token: string }>(
          server.baseUrl,
          'POST',
          `/v1/staff/${staffId}/sessions`,
          tenant.secretKey,
          {},
        )
      ).access_token;
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      const cdp = await page.createCDPSession();
      await cdp.send('Performance.enable');
      page.on('pageerror', (error) => console.error('page error:', error));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warn')
          console.error(`page ${message.type()}: ${message.text()}`);
      });
      // tsx compiles this file with esbuild's keepNames: functions sent to the page call its `__name` helper.
      await page.evaluateOnNewDocument('globalThis.__name = (target) => target;');
      await page.evaluateOnNewDocument(installObservers);
      await servePage(page, server.baseUrl, script, token);
      if (TRACE)
        await page.tracing.start({
          categories: ['devtools.timeline', 'blink.user_timing', 'v8', 'disabled-by-default-devtools.timeline'],
        });
      await page.goto(`${server.baseUrl}/__bench/admin-table?m_limit=${ROWS}`);

      const f = await readRender(page);
      if (TRACE)
        printTraceWindow(
          run,
          JSON.parse(Buffer.from((await page.tracing.stop())!).toString('utf8')) as { traceEvents: TraceEvent[] },
        );
      first.push(f);
      const firstNames = [f.first];
      for (let p = 0; p < PAGES; p++) {
        await page.evaluate(() =>
          (
            document
              .querySelector('member-admin-table')!
              .shadowRoot!.querySelector('[data-action="next"]') as HTMLButtonElement
          ).click(),
        );
        const r = await readRender(page);
        if (firstNames.includes(r.first)) throw new Error('Next page showed the same rows.');
        firstNames.push(r.first);
        paged.push(r);
      }
      await takeCounters(page);

      // Scrolling.
      let m0 = await layoutMetrics(cdp);
      scroll.frames.push(...(await scrollThrough(page, 40)));
      let m1 = await layoutMetrics(cdp);
      let counters = await takeCounters(page);
      let delta = metricsDelta(m0, m1);
      scroll.longtasks.push(counters.longtasks.length);
      scroll.shifts.push(counters.shifts.reduce((a, b) => a + b, 0));
      scroll.layouts.push(delta.layouts);
      scroll.styleRecalcs.push(delta.styleRecalcs);
      scroll.layoutMs.push(delta.layoutMs);

      // Selection, row by row with the mouse, then the page and all matching.
      m0 = await layoutMetrics(cdp);
      for (let i = 1; i <= ROWS; i++)
        select.clicks.push(await clickTimed(page, `tbody tr[data-id]:nth-child(${i}) td.check input`));
      // All 50 are selected now: the page checkbox clears them, then selects the page again.
      select.bulkClicks.push(await clickTimed(page, 'thead th.check input'));
      select.bulkClicks.push(await clickTimed(page, 'thead th.check input'));
      select.bulkClicks.push(await clickTimed(page, '[data-action="select-all-matching"]'));
      const allText = await page.evaluate(
        () => document.querySelector('member-admin-table')!.shadowRoot!.textContent ?? '',
      );
      if (!allText.includes(`All ${total.toLocaleString('en')} matching members are selected.`))
        throw new Error('"Select all matching" did not select all members.');
      select.bulkClicks.push(await clickTimed(page, '[data-action="clear-selection"]'));
      m1 = await layoutMetrics(cdp);
      counters = await takeCounters(page);
      delta = metricsDelta(m0, m1);
      select.slowEvents.push(
        ...counters.events
          .filter((e) => e.name === 'click' || e.name === 'pointerup' || e.name === 'pointerdown')
          .map((e) => e.duration),
      );
      select.longtasks.push(counters.longtasks.length);
      select.layouts.push(delta.layouts);
      select.styleRecalcs.push(delta.styleRecalcs);
      select.layoutMs.push(delta.layoutMs);
      select.scriptMs.push(delta.scriptMs);
      await page.close();
      console.log(
        `run ${run}/${RUNS}: first render ${ms(f.render)} ms (layout ${ms(f.layout)} ms, API ${ms(f.response)} ms)`,
      );
    }

    const clicks = ROWS + 4;
    const report = {
      generatedAt: new Date().toISOString(),
      tenant: tenant.slug,
      members: total,
      runs: RUNS,
      pagesPerRun: PAGES,
      chromium: await browser.version(),
      loadAverage: {
        before: loadBefore.map((v) => Number(v.toFixed(2))),
        after: loadavg().map((v) => Number(v.toFixed(2))),
      },
      firstRender: {
        render: summary(first.map((s) => s.render)),
        layout: summary(first.map((s) => s.layout)),
        apiResponse: summary(first.map((s) => s.response)),
        samples: first,
      },
      nextPage: {
        render: summary(paged.map((s) => s.render)),
        layout: summary(paged.map((s) => s.layout)),
        apiResponse: summary(paged.map((s) => s.response)),
      },
      scroll: {
        frameInterval: summary(scroll.frames),
        framesOver20ms: scroll.frames.filter((d) => d > 20).length,
        frames: scroll.frames.length,
        longTasksPerRun: scroll.longtasks,
        layoutShiftPerRun: scroll.shifts,
        layoutsPerRun: scroll.layouts,
        styleRecalcsPerRun: scroll.styleRecalcs,
        layoutMsPerRun: scroll.layoutMs.map((v) => Number(v.toFixed(1))),
      },
      selection: {
        clicksPerRun: clicks,
        rowClickToFrame: summary(select.clicks),
        bulkClickToFrame: summary(select.bulkClicks),
        eventTimingOver16ms: select.slowEvents.length,
        eventTimingMax: select.slowEvents.length ? Math.max(...select.slowEvents) : 0,
        longTasksPerRun: select.longtasks,
        layoutsPerRun: select.layouts,
        styleRecalcsPerRun: select.styleRecalcs,
        layoutMsPerRun: select.layoutMs.map((v) => Number(v.toFixed(1))),
        scriptMsPerRun: select.scriptMs.map((v) => Number(v.toFixed(1))),
      },
      server: server.command,
    };
    mkdirSync(DATA_DIR, { recursive: true });
    const file = path.join(DATA_DIR, `admin-table-${report.generatedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

    const row = (label: string, s: { n: number; p50: number; p95: number; max: number }) =>
      `| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`;
    console.log(
      `\n${report.chromium}; ${RUNS} runs on ${tenant.slug} (${total.toLocaleString('en')} members); load average (1/5/15 min) ${report.loadAverage.before.join(' ')} before, ${report.loadAverage.after.join(' ')} after\n`,
    );
    console.log('| measure (ms) | samples | p50 | p95 | max |\n| --- | --- | --- | --- | --- |');
    console.log(row('first page: response → 50 rows in the DOM', report.firstRender.render));
    console.log(row('first page: response → style and layout done', report.firstRender.layout));
    console.log(row('first page: API request (list, 50, with total)', report.firstRender.apiResponse));
    console.log(row('next page: response → 50 rows in the DOM', report.nextPage.render));
    console.log(row('next page: response → style and layout done', report.nextPage.layout));
    console.log(row('next page: API request', report.nextPage.apiResponse));
    console.log(row('scroll: frame interval', report.scroll.frameInterval));
    console.log(row('select a row (click → next frame rendered)', report.selection.rowClickToFrame));
    console.log(row('select page / all matching / clear (click → next frame)', report.selection.bulkClickToFrame));
    console.log(
      `\nscroll: ${report.scroll.frames} frames, ${report.scroll.framesOver20ms} over 20 ms; long tasks per run ${report.scroll.longTasksPerRun.join(', ')}; layouts per run ${report.scroll.layoutsPerRun.join(', ')}; style recalcs ${report.scroll.styleRecalcsPerRun.join(', ')}; layout ms ${report.scroll.layoutMsPerRun.join(', ')}; layout shift ${report.scroll.layoutShiftPerRun.join(', ')}`,
    );
    console.log(
      `selection (${clicks} clicks per run): Event Timing entries ≥ 16 ms: ${report.selection.eventTimingOver16ms} (max ${ms(report.selection.eventTimingMax)} ms); long tasks per run ${report.selection.longTasksPerRun.join(', ')}; layouts per run ${report.selection.layoutsPerRun.join(', ')}; style recalcs ${report.selection.styleRecalcsPerRun.join(', ')}; layout ms ${report.selection.layoutMsPerRun.join(', ')}; script ms ${report.selection.scriptMsPerRun.join(', ')}`,
    );
    console.log(`\nwritten ${path.relative(REPO_ROOT, file)}`);
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
