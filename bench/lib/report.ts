import type { Explained } from './explain.js';
import type { LoadResult } from './load.js';

export interface RunInfo {
  date: string;
  commit: string;
  dirty: boolean;
  packagesFingerprint: string;
  machine: {
    cpus: number;
    model: string;
    memoryGb: number;
    node: string;
    postgres: string;
    pgSettings: Record<string, string>;
    loadAverageBefore: number[];
  };
  server: { command: string; poolSize: number };
  bench: {
    command: string;
    connections: number;
    duration: number;
    warmup: number;
    lightConnections: number;
    lightDuration: number;
    bulkConnections: number;
    bulkDuration: number;
  };
  tenant: { id: string; slug: string; members: number; liveMembers: number };
  dataset: { tenants: number; members: number };
  notes: string[];
}

export interface ScenarioInfo {
  key: string;
  request: string;
  detail: string;
  /** Read scenarios have the p99 < 50 ms target. */
  read: boolean;
}

export interface RunReport {
  info: RunInfo;
  scenarios: ScenarioInfo[];
  results: LoadResult[];
  light: LoadResult[];
  explains: { key: string; title: string; explained: Explained }[];
  durationSeconds: number;
}

const TARGET_P99_MS = 50;

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

function resultTable(results: LoadResult[], scenarios: ScenarioInfo[]): string {
  const rows = [
    '| scenario | conns | req/s | p50 ms | p95 ms | p99 ms | max ms | responses | errors | non-2xx | p99 < 50 ms | API CPU ms/req | PG CPU ms/req | db tx/req | other load (cores) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const read = scenarios.find((s) => s.key === r.key)?.read ?? false;
    const target = read
      ? r.p99 < TARGET_P99_MS
        ? 'yes'
        : `**no** (+${fmt(r.p99 - TARGET_P99_MS)} ms)`
      : 'n/a (write)';
    const perRequest = (cores: number | undefined) =>
      cores !== undefined && r.rps > 0 ? fmt((cores * 1000) / r.rps, 2) : '–';
    rows.push(
      `| ${r.title} | ${r.connections} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.responses} | ${r.errors + r.timeouts} | ${r.non2xx} | ${target} | ${perRequest(r.cpu?.api)} | ${perRequest(r.cpu?.postgres)} | ${r.transactionsPerRequest ?? '–'} | ${r.cpu ? fmt(r.cpu.other, 2) : '–'} |`,
    );
  }
  return rows.join('\n');
}

export function renderReport(report: RunReport): string {
  const { info } = report;
  const lines: string[] = [];
  lines.push(`# Members API benchmark run — ${info.date}`, '');
  lines.push(
    `- Commit ${info.commit}${info.dirty ? ` with uncommitted changes in packages/ (fingerprint ${info.packagesFingerprint})` : ''}`,
    `- Machine: ${info.machine.cpus} cores (${info.machine.model}), ${info.machine.memoryGb} GB RAM; API, PostgreSQL and the load generator share the cores. Node ${info.machine.node}; ${info.machine.postgres}.`,
    `- PostgreSQL settings: ${Object.entries(info.machine.pgSettings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    `- Load average before the run: ${info.machine.loadAverageBefore.map((n) => n.toFixed(2)).join(' / ')}`,
    `- Dataset: ${info.dataset.tenants} tenants, ${info.dataset.members.toLocaleString('en-US')} members; all scenarios on ${info.tenant.slug} (${info.tenant.id}), ${info.tenant.liveMembers.toLocaleString('en-US')} members.`,
    `- Server: \`${info.server.command}\``,
    `- Benchmark: \`${info.bench.command}\` — ${info.bench.connections} connections, ${info.bench.warmup} s warm-up + ${info.bench.duration} s measured per scenario; bulk at ${info.bench.bulkConnections} connections for ${info.bench.bulkDuration} s; light-load pass at ${info.bench.lightConnections} connection(s), ${info.bench.lightDuration} s.`,
    `- Total benchmark time: ${report.durationSeconds.toFixed(0)} s.`,
  );
  for (const note of info.notes) lines.push(`- ${note}`);
  lines.push(
    '',
    `## Under load (${info.bench.connections} connections)`,
    '',
    resultTable(report.results, report.scenarios),
    '',
  );
  if (report.light.length)
    lines.push(
      `## Light load (${info.bench.lightConnections} connection): service time without queueing`,
      '',
      resultTable(report.light, report.scenarios),
      '',
    );
  lines.push(
    '## What the database backends were doing (share of samples, every 250 ms, under load)',
    '',
    '| scenario | top activity |',
    '| --- | --- |',
  );
  for (const r of report.results) {
    const top = Object.entries(r.dbActivity)
      .slice(0, 4)
      .map(([event, share]) => `${event} ${(share * 100).toFixed(0)}%`)
      .join(', ');
    lines.push(`| ${r.title} | ${top || '–'} |`);
  }
  lines.push('');
  lines.push('## Scenarios', '', '| key | request | detail |', '| --- | --- | --- |');
  for (const s of report.scenarios) lines.push(`| ${s.key} | \`${s.request.replace(/\|/g, '\\|')}\` | ${s.detail} |`);
  lines.push('');
  const odd = [...report.results, ...report.light].filter((r) => r.sampleErrors.length);
  if (odd.length) {
    lines.push('## Sample non-2xx responses', '');
    for (const r of odd)
      lines.push(`- ${r.title}: ${r.sampleErrors.map((e) => `\`${e.replace(/`/g, "'")}\``).join('; ')}`);
    lines.push('');
  }
  lines.push('## EXPLAIN (ANALYZE, BUFFERS) as the app runs the queries', '');
  lines.push(
    'Role memberkit_app, app.tenant_id set, same SQL and bind parameters as the API (captured from drizzle), warm cache, no concurrent load.',
    '',
  );
  for (const e of report.explains) {
    lines.push(
      `### ${e.title}`,
      '',
      '```sql',
      e.explained.sql,
      `-- params: ${JSON.stringify(e.explained.params)}`,
      '```',
      '',
      '```',
      e.explained.plan,
      '```',
      '',
    );
  }
  return lines.join('\n');
}
