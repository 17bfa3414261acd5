import type { components, operations } from '../generated/openapi.js';

/** Every operationId of `openapi.yaml`. */
export type OperationId = keyof operations;

/** A named schema of `openapi.yaml`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

type SuccessStatus = 200 | 201 | 202;
type Responses<O extends OperationId> = operations[O]['responses'];

/** The JSON body of an operation's successful answers (a union when it has several). */
export type ResponseOf<O extends OperationId> = {
  [S in keyof Responses<O>]: S extends SuccessStatus
    ? Responses<O>[S] extends { content: { 'application/json': infer Body } }
      ? Body
      : never
    : never;
}[keyof Responses<O>];

/** The JSON request body of an operation. */
export type BodyOf<O extends OperationId> =
  NonNullable<operations[O]['requestBody']> extends { content: { 'application/json': infer Body } } ? Body : never;

/** The query parameters of an operation (an empty object type when it has none). */
export type QueryOf<O extends OperationId> = operations[O]['parameters'] extends { query?: infer Q }
  ? [NonNullable<Q>] extends [never]
    ? Record<string, never>
    : NonNullable<Q>
  : Record<string, never>;

/** Query parameters that take `'true' | 'false'` in the API also take booleans here. */
export type Booleanish<T> = {
  [K in keyof T]: [Exclude<T[K], undefined>] extends ['true' | 'false'] ? T[K] | boolean : T[K];
};
