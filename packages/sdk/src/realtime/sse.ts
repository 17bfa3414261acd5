/** One server-sent event as the stream framed it (WHATWG HTML "event stream interpretation"). */
export interface SseFrame {
  /** The `id:` field of this frame, when it had one (ephemeral events have none). */
  id: string | undefined;
  /** The `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

/** What {@link SseParser.push} reports for one line. */
export type SseLine =
  | { kind: 'frame'; frame: SseFrame }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number }
  | { kind: 'none' };

/**
 * Parses an event stream line by line: `field: value` lines build a frame, a blank
 * line dispatches it, `:` lines are comments (heartbeats). Lines are given without
 * their line break. A frame with no `data:` is not dispatched, as browsers do.
 */
export class SseParser {
  #id: string | undefined;
  #event = '';
  #data: string[] = [];
  #hasData = false;

  /** Feeds one line. */
  push(line: string): SseLine {
    if (line === '') {
      const frame: SseFrame = { id: this.#id, event: this.#event || 'message', data: this.#data.join('\n') };
      const had = this.#hasData;
      this.#id = undefined;
      this.#event = '';
      this.#data = [];
      this.#hasData = false;
      return had ? { kind: 'frame', frame } : { kind: 'none' };
    }
    if (line.startsWith(':')) return { kind: 'comment', text: line.slice(1).trimStart() };
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'id':
        // A NUL in an id makes the field ignored (spec).
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) return { kind: 'retry', ms: Number(value) };
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
    return { kind: 'none' };
  }
}
