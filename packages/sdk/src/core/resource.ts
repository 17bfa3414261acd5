import { ListPromise, type PageLike } from './pagination.js';
import type { CallOptions, QueryParams, RequestSpec, Transport } from './transport.js';

/** Encodes an id for a URL path segment. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}

/** Query values as sent: booleans the API reads as `'true' | 'false'` become strings. */
export function toQuery(params: object | undefined): QueryParams {
  return { ...(params ?? {}) } as QueryParams;
}

/** What every resource shares: the client's transport and helpers to call it. */
export abstract class Resource {
  /** The client's transport. */
  protected readonly transport: Transport;

  /** Made by {@link Memberkit}; not meant to be constructed directly. */
  constructor(transport: Transport) {
    this.transport = transport;
  }

  /** Sends one request and parses its JSON answer. */
  protected call<T>(spec: RequestSpec, options?: CallOptions): Promise<T> {
    return this.transport.request<T>(spec, options);
  }

  /** A {@link ListPromise} over `GET path`, adding `cursor` for the pages after the first. */
  protected paginate<P extends PageLike<unknown>>(
    spec: Omit<RequestSpec, 'method'>,
    options?: CallOptions,
  ): ListPromise<P> {
    return new ListPromise<P>((cursor) =>
      this.transport.request<P>(
        { ...spec, method: 'GET', query: { ...spec.query, ...(cursor === undefined ? {} : { cursor }) } },
        options,
      ),
    );
  }
}
