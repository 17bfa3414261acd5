import { randomBytes } from 'node:crypto';
import { type Obj, resourceMissing } from './types.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Stripe-looking id: `cus_` + 24 random alphanumerics. */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${out}`;
}

interface Row {
  account: string;
  seq: number;
  obj: Obj;
}

/**
 * Every object the double holds, each in the namespace of one account (the
 * platform's, a connected account's, a direct account's). Ids are globally
 * unique, so one map serves all namespaces; reads check the namespace, as
 * Stripe answers 404 for another account's object.
 */
export class Store {
  private seq = 0;
  private readonly rows = new Map<string, Row>();
  /** Rows by `object` type, in insertion (= creation) order, so lists need no scan of everything. */
  private readonly byType = new Map<string, Map<string, Row>>();

  /** Stores `obj` (kept by reference: handlers mutate it in place) and returns it. */
  insert<T extends Obj>(account: string, obj: T): T {
    const row = { account, seq: ++this.seq, obj };
    this.rows.set(obj.id, row);
    let typed = this.byType.get(obj.object);
    if (!typed) {
      typed = new Map();
      this.byType.set(obj.object, typed);
    }
    typed.set(obj.id, row);
    return obj;
  }

  delete(id: string): void {
    const row = this.rows.get(id);
    if (!row) return;
    this.rows.delete(id);
    this.byType.get(row.obj.object)?.delete(id);
  }

  /** The object with `id` in `account`, or undefined. */
  find(account: string, id: string, object?: string): Obj | undefined {
    const row = this.rows.get(id);
    if (!row || row.account !== account) return undefined;
    if (object && row.obj.object !== object) return undefined;
    return row.obj;
  }

  /**
   * The object with `id` in `account`.
   * @throws 404 `resource_missing` naming `kind` ("customer", "price", …)
   */
  get(account: string, id: unknown, object: string, kind = object, param = 'id'): Obj {
    const found = typeof id === 'string' ? this.find(account, id, object) : undefined;
    if (!found) throw resourceMissing(kind, String(id), param);
    return found;
  }

  /** The account whose namespace holds `id`. */
  accountOf(id: string): string | undefined {
    return this.rows.get(id)?.account;
  }

  /** Every `object` of `account`, newest first (Stripe's list order). */
  all(account: string, object: string): Obj[] {
    const out: Obj[] = [];
    for (const row of this.byType.get(object)?.values() ?? []) if (row.account === account) out.push(row.obj);
    return out.reverse();
  }

  /** Every `object` in every account, oldest first, with its account. */
  everywhere(object: string): Array<{ account: string; obj: Obj }> {
    return [...(this.byType.get(object)?.values() ?? [])].map(({ account, obj }) => ({ account, obj }));
  }
}
