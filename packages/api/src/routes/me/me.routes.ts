import { createRoute, z } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { errorResponses } from '../../lib/openapi.js';
import { idParam, Timestamp } from '../../lib/schemas.js';
import { ChangePasswordBody, MeSchema, UpdateMeBody } from '../auth/auth.schemas.js';

const MEMBER = [{ memberToken: [] }];
const errors = { 401: errorResponses[401], 403: errorResponses[403], 429: errorResponses[429] } as const;

export const MemberSessionSchema = z
  .object({
    id: z.string(),
    object: z.literal('member_session'),
    current: z.boolean().openapi({ description: 'The session of the token making this request.' }),
    user_agent: z.string().nullable(),
    ip: z.string().nullable(),
    created_at: Timestamp,
    last_used_at: Timestamp,
    expires_at: Timestamp,
  })
  .openapi('MemberSession', {
    example: {
      id: 'ses_01jdx3v4k7m9q2w8e5r6t0y1zc',
      object: 'member_session',
      current: true,
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15',
      ip: '203.0.113.7',
      created_at: '2026-11-27T09:30:00.000Z',
      last_used_at: '2026-12-01T16:05:00.000Z',
      expires_at: '2026-12-31T16:05:00.000Z',
    },
  });

export const getMeRoute = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: 'The signed-in member',
  description: 'Custom fields are limited to those the tenant shows to members.',
  security: MEMBER,
  responses: { 200: { description: 'The member.', content: { 'application/json': { schema: MeSchema } } }, ...errors },
});

export const listMySessionsRoute = createRoute({
  method: 'get',
  path: '/v1/me/sessions',
  operationId: 'listMySessions',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: "The member's active sessions",
  security: MEMBER,
  responses: {
    200: {
      description: 'Active sessions, newest first.',
      content: {
        'application/json': {
          schema: z
            .object({ object: z.literal('list'), data: z.array(MemberSessionSchema) })
            .openapi('MemberSessionList', {
              example: {
                object: 'list',
                data: [
                  {
                    id: 'ses_01jdx3v4k7m9q2w8e5r6t0y1zc',
                    object: 'member_session',
                    current: true,
                    user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15',
                    ip: '203.0.113.7',
                    created_at: '2026-11-27T09:30:00.000Z',
                    last_used_at: '2026-12-01T16:05:00.000Z',
                    expires_at: '2026-12-31T16:05:00.000Z',
                  },
                ],
              },
            }),
        },
      },
    },
    ...errors,
  },
});

export const revokeMySessionRoute = createRoute({
  method: 'delete',
  path: '/v1/me/sessions/{id}',
  operationId: 'revokeMySession',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: 'Sign out one session',
  description:
    "Ends one of the member's sessions (for example another device): its refresh token stops working and our API refuses its access tokens.",
  security: MEMBER,
  request: { params: idParam('ses_01jdx3v4k7m9q2w8e5r6t0y1zc') },
  responses: { 204: { description: 'Ended.' }, ...errors, 404: errorResponses[404] },
});

export const revokeMyOtherSessionsRoute = createRoute({
  method: 'delete',
  path: '/v1/me/sessions',
  operationId: 'revokeMyOtherSessions',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: 'Sign out all other sessions',
  description:
    'Ends every session of the member except the one this access token belongs to ("sign out all other devices"), all at once: their refresh tokens stop working and our API refuses their access tokens.',
  security: MEMBER,
  responses: {
    200: {
      description: 'How many sessions were ended (0 when this was the only one).',
      content: {
        'application/json': {
          schema: z
            .object({
              object: z.literal('session_revocation'),
              revoked_count: z.number().int().nonnegative().openapi({ example: 2 }),
            })
            .openapi('SessionRevocation', { example: { object: 'session_revocation', revoked_count: 2 } }),
        },
      },
    },
    ...errors,
  },
});

export const updateMeRoute = createRoute({
  method: 'patch',
  path: '/v1/me',
  operationId: 'updateMe',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: 'Update the signed-in member',
  description: 'Own names, locale, and the custom fields the tenant marks member-editable (others answer 422).',
  security: MEMBER,
  request: { body: { required: true, content: { 'application/json': { schema: UpdateMeBody } } } },
  responses: {
    200: { description: 'The member.', content: { 'application/json': { schema: MeSchema } } },
    ...errors,
    400: errorResponses[400],
    415: errorResponses[415],
    422: errorResponses[422],
  },
});

export const changeMyPasswordRoute = createRoute({
  method: 'post',
  path: '/v1/me/password',
  operationId: 'changeMyPassword',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: 'Change the password',
  description: "Needs the current password. The member's other sessions end.",
  security: MEMBER,
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordBody } } } },
  responses: { 204: { description: 'Changed.' }, ...errors, 400: errorResponses[400], 422: errorResponses[422] },
});

export const exportMeRoute = createRoute({
  method: 'get',
  path: '/v1/me/export',
  operationId: 'exportMe',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: 'Download all my data',
  description: 'GDPR Art. 15 and 20: everything held about the member, as machine-readable JSON.',
  security: MEMBER,
  responses: {
    200: {
      description: "The member's data.",
      content: {
        'application/json': {
          schema: z.record(z.string(), z.unknown()).openapi('MemberExport', {
            example: {
              object: 'member_export',
              generated_at: '2026-12-07T10:00:00.000Z',
              member: {
                id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
                email: 'ada@example.org',
                first_name: 'Ada',
                last_name: 'Lovelace',
                status: 'active',
                created_at: '2026-11-27T09:30:00.000Z',
              },
              sign_in: { has_password: true, email_verified_at: '2026-11-27T09:31:00.000Z', locale: 'en' },
              sessions: [{ id: 'ses_01jdx3v4k7m9q2w8e5r6t0y1zc', created_at: '2026-11-27T09:30:00.000Z' }],
            },
          }),
        },
      },
    },
    ...errors,
  },
});

export const deleteMeRoute = createRoute({
  method: 'delete',
  path: '/v1/me',
  operationId: 'deleteMe',
  middleware: [requireCredential(['member'])] as const,
  tags: ['Me'],
  summary: 'Delete my account',
  description: 'GDPR Art. 17: personal data is removed or anonymised and every session ends. This cannot be undone.',
  security: MEMBER,
  responses: { 204: { description: 'Erased.' }, ...errors },
});
