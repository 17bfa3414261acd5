import { describe } from 'vitest';
import { busContract, REDIS_URL, uniqueChannel } from '../../test/realtime-bus-support.js';
import { silentLogger } from '../lib/logger.js';
import { createRedisBus } from './bus-redis.js';

describe('createRedisBus', () => {
  let channel = uniqueChannel('memberkit:test');
  let made = 0;
  busContract(
    () => {
      if (made++ % 2 === 0) channel = uniqueChannel('memberkit:test');
      return createRedisBus({ url: REDIS_URL, logger: silentLogger, channel });
    },
    { carriesLargeEvents: true },
  );
});
