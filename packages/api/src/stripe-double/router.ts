import type { DoubleState } from './state.js';
import type { Obj, Params } from './types.js';

/** One API request as handlers see it. */
export interface Ctx {
  state: DoubleState;
  /** The account the request acts in: the key's account, or the connected account of `Stripe-Account`. */
  account: string;
  /** Body (POST) or query (GET, DELETE) parameters. */
  params: Params;
  /** Path parameters (`:id`). */
  path: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Obj;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** A minimal method + path router (`/v1/customers/:id`). */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/'), handler });
    return this;
  }

  get(pattern: string, handler: Handler) {
    return this.on('GET', pattern, handler);
  }
  post(pattern: string, handler: Handler) {
    return this.on('POST', pattern, handler);
  }
  delete(pattern: string, handler: Handler) {
    return this.on('DELETE', pattern, handler);
  }

  /** The handler and path parameters for a request, or null. Literal segments win over `:params`. */
  match(method: string, pathname: string): { handler: Handler; path: Record<string, string> } | null {
    const segments = pathname.split('/');
    let best: { handler: Handler; path: Record<string, string>; literals: number } | null = null;
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== segments.length) continue;
      const path: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const part = route.parts[i]!;
        const segment = decodeURIComponent(segments[i]!);
        if (part.startsWith(':')) path[part.slice(1)] = segment;
        else if (part === segment) literals++;
        else ok = false;
      }
      if (ok && (!best || literals > best.literals)) best = { handler: route.handler, path, literals };
    }
    return best;
  }
}
