/** The shape every list answer shares; paginated ones add `has_more` and `next_cursor`. */
export interface PageLike<T> {
  data: T[];
  has_more?: boolean;
  next_cursor?: string | null;
}

/** The item type of a page type. */
export type ItemOf<P> = P extends { data: (infer T)[] } ? T : never;

/** Options of {@link ListPromise.toArray}. */
export interface ToArrayOptions {
  /** Stop after this many items. Required unless you mean to load every page (`Infinity`). */
  limit: number;
}

/**
 * What `list()` returns: a promise of the first page that is also an async iterator over
 * every item of every page, following `next_cursor` (as stripe-node's auto-pagination).
 * Nothing is requested until it is awaited or iterated.
 *
 * @example
 * const page = await mk.members.list({ limit: 50 });           // one page
 * for await (const member of mk.members.list({ status: 'active' })) console.log(member.email);
 * const first500 = await mk.members.list().toArray({ limit: 500 });
 */
export class ListPromise<P extends PageLike<unknown>> implements PromiseLike<P>, AsyncIterable<ItemOf<P>> {
  readonly #fetchPage: (cursor: string | undefined) => Promise<P>;
  #first: Promise<P> | undefined;

  /** Made by resources; `fetchPage(undefined)` loads the first page. */
  constructor(fetchPage: (cursor: string | undefined) => Promise<P>) {
    this.#fetchPage = fetchPage;
  }

  #firstPage(): Promise<P> {
    this.#first ??= this.#fetchPage(undefined);
    return this.#first;
  }

  /** Resolves to the first page. */
  // biome-ignore lint/suspicious/noThenProperty: a page list is deliberately awaitable (await list() gives the first page)
  then<R1 = P, R2 = never>(
    onFulfilled?: ((page: P) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  /** As `Promise.prototype.catch`, on the first page. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<P | R> {
    return this.#firstPage().catch(onRejected);
  }

  /** As `Promise.prototype.finally`, on the first page. */
  finally(onFinally?: (() => void) | null): Promise<P> {
    return this.#firstPage().finally(onFinally);
  }

  /** Every page, the first one included, until `has_more` is false. */
  async *pages(): AsyncGenerator<P, void, undefined> {
    let page = await this.#firstPage();
    for (;;) {
      yield page;
      const cursor = page.has_more ? page.next_cursor : null;
      if (!cursor) return;
      page = await this.#fetchPage(cursor);
    }
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ItemOf<P>, void, undefined> {
    for await (const page of this.pages()) {
      for (const item of page.data) yield item as ItemOf<P>;
    }
  }

  /** Collects items across pages, up to `limit`. */
  async toArray(options: ToArrayOptions): Promise<ItemOf<P>[]> {
    if (!(options.limit >= 0)) throw new TypeError('toArray: `limit` must be a number ≥ 0 (Infinity for all).');
    const items: ItemOf<P>[] = [];
    if (options.limit === 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= options.limit) break;
    }
    return items;
  }
}
