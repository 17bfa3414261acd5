import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { errorResponses } from '../../lib/openapi.js';
import { DirectoryMemberListSchema, DirectoryQuery } from './directory.schemas.js';

const VISITOR_OR_MEMBER: { [scheme: string]: string[] }[] = [{ publishableKey: [] }, { memberToken: [] }];

export const listDirectoryRoute = createRoute({
  method: 'get',
  path: '/v1/directory',
  operationId: 'listDirectory',
  middleware: [requireCredential(['publishable_key', 'member'])] as const,
  tags: ['Public'],
  summary: 'The member directory',
  description:
    "Active members by last name, when the tenant enables its directory (`directory.enabled`; otherwise 403 `DIRECTORY_DISABLED`). With a publishable key, only custom fields marked `public` are shown; with a member's access token also those marked `members`. Email addresses are never shown or searched.",
  security: VISITOR_OR_MEMBER,
  request: { query: DirectoryQuery },
  responses: {
    200: {
      description: 'A page of the directory.',
      content: { 'application/json': { schema: DirectoryMemberListSchema } },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    422: errorResponses[422],
    429: errorResponses[429],
  },
});
