import type { ListPromise } from '../core/pagination.js';
import { Resource } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { BodyOf, Schema } from '../core/types.js';

/** A custom member field definition. */
export type CustomField = Schema<'CustomField'>;
/** All custom fields of the tenant. */
export type CustomFieldList = Schema<'CustomFieldList'>;
/** Body of {@link FieldsResource.replace}. */
export type ReplaceFieldsParams = BodyOf<'replaceCustomFields'>;

/** `mk.fields`: the tenant's custom member fields. */
export class FieldsResource extends Resource {
  /** Lists the custom fields in order (`GET /v1/tenant/fields`). */
  list(options?: CallOptions): ListPromise<CustomFieldList> {
    return this.paginate({ path: '/v1/tenant/fields' }, options);
  }

  /**
   * Replaces the whole set of fields, atomically (`PUT /v1/tenant/fields`): a field
   * left out is removed; each field's position becomes its order. What {@link list} returns
   * is accepted unchanged, so a set can be read, edited and written back.
   *
   * @example
   * await mk.fields.replace({ fields: [{ key: 'company', type: 'text', label: { en: 'Company' } }] });
   * const set = await mk.fields.list();
   * await mk.fields.replace({ ...set, data: set.data.filter((field) => field.key !== 'company') });
   */
  replace(params: ReplaceFieldsParams, options?: CallOptions): Promise<CustomFieldList> {
    return this.call({ method: 'PUT', path: '/v1/tenant/fields', body: params }, options);
  }
}
