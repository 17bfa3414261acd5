import net from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A WebSocket → TCP proxy speaking the protocol of Neon's `wsproxy`: the client
 * connects to `/v2?address=host:port` and the proxy pipes bytes both ways. Lets
 * the Neon serverless driver run against the local PostgreSQL server.
 * Only loopback targets are accepted.
 */
export async function startWsTcpProxy(): Promise<{ port: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws, request) => {
    const address = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? '';
    const separator = address.lastIndexOf(':');
    const host = address.slice(0, separator);
    const port = Number(address.slice(separator + 1));
    if (!['127.0.0.1', 'localhost', '::1'].includes(host) || !Number.isInteger(port)) {
      ws.close(1008, 'target not allowed');
      return;
    }
    const socket = net.connect(port, host);
    const pending: Buffer[] = [];
    socket.on('connect', () => {
      for (const chunk of pending.splice(0)) socket.write(chunk);
    });
    ws.on('message', (data: Buffer) => (socket.connecting ? pending.push(data) : socket.write(data)));
    socket.on('data', (chunk) => ws.send(chunk));
    socket.on('close', () => ws.close());
    socket.on('error', () => ws.close());
    ws.on('close', () => socket.destroy());
    ws.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const { port } = wss.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
