import type { StreamFrame, StreamOptions, StreamTransport } from './stream-connection.js';

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': hb\n\n');

/**
 * A frame in the `text/event-stream` format: `id:` (logged events and `ready`),
 * `event:` (the type) and one `data:` line of JSON (JSON escapes newlines, so one
 * line always holds it).
 * @example
 * id: k3v9q0…-42
 * event: member.updated
 * data: {"id":"k3v9q0…-42","type":"member.updated","topic":"members","created_at":"…","data":{…}}
 */
export function encodeSseFrame(frame: StreamFrame): Uint8Array {
  const id = frame.id ? `id: ${frame.id}\n` : '';
  return encoder.encode(`${id}event: ${frame.type}\ndata: ${JSON.stringify(frame.data)}\n\n`);
}

/**
 * The body of an SSE response and the transport that fills it. The body is pulled
 * by the server as the socket takes bytes (`@hono/node-server` waits for `drain`),
 * so frames the client has not taken wait here, counted in events and bytes:
 * past `maxQueuedEvents` or `maxQueuedBytes`, `send` answers false and the stream
 * resyncs instead of growing. `onCancel` runs when the client goes away.
 */
export function createSseTransport(
  options: Pick<StreamOptions, 'maxQueuedEvents' | 'maxQueuedBytes'>,
  onCancel: () => void,
): { body: ReadableStream<Uint8Array>; transport: StreamTransport } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let waiting = false;
  let ending = false;
  let done = false;
  let writableWaiters: (() => void)[] = [];

  const wakeWritable = () => {
    if (queue.length * 2 > options.maxQueuedEvents || queuedBytes * 2 > options.maxQueuedBytes) return;
    const waiters = writableWaiters;
    writableWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const finishIfDrained = () => {
    if (ending && !done && queue.length === 0) {
      done = true;
      controller.close();
      wakeAll();
    }
  };
  const wakeAll = () => {
    const waiters = writableWaiters;
    writableWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const enqueue = (chunk: Uint8Array) => {
    if (waiting) {
      waiting = false;
      controller.enqueue(chunk);
    } else {
      queue.push(chunk);
      queuedBytes += chunk.byteLength;
    }
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        const chunk = queue.shift();
        if (chunk) {
          queuedBytes -= chunk.byteLength;
          controller.enqueue(chunk);
          wakeWritable();
          finishIfDrained();
        } else {
          waiting = true;
          finishIfDrained();
        }
      },
      cancel() {
        done = true;
        queue.length = 0;
        queuedBytes = 0;
        wakeAll();
        onCancel();
      },
    },
    // Nothing is pre-read into the stream's own queue: what the socket has not taken stays countable here.
    { highWaterMark: 0 },
  );

  const transport: StreamTransport = {
    send(frame, force = false) {
      if (done || ending) return true;
      if (!force && (queue.length >= options.maxQueuedEvents || queuedBytes >= options.maxQueuedBytes)) return false;
      enqueue(encodeSseFrame(frame));
      return true;
    },
    writable() {
      if (done || (queue.length * 2 <= options.maxQueuedEvents && queuedBytes * 2 <= options.maxQueuedBytes))
        return Promise.resolve();
      return new Promise((resolve) => writableWaiters.push(resolve));
    },
    heartbeat() {
      // A heartbeat only matters on an idle stream; behind queued frames it would only add to them.
      if (done || ending || queue.length > 0) return;
      enqueue(HEARTBEAT);
    },
    end() {
      if (ending || done) return;
      ending = true;
      finishIfDrained();
    },
  };
  return { body, transport };
}
