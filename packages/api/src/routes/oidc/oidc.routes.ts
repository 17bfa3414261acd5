import { createRoute, type z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  IdempotencyHeaders,
  pageOf,
  PaginationQuery,
  ProblemSchema,
  SECURITY,
} from '../../lib/openapi.js';
import {
  CallbackQuery,
  CreateOidcProviderBody,
  OidcProviderSchema,
  ProviderIdParam,
  StartParams,
  StartQuery,
  UpdateOidcProviderBody,
} from './oidc.schemas.js';

const provider = (description: string) => ({
  description,
  content: { 'application/json': { schema: OidcProviderSchema } },
});
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const redirect = (description: string) => ({
  description,
  headers: { Location: { schema: { type: 'string' as const }, description: 'Where the browser goes next.' } },
});
const badGateway = {
  description: 'The identity provider could not be reached, or its discovery document is invalid.',
  content: { 'application/problem+json': { schema: ProblemSchema } },
};

/** `POST /v1/tenant/oidc-providers`. */
export const createOidcProviderRoute = createRoute({
  method: 'post',
  path: '/v1/tenant/oidc-providers',
  operationId: 'createOidcProvider',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:update')] as const,
  tags: ['Tenant'],
  summary: 'Add an OpenID Connect provider',
  description:
    'Lets members sign in with an OpenID Connect provider (Google, Microsoft Entra, Okta, Keycloak, …). Register the returned `redirect_uri` at the provider. The client secret is stored encrypted and never returned.',
  security: SECURITY.secretKey,
  request: { headers: IdempotencyHeaders, body: jsonBody(CreateOidcProviderBody) },
  responses: {
    201: provider('The new provider.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    409: errorResponses[409],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

/** `GET /v1/tenant/oidc-providers`. */
export const listOidcProvidersRoute = createRoute({
  method: 'get',
  path: '/v1/tenant/oidc-providers',
  operationId: 'listOidcProviders',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:read')] as const,
  tags: ['Tenant'],
  summary: 'List OpenID Connect providers',
  description: "The tenant's providers, newest first. Secrets are never returned.",
  security: SECURITY.secretKey,
  request: { query: PaginationQuery },
  responses: {
    200: {
      description: 'A page of providers.',
      content: { 'application/json': { schema: pageOf(OidcProviderSchema, 'OidcProviderList') } },
    },
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

/** `GET /v1/tenant/oidc-providers/{id}`. */
export const getOidcProviderRoute = createRoute({
  method: 'get',
  path: '/v1/tenant/oidc-providers/{id}',
  operationId: 'getOidcProvider',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:read')] as const,
  tags: ['Tenant'],
  summary: 'Retrieve an OpenID Connect provider',
  security: SECURITY.secretKey,
  request: { params: ProviderIdParam },
  responses: { 200: provider('The provider.'), ...authenticatedErrors, 404: errorResponses[404] },
});

/** `PATCH /v1/tenant/oidc-providers/{id}`. */
export const updateOidcProviderRoute = createRoute({
  method: 'patch',
  path: '/v1/tenant/oidc-providers/{id}',
  operationId: 'updateOidcProvider',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:update')] as const,
  tags: ['Tenant'],
  summary: 'Update an OpenID Connect provider',
  description:
    'Changes only the fields sent: rotate the client secret, change scopes, switch member creation or the provider itself on or off. The issuer and client id cannot change, because member links belong to them: add a new provider instead.',
  security: SECURITY.secretKey,
  request: { params: ProviderIdParam, body: jsonBody(UpdateOidcProviderBody) },
  responses: {
    200: provider('The updated provider.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    413: errorResponses[413],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

/** `DELETE /v1/tenant/oidc-providers/{id}`. */
export const deleteOidcProviderRoute = createRoute({
  method: 'delete',
  path: '/v1/tenant/oidc-providers/{id}',
  operationId: 'deleteOidcProvider',
  middleware: [requireCredential(['secret_key', 'staff'], 'tenant:update')] as const,
  tags: ['Tenant'],
  summary: 'Delete an OpenID Connect provider',
  description: 'Members can no longer sign in with it; their links to it are removed, the members themselves stay.',
  security: SECURITY.secretKey,
  request: { params: ProviderIdParam },
  responses: { 204: { description: 'Deleted.' }, ...authenticatedErrors, 404: errorResponses[404] },
});

/** `GET /v1/auth/oidc/{provider_id}/start` (public, publishable key in the query). */
export const startOidcLoginRoute = createRoute({
  method: 'get',
  path: '/v1/auth/oidc/{provider_id}/start',
  operationId: 'startOidcLogin',
  tags: ['Auth'],
  summary: 'Start signing in with an OpenID Connect provider',
  description:
    'The browser navigates here (a link or `location.assign`, not `fetch`). Answers with a redirect to the provider (authorization code flow with PKCE, state and nonce). The publishable key comes as a query parameter because a navigation carries no headers; `redirect_uri` must be on one of its allowed origins. After sign-in the browser returns to `redirect_uri` with `#access_token=…&refresh_token=…&expires_in=…&token_type=Bearer` (and `state` when one was given), or `#error=…&error_description=…`. Codes: `access_denied`, `provider_error`, `email_not_verified`, `account_not_found`, `member_suspended`.',
  security: [],
  request: { params: StartParams, query: StartQuery },
  responses: {
    302: redirect("To the provider's authorization endpoint."),
    401: errorResponses[401],
    403: {
      ...errorResponses[403],
      description: 'Not a publishable key, or `redirect_uri` is not on one of its allowed origins.',
    },
    404: { ...errorResponses[404], description: "No enabled provider with this id in the key's tenant." },
    422: errorResponses[422],
    429: errorResponses[429],
    502: badGateway,
  },
});

/** `GET /v1/auth/oidc/callback` (public, the provider's redirect target). */
export const oidcCallbackRoute = createRoute({
  method: 'get',
  path: '/v1/auth/oidc/callback',
  operationId: 'completeOidcLogin',
  tags: ['Auth'],
  summary: 'Finish signing in with an OpenID Connect provider',
  description:
    'The redirect URI registered at every provider; only providers send browsers here. With a valid, unused state the answer is always a redirect back to the page that started the sign-in, with the tokens or an error in the URL fragment. A member is found by the provider identity, else by the verified email (and linked), else created when the provider allows it; an email the provider has not verified is refused. Without a valid state there is nowhere safe to go: 400.',
  security: [],
  request: { query: CallbackQuery },
  responses: {
    302: redirect('Back to the page that started the sign-in, with the result in the fragment.'),
    400: { ...errorResponses[400], description: 'The state is missing, unknown, expired or already used.' },
    422: errorResponses[422],
    429: errorResponses[429],
  },
});
