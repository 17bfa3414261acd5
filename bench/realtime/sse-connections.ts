/**
 * How many concurrent SSE connections one API process holds, and the memory each
 * costs: the real app on a real socket (embedded database, or BENCH_DATABASE_URL),
 * N member streams on `feed,me` opened by two client processes, the API process's
 * memory (after a full GC) before and after.
 *
 *   node --expose-gc --conditions=memberkit-source --import tsx bench/realtime/sse-connections.ts [N]
 *
 * N defaults to 19,500: this box's hard limit is 20,000 open files per process
 * (`ulimit -Hn`), and the API process also holds its database and listening socket.
 */
import { type ClientMessage, mb, startBenchServer, startClients } from './sse-harness.js';

async function main() {
  const total = Number(process.argv[2] ?? 19_500);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const bench = await startBenchServer();
  const started = performance.now();
  const tickets = await bench.tickets(total);
  console.log(`${total} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  gc();
  const before = process.memoryUsage();
  const half = Math.ceil(total / 2);
  const ready = [0, 0];
  const errors: string[] = [];
  const connectStart = performance.now();
  const children = [tickets.slice(0, half), tickets.slice(half)].map((part, i) =>
    startClients(bench.port, part, 'feed,me', (m: ClientMessage) => {
      if (m.kind === 'ready') ready[i] = m.count;
      if (m.kind === 'error' && errors.length < 5) errors.push(m.message);
    }),
  );
  const hub = bench.t.deps.realtime!.hub;
  for (let i = 0; hub.connectionCount() < total && i < 1200; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (i % 10 === 0) console.log(`connected: ${hub.connectionCount()} (clients ready ${ready[0]! + ready[1]!})`);
    if (errors.length > 0) console.log('client errors:', errors);
  }
  const connectSeconds = (performance.now() - connectStart) / 1000;
  gc();
  await new Promise((r) => setTimeout(r, 500));
  gc();
  const after = process.memoryUsage();
  const held = hub.connectionCount();
  console.log(
    JSON.stringify(
      {
        connections: held,
        connect_seconds: Number(connectSeconds.toFixed(1)),
        rss_before: mb(before.rss),
        rss_after: mb(after.rss),
        heap_before: mb(before.heapUsed),
        heap_after: mb(after.heapUsed),
        rss_per_connection_kb: Number(((after.rss - before.rss) / held / 1024).toFixed(1)),
        heap_per_connection_kb: Number(((after.heapUsed - before.heapUsed) / held / 1024).toFixed(1)),
        external_per_connection_kb: Number(((after.external - before.external) / held / 1024).toFixed(1)),
      },
      null,
      2,
    ),
  );
  for (const child of children) child.kill();
  await bench.close();
  process.exit(0);
}

await main();
