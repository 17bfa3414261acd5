/**
 * The double stores and returns Stripe's wire format: JSON objects whose shape
 * depends on `object`. They are typed loosely on purpose: the tests read them
 * through the official SDK's types, which is where the shapes are checked.
 */
// biome-ignore lint/suspicious/noExplicitAny: Stripe's JSON wire objects, shaped per `object` (see the comment above)
export type Obj = Record<string, any>;

/** Parsed request parameters (form body or query): nested strings, arrays and objects. */
// biome-ignore lint/suspicious/noExplicitAny: form values are strings, nested objects or arrays, coerced by each handler
export type Params = Record<string, any>;

/** An error answered in Stripe's shape: `{ error: { type, code, message, param } }`. */
export class StripeDoubleError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string; decline_code?: string; [field: string]: unknown } = {},
  ) {
    super(message);
  }

  toJSON(): Obj {
    return { error: { type: this.type, message: this.message, ...this.extra } };
  }
}

/** 400 `invalid_request_error` (optionally naming the parameter). */
export function invalidRequest(message: string, param?: string, code = 'parameter_invalid'): StripeDoubleError {
  return new StripeDoubleError(400, 'invalid_request_error', message, { code, ...(param ? { param } : {}) });
}

/** 400 for a required parameter that is missing. */
export function missingParam(param: string): StripeDoubleError {
  return new StripeDoubleError(400, 'invalid_request_error', `Missing required param: ${param}.`, {
    code: 'parameter_missing',
    param,
  });
}

/**
 * `resource_missing`, as Stripe words it: 404 for the object a path names, 400 for
 * an id given in a parameter (`customer`, `line_items[0][price]`).
 */
export function resourceMissing(kind: string, id: string, param = 'id'): StripeDoubleError {
  return new StripeDoubleError(param === 'id' ? 404 : 400, 'invalid_request_error', `No such ${kind}: '${id}'`, {
    code: 'resource_missing',
    param,
  });
}

/** 402 `card_error` for a declined card. */
export function cardDeclined(declineCode = 'generic_decline', chargeId?: string): StripeDoubleError {
  return new StripeDoubleError(402, 'card_error', 'Your card was declined.', {
    code: 'card_declined',
    decline_code: declineCode,
    ...(chargeId ? { charge: chargeId } : {}),
  });
}
