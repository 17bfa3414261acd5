import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { busContract, SERVER_URL, uniqueChannel, waitFor } from '../../test/realtime-bus-support.js';
import { silentLogger } from '../lib/logger.js';
import { createPostgresBus, encodeSignal, NOTIFY_PAYLOAD_LIMIT } from './bus-postgres.js';
import type { BusSignal } from './types.js';

describe('createPostgresBus', () => {
  let channel = uniqueChannel('memberkit_test');
  let made = 0;
  busContract(
    () => {
      if (made++ % 2 === 0) channel = uniqueChannel('memberkit_test');
      return createPostgresBus({ connectionString: SERVER_URL, logger: silentLogger, channel });
    },
    { carriesLargeEvents: false },
  );

  it('keeps payloads under NOTIFY’s limit', () => {
    const signal: BusSignal = {
      tenantId: 'tnt_a',
      seq: 3,
      origin: 'a',
      events: [
        {
          tenantId: 'tnt_a',
          seq: 3,
          epoch: 'e',
          topic: 'feed',
          type: 't',
          data: { body: 'é'.repeat(NOTIFY_PAYLOAD_LIMIT) },
          createdAt: '',
        },
      ],
    };
    const payload = encodeSignal(signal);
    expect(JSON.parse(payload ?? '')).toEqual({ tenantId: 'tnt_a', seq: 3, origin: 'a' });
    expect(encodeSignal({ tenantId: 'tnt_a', origin: 'a', ephemeral: signal.events })).toBeNull();
  });

  it('listens again after its connection is killed, and signals flow on', async () => {
    const name = uniqueChannel('memberkit_test');
    const a = createPostgresBus({ connectionString: SERVER_URL, logger: silentLogger, channel: name });
    const b = createPostgresBus({
      connectionString: SERVER_URL,
      logger: silentLogger,
      channel: name,
      maxBackoffMs: 200,
    });
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    try {
      const heard: BusSignal[] = [];
      await b.subscribe((s) => heard.push(s));
      await a.publish({ tenantId: 'tnt_a', seq: 1, origin: 'a' });
      await waitFor(() => heard.length === 1, 'the first signal');
      // Kill every listener of the channel (b's listening connection), as a server restart or a proxy would.
      const killed = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1`, [
        `listen ${name}`,
      ]);
      expect(killed.rowCount).toBeGreaterThan(0);
      let seq = 1;
      await waitFor(async () => {
        await a.publish({ tenantId: 'tnt_a', seq: ++seq, origin: 'a' });
        return heard.length > 1;
      }, 'a signal after the reconnection');
      expect(heard.at(-1)?.seq).toBeGreaterThan(1);
    } finally {
      await admin.end();
      await a.close();
      await b.close();
    }
  });
});
