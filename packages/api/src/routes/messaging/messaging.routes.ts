import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import {
  authenticatedErrors,
  errorResponses,
  jsonBody,
  jsonResponse,
  PaginationQuery,
  SECURITY,
} from '../../lib/openapi.js';
import {
  AddParticipantBody,
  ConversationIdParam,
  ConversationListSchema,
  ConversationSchema,
  CreateConversationBody,
  EditMessageBody,
  ListConversationsQuery,
  MarkReadBody,
  MemberBlockListSchema,
  MemberBlockSchema,
  MemberIdParam,
  MessageListSchema,
  MessageParams,
  MessageSchema,
  ParticipantParams,
  SendMessageBody,
  UnreadSummarySchema,
  UpdateConversationBody,
} from './messaging.schemas.js';

const TAGS = ['Messaging'];
const MEMBER_OR_STAFF: { [scheme: string]: string[] }[] = [{ memberToken: [] }, ...SECURITY.secretKey];
const MEMBER: { [scheme: string]: string[] }[] = [{ memberToken: [] }];
/** Members, and staff (secret key or staff user) with `message:read`; finer permissions are checked per change. */
const anyone = () => requireCredential(['member', 'secret_key', 'staff'], 'message:read');

const writeErrors = {
  400: errorResponses[400],
  ...authenticatedErrors,
  404: errorResponses[404],
  409: errorResponses[409],
  413: errorResponses[413],
  415: errorResponses[415],
  422: errorResponses[422],
} as const;

export const listConversationsRoute = createRoute({
  method: 'get',
  path: '/v1/conversations',
  operationId: 'listConversations',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'List conversations',
  description:
    "Most recent activity first. Members: the conversations they are (or were) in. Staff with `message:read`: all of the tenant's, support conversations unless `kind` asks for another; `assigned=me|unassigned|<stf_id>` filters the support inbox.",
  security: MEMBER_OR_STAFF,
  request: { query: ListConversationsQuery },
  responses: {
    200: jsonResponse(ConversationListSchema, 'A page of conversations.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const unreadConversationsRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/unread',
  operationId: 'getUnreadConversations',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Unread message counts',
  description: "The caller's unread messages in total and per conversation (for badges).",
  security: MEMBER_OR_STAFF,
  responses: { 200: jsonResponse(UnreadSummarySchema, 'Unread counts.'), ...authenticatedErrors },
});

export const createConversationRoute = createRoute({
  method: 'post',
  path: '/v1/conversations',
  operationId: 'createConversation',
  middleware: [requireCredential(['member', 'secret_key', 'staff'], 'message:write')] as const,
  tags: TAGS,
  summary: 'Start a conversation',
  description:
    "Members: `{ kind: 'support', title?, body }` (when the support inbox is on), `{ kind: 'direct', member_id, body? }` or `{ kind: 'group', title, member_ids, body? }` (when member messaging is on and nobody involved blocked another; 403 `MEMBER_BLOCKED`). A direct conversation with the same member already existing answers 200 with it (the body is posted to it). Staff with `message:write`: `{ kind: 'support', member_id, title?, body }` or a group. Members are held to the tenant's `message_rate_per_minute` (429).",
  security: MEMBER_OR_STAFF,
  request: { body: jsonBody(CreateConversationBody) },
  responses: {
    200: jsonResponse(ConversationSchema, 'The existing direct conversation with that member.'),
    201: jsonResponse(ConversationSchema, 'The new conversation.'),
    ...writeErrors,
  },
});

export const getConversationRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{id}',
  operationId: 'getConversation',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Retrieve a conversation',
  description: 'A conversation the caller is in (staff with `message:read`: any). Others answer 404.',
  security: MEMBER_OR_STAFF,
  request: { params: ConversationIdParam },
  responses: {
    200: jsonResponse(ConversationSchema, 'The conversation.'),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

export const updateConversationRoute = createRoute({
  method: 'patch',
  path: '/v1/conversations/{id}',
  operationId: 'updateConversation',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Update a conversation',
  description:
    "`title`: a group's owner or staff with `message:write`. `status` and `assigned_staff_id` (support): staff with `message:write`. `locked`: staff with `message:moderate`. `muted`: the caller's own participation. Staff changes are audited.",
  security: MEMBER_OR_STAFF,
  request: { params: ConversationIdParam, body: jsonBody(UpdateConversationBody) },
  responses: { 200: jsonResponse(ConversationSchema, 'The updated conversation.'), ...writeErrors },
});

export const addParticipantRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{id}/participants',
  operationId: 'addConversationParticipant',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Add a member to a group',
  description: "The group's owner (nobody blocked either way) or staff with `message:write`.",
  security: MEMBER_OR_STAFF,
  request: { params: ConversationIdParam, body: jsonBody(AddParticipantBody) },
  responses: { 200: jsonResponse(ConversationSchema, 'The group with the member.'), ...writeErrors },
});

export const removeParticipantRoute = createRoute({
  method: 'delete',
  path: '/v1/conversations/{id}/participants/{member_id}',
  operationId: 'removeConversationParticipant',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Remove a member from a group (or leave it)',
  description:
    'A member removing themselves leaves; the owner or staff with `message:write` remove others. They keep the history up to then. When the owner leaves, the longest-standing member becomes owner.',
  security: MEMBER_OR_STAFF,
  request: { params: ParticipantParams },
  responses: { 200: jsonResponse(ConversationSchema, 'The group after the change.'), ...writeErrors },
});

export const listMessagesRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{id}/messages',
  operationId: 'listMessages',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'List messages',
  description:
    'Newest first; `next_cursor` pages to older messages. Deleted messages keep their place with `body: null`.',
  security: MEMBER_OR_STAFF,
  request: { params: ConversationIdParam, query: PaginationQuery },
  responses: {
    200: jsonResponse(MessageListSchema, 'A page of messages.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    404: errorResponses[404],
    422: errorResponses[422],
  },
});

export const sendMessageRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{id}/messages',
  operationId: 'sendMessage',
  middleware: [requireCredential(['member', 'secret_key', 'staff'], 'message:write')] as const,
  tags: TAGS,
  summary: 'Send a message',
  description:
    "Posts to a conversation the caller is in (staff with `message:write`: any support conversation). A repeated `client_id` returns the stored message with 200 instead of a second one. Locked conversations answer 409 `CONVERSATION_LOCKED`. Members are held to the tenant's `message_rate_per_minute` (429 with `Retry-After`; nothing stored).",
  security: MEMBER_OR_STAFF,
  request: { params: ConversationIdParam, body: jsonBody(SendMessageBody) },
  responses: {
    200: jsonResponse(MessageSchema, 'The message stored earlier with this `client_id`.'),
    201: jsonResponse(MessageSchema, 'The new message.'),
    ...writeErrors,
  },
});

export const editMessageRoute = createRoute({
  method: 'patch',
  path: '/v1/conversations/{id}/messages/{message_id}',
  operationId: 'editMessage',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Edit a message',
  description: 'Its sender only; sets `edited_at`.',
  security: MEMBER_OR_STAFF,
  request: { params: MessageParams, body: jsonBody(EditMessageBody) },
  responses: { 200: jsonResponse(MessageSchema, 'The edited message.'), ...writeErrors },
});

export const deleteMessageRoute = createRoute({
  method: 'delete',
  path: '/v1/conversations/{id}/messages/{message_id}',
  operationId: 'deleteMessage',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Delete a message',
  description:
    'Its sender, or staff with `message:moderate` (any message; audited). The message keeps its place with `body: null`.',
  security: MEMBER_OR_STAFF,
  request: { params: MessageParams },
  responses: {
    200: jsonResponse(MessageSchema, 'The deleted message.'),
    ...authenticatedErrors,
    404: errorResponses[404],
  },
});

export const markReadRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{id}/read',
  operationId: 'markConversationRead',
  middleware: [anyone()] as const,
  tags: TAGS,
  summary: 'Mark read (read receipt)',
  description:
    'Marks the conversation read up to `message_id` (never backwards); the other participants see the receipt live (`conversation.read`).',
  security: MEMBER_OR_STAFF,
  request: { params: ConversationIdParam, body: jsonBody(MarkReadBody) },
  responses: { 200: jsonResponse(ConversationSchema, 'The conversation with the new unread count.'), ...writeErrors },
});

export const typingRoute = createRoute({
  method: 'post',
  path: '/v1/conversations/{id}/typing',
  operationId: 'announceTyping',
  middleware: [requireCredential(['member', 'staff'], 'message:read')] as const,
  tags: TAGS,
  summary: 'Typing indicator',
  description:
    'Tells the other participants the caller is typing (an ephemeral `typing` event, not stored; at most one per 2 s per participant). The WebSocket takes `{ type: "typing", conversation_id }` too.',
  security: [{ memberToken: [] }, { staffToken: [] }],
  request: { params: ConversationIdParam },
  responses: { 204: { description: 'Announced (or throttled).' }, ...authenticatedErrors, 404: errorResponses[404] },
});

export const listBlocksRoute = createRoute({
  method: 'get',
  path: '/v1/me/blocks',
  operationId: 'listMyBlocks',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'List blocked members',
  security: MEMBER,
  request: { query: PaginationQuery },
  responses: {
    200: jsonResponse(MemberBlockListSchema, 'A page of blocked members.'),
    400: errorResponses[400],
    ...authenticatedErrors,
    422: errorResponses[422],
  },
});

export const blockMemberRoute = createRoute({
  method: 'put',
  path: '/v1/me/blocks/{member_id}',
  operationId: 'blockMember',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Block a member',
  description: 'No direct messages either way, no new groups together. Idempotent.',
  security: MEMBER,
  request: { params: MemberIdParam },
  responses: {
    200: jsonResponse(MemberBlockSchema, 'The block.'),
    ...authenticatedErrors,
    404: errorResponses[404],
    422: errorResponses[422],
  },
});

export const unblockMemberRoute = createRoute({
  method: 'delete',
  path: '/v1/me/blocks/{member_id}',
  operationId: 'unblockMember',
  middleware: [requireCredential(['member'])] as const,
  tags: TAGS,
  summary: 'Unblock a member',
  security: MEMBER,
  request: { params: MemberIdParam },
  responses: { 204: { description: 'Not blocked (any more).' }, ...authenticatedErrors, 404: errorResponses[404] },
});
