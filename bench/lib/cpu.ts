import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * CPU accounting over a time window, from /proc (Linux): the whole machine,
 * the API process, the Postgres backends serving it, this process (the load
 * generator), and what is left: other programs on the machine.
 */
export interface CpuSample {
  at: number;
  machineBusy: number;
  machineTotal: number;
  api: number;
  postgres: Map<number, number>;
  self: number;
}

export interface CpuUsage {
  /** Cores busy on average over the window (machine has `cores`). */
  cores: number;
  machine: number;
  api: number;
  postgres: number;
  loadGenerator: number;
  other: number;
}

const TICKS_PER_SECOND = 100;

function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.slice(0, 8).reduce((s, v) => s + v, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** utime + stime of a process in seconds, or null when it is gone. */
function processSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export function sampleCpu(apiPid: number, postgresPids: number[]): CpuSample {
  const machine = machineTicks();
  const usage = process.cpuUsage();
  const postgres = new Map<number, number>();
  for (const pid of postgresPids) {
    const s = processSeconds(pid);
    if (s !== null) postgres.set(pid, s);
  }
  return {
    at: performance.now(),
    machineBusy: machine.busy,
    machineTotal: machine.total,
    api: processSeconds(apiPid) ?? 0,
    postgres,
    self: (usage.user + usage.system) / 1e6,
  };
}

export function cpuBetween(a: CpuSample, b: CpuSample): CpuUsage {
  const cores = os.cpus().length;
  const seconds = (b.at - a.at) / 1000;
  const machine =
    b.machineTotal > a.machineTotal ? ((b.machineBusy - a.machineBusy) / (b.machineTotal - a.machineTotal)) * cores : 0;
  let pg = 0;
  for (const [pid, end] of b.postgres) {
    const start = a.postgres.get(pid);
    if (start !== undefined) pg += end - start;
  }
  const api = (b.api - a.api) / seconds;
  const postgres = pg / seconds;
  const loadGenerator = (b.self - a.self) / seconds;
  return { cores, machine, api, postgres, loadGenerator, other: Math.max(0, machine - api - postgres - loadGenerator) };
}

/** Cores busy on the whole machine over the next `ms` milliseconds. */
export async function machineBusyCores(ms: number): Promise<number> {
  const a = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = machineTicks();
  return b.total > a.total ? ((b.busy - a.busy) / (b.total - a.total)) * os.cpus().length : 0;
}

/**
 * Waits (at most `maxSeconds`) until the machine is nearly idle before a
 * measurement, since other programs share its cores. Returns the busy cores
 * seen last and the seconds waited.
 */
export async function waitForQuiet(maxSeconds: number, threshold = 0.3): Promise<{ busy: number; waited: number }> {
  const start = performance.now();
  let busy = await machineBusyCores(1000);
  while (busy > threshold && performance.now() - start < maxSeconds * 1000) busy = await machineBusyCores(1000);
  return { busy, waited: Math.round((performance.now() - start) / 1000) };
}
