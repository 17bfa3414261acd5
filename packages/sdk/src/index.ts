/** @memberkit/sdk: the typed Memberkit API client. */
export {
  Memberkit,
  type FetchLike,
  type HttpMethod,
  type MemberkitOptions,
  type QueryParams,
  type RequestOptions,
  type Requester,
  type WriteOptions,
} from './client.js';
export { MemberkitError, type FieldError, type MemberkitErrorInit, type Problem } from './errors.js';
export { TenantResource, type Branding, type Tenant, type UpdateTenantParams } from './resources/tenant.js';
export {
  ApiKeysResource,
  type ApiKey,
  type ApiKeyList,
  type CreateApiKeyParams,
  type CreatedApiKey,
  type ListApiKeysParams,
} from './resources/api-keys.js';
export type { components, operations, paths } from './generated/openapi.js';
