import type { BusSignal, RealtimeBus } from './types.js';

/**
 * The bus of one process (and of PGlite, which only one process can open): a
 * signal reaches every subscriber of this bus, its publisher's included, on a
 * later microtask, in publication order. Several runtimes in one process (tests,
 * benchmarks) can share one memory bus to stand in for several API processes.
 *
 * @example
 * const bus = createMemoryBus();
 * const stop = await bus.subscribe((signal) => console.log(signal.tenantId, signal.seq));
 */
export function createMemoryBus(): RealtimeBus {
  const handlers = new Set<(signal: BusSignal) => void>();
  let closed = false;
  return {
    kind: 'memory',
    async publish(signal) {
      if (closed) return;
      // A copy per publish, as a real transport would deliver: no receiver shares the sender's objects.
      const copy = structuredClone(signal);
      for (const handler of [...handlers]) queueMicrotask(() => handler(copy));
    },
    async subscribe(handler) {
      if (closed) throw new Error('the realtime bus is closed');
      handlers.add(handler);
      return async () => {
        handlers.delete(handler);
      };
    },
    async close() {
      closed = true;
      handlers.clear();
    },
  };
}
