import { describe } from 'vitest';
import { busContract } from '../../test/realtime-bus-support.js';
import { createMemoryBus } from './bus-memory.js';
import type { RealtimeBus } from './types.js';

describe('createMemoryBus', () => {
  // Two "processes" in one: both handles are the same bus, so closing is idempotent per handle.
  busContract(
    (() => {
      let shared: RealtimeBus | undefined;
      let handles = 0;
      return () => {
        if (!shared || handles % 2 === 0) shared = createMemoryBus();
        handles++;
        const bus = shared;
        return { ...bus, close: async () => {} };
      };
    })(),
    { carriesLargeEvents: true },
  );
});
