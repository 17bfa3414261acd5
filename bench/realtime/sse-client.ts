/**
 * A client process of the real-time benchmarks (forked by sse-harness.ts): holds one
 * SSE connection per ticket it is sent, reports how many are ready and, for events
 * whose data carries `sent_at`, the delivery latencies. Imports nothing of the API.
 */
import http from 'node:http';

/** The client side: run in the child (`--client`). */
function runClient(): void {
  process.once('message', (m) => {
    const { port, tickets, topics } = m as { port: number; tickets: string[]; topics: string };
    let ready = 0;
    let latencies: number[] = [];
    let _flush: NodeJS.Timeout | undefined;
    const report = () => {
      if (ready % 500 === 0 || ready === tickets.length) process.send?.({ kind: 'ready', count: ready });
    };
    const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    let next = 0;
    const openOne = () => {
      const ticket = tickets[next++];
      if (!ticket) return;
      const req = http.get(
        { host: '127.0.0.1', port, agent, path: `/v1/realtime?ticket=${encodeURIComponent(ticket)}&topics=${topics}` },
        (res) => {
          if (res.statusCode !== 200) {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => process.send?.({ kind: 'error', message: `status ${res.statusCode} ${text}` }));
            return;
          }
          let buffer = '';
          let isReady = false;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
              const block = buffer.slice(0, at);
              buffer = buffer.slice(at + 2);
              if (!isReady && block.includes('event: ready')) {
                isReady = true;
                ready++;
                report();
                openOne();
              } else if (block.includes('"sent_at"')) {
                const now = performance.timeOrigin + performance.now();
                const match = /"sent_at":([0-9.]+)/.exec(block);
                if (match?.[1]) latencies.push(now - Number(match[1]));
                _flush ??= setTimeout(() => {
                  process.send?.({ kind: 'latencies', values: latencies });
                  latencies = [];
                  _flush = undefined;
                }, 200);
              }
            }
          });
        },
      );
      req.on('error', (error) => process.send?.({ kind: 'error', message: String(error) }));
    };
    // A few hundred handshakes in flight at once; each ready connection opens the next.
    for (let i = 0; i < 200; i++) openOne();
  });
}

runClient();
