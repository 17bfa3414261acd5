import net from 'node:net';

/** What the proxy does with traffic: pass it, reset every connection, or hold it (a network partition). */
export type ProxyMode = 'open' | 'refuse' | 'blackhole';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  /**
   * `refuse`: resets every open connection and each new one at once (a server
   * down, a host rebooting). `blackhole`: accepts connections but forwards
   * nothing either way, holding the bytes (a partition, a frozen host).
   * `open`: forwards again, held bytes first.
   */
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | null;
  toUpstream: Buffer[];
  toClient: Buffer[];
}

/** A loopback TCP proxy in front of `target`, for database fault tests. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'open';
  const pairs = new Set<Pair>();

  const drop = (pair: Pair) => {
    pairs.delete(pair);
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    pair.upstream?.destroy();
  };
  const flush = (pair: Pair) => {
    if (!pair.upstream || pair.upstream.connecting) return;
    for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  };
  const connectUpstream = (pair: Pair) => {
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('connect', () => mode === 'open' && flush(pair));
    upstream.on('data', (chunk) => {
      pair.toClient.push(chunk);
      if (mode === 'open') flush(pair);
    });
    upstream.on('error', () => drop(pair));
    upstream.on('close', () => drop(pair));
  };

  const server = net.createServer((client) => {
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: null, toUpstream: [], toClient: [] };
    pairs.add(pair);
    client.on('data', (chunk) => {
      pair.toUpstream.push(chunk);
      if (mode === 'open') flush(pair);
    });
    client.on('error', () => drop(pair));
    client.on('close', () => drop(pair));
    if (mode === 'open') connectUpstream(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    setMode(next) {
      mode = next;
      if (next === 'refuse') for (const pair of [...pairs]) drop(pair);
      if (next === 'open') {
        for (const pair of pairs) {
          if (!pair.upstream) connectUpstream(pair);
          else flush(pair);
        }
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of [...pairs]) drop(pair);
        server.close(() => resolve());
      }),
  };
}
