import { z } from '@hono/zod-openapi';
import { named, pageOf, PaginationQuery } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';
import { MAX_MESSAGE_LENGTH } from '../../services/conversation-errors.js';
import { MAX_GROUP_MEMBERS } from '../../services/conversations.js';

const CONVERSATION_ID = 'cnv_01jdx3v4k7m9q2w8e5r6t0y1zc';
const MESSAGE_ID = 'msg_01jdx3v4k7m9q2w8e5r6t0y1zd';
const MEMBER_ID = 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc';
const OTHER_MEMBER_ID = 'mem_01jdx3v4k7m9q2w8e5r6t0y1zf';
const STAFF_ID = 'stf_01jdx3v4k7m9q2w8e5r6t0y1zc';

const Kind = z.enum(['support', 'direct', 'group']).openapi({
  description: '`support`: a member with the staff; `direct`: two members; `group`: members (and staff) by invitation.',
  example: 'support',
});
const Status = z.enum(['open', 'closed']).openapi({
  description: 'Support conversations: `open` until staff close them; a new member message reopens one.',
  example: 'open',
});
const ParticipantType = z.enum(['member', 'staff']).openapi({ example: 'member' });
const MemberId = z.string().max(64).openapi({ example: MEMBER_ID });

const Participant = z
  .object({
    type: ParticipantType,
    id: z.string().openapi({ example: MEMBER_ID }),
    name: z.string().openapi({ example: 'Ada Lovelace' }),
    role: z.enum(['owner', 'member']).openapi({ description: 'Groups: the owner adds and removes members.' }),
    last_read_message_id: z
      .string()
      .nullable()
      .openapi({ description: 'Their read receipt: the newest message they have read.', example: MESSAGE_ID }),
    left_at: Timestamp.nullable().openapi({ description: 'When they left or were removed; null while in it.' }),
  })
  .openapi('ConversationParticipant');

const CONVERSATION_EXAMPLE = {
  id: CONVERSATION_ID,
  object: 'conversation' as const,
  kind: 'support' as const,
  title: 'Question about my invoice',
  status: 'open' as const,
  assigned_staff_id: STAFF_ID,
  locked: false,
  participants: [
    {
      type: 'member' as const,
      id: MEMBER_ID,
      name: 'Ada Lovelace',
      role: 'owner' as const,
      last_read_message_id: MESSAGE_ID,
      left_at: null,
    },
    {
      type: 'staff' as const,
      id: STAFF_ID,
      name: 'Grace Hopper',
      role: 'member' as const,
      last_read_message_id: null,
      left_at: null,
    },
  ],
  last_message_at: '2026-11-27T09:30:00.000Z',
  last_message_preview: 'Hello, my last invoice shows the wrong address.',
  unread_count: 0,
  created_at: '2026-11-27T09:30:00.000Z',
  updated_at: '2026-11-27T09:30:00.000Z',
};

/** A conversation as the caller sees it (`Conversation`). */
export const ConversationSchema = named(
  z.object({
    id: z.string().openapi({ example: CONVERSATION_ID }),
    object: z.literal('conversation'),
    kind: Kind,
    title: z.string().nullable().openapi({ example: 'Question about my invoice' }),
    status: Status,
    assigned_staff_id: z
      .string()
      .nullable()
      .openapi({ description: 'Support: the staff user it is assigned to.', example: STAFF_ID }),
    locked: z.boolean().openapi({ description: 'Locked by a moderator: nobody may post.', example: false }),
    participants: z.array(Participant),
    last_message_at: Timestamp.nullable(),
    last_message_preview: z
      .string()
      .nullable()
      .openapi({ description: "The newest message's first 140 characters.", example: 'See you on Friday!' }),
    unread_count: z.number().int().openapi({
      description:
        "The caller's unread messages here. Staff who are not participants of a support conversation: the member messages since the last staff reply.",
      example: 2,
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
  'Conversation',
  CONVERSATION_EXAMPLE,
  { description: 'A conversation: support (member and staff), direct (two members) or group.' },
);

const MESSAGE_EXAMPLE = {
  id: MESSAGE_ID,
  object: 'message' as const,
  conversation_id: CONVERSATION_ID,
  sender: { type: 'member' as const, id: MEMBER_ID, name: 'Ada Lovelace' },
  body: 'Hello, my last invoice shows the wrong address.',
  client_id: 'c-7f3a9',
  edited_at: null,
  deleted_at: null,
  created_at: '2026-11-27T09:30:00.000Z',
};

/** A message (`Message`). */
export const MessageSchema = named(
  z.object({
    id: z.string().openapi({ example: MESSAGE_ID }),
    object: z.literal('message'),
    conversation_id: z.string().openapi({ example: CONVERSATION_ID }),
    sender: z
      .object({
        type: ParticipantType,
        id: z.string().openapi({ example: MEMBER_ID }),
        name: z.string().openapi({ example: 'Ada Lovelace' }),
      })
      .openapi('MessageSender'),
    body: z.string().nullable().openapi({
      description: 'Plain text; null once deleted.',
      example: 'Hello, my last invoice shows the wrong address.',
    }),
    client_id: z
      .string()
      .nullable()
      .openapi({ description: "The sender's id for the send (retries store one message).", example: 'c-7f3a9' }),
    edited_at: Timestamp.nullable(),
    deleted_at: Timestamp.nullable(),
    created_at: Timestamp,
  }),
  'Message',
  MESSAGE_EXAMPLE,
  { description: 'A message of a conversation. Deleted messages keep their place with `body: null`.' },
);

export const ConversationListSchema = pageOf(ConversationSchema, 'ConversationList');
export const MessageListSchema = pageOf(MessageSchema, 'MessageList');

const MessageBody = z
  .string()
  .min(1)
  .max(MAX_MESSAGE_LENGTH)
  .refine((s) => s.trim().length > 0, 'Must not be only white space.')
  .openapi({ description: `Plain text, 1 to ${MAX_MESSAGE_LENGTH} characters.`, example: 'See you on Friday!' });

export const ListConversationsQuery = PaginationQuery.extend({
  kind: Kind.optional().openapi({
    description: 'Only this kind. Staff see support conversations unless they ask for another kind.',
  }),
  status: Status.optional(),
  assigned: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: 'Staff: `me`, `unassigned` or a staff user id.', example: 'unassigned' }),
});

export const CreateConversationBody = named(
  z.object({
    kind: Kind,
    title: z.string().trim().min(1).max(200).optional().openapi({ example: 'Question about my invoice' }),
    body: MessageBody.optional().openapi({
      description: 'The first message (required for support conversations).',
    }),
    member_id: MemberId.optional().openapi({
      description: 'Direct: the other member. Support opened by staff: the member to write to.',
    }),
    member_ids: z
      .array(MemberId)
      .min(1)
      .max(MAX_GROUP_MEMBERS)
      .optional()
      .openapi({ description: 'Group: the members to invite.', example: [OTHER_MEMBER_ID] }),
  }),
  'CreateConversationBody',
  { kind: 'support', title: 'Question about my invoice', body: 'Hello, my last invoice shows the wrong address.' },
);

export const UpdateConversationBody = named(
  z.object({
    title: z.string().trim().min(1).max(200).nullable().optional(),
    status: Status.optional(),
    assigned_staff_id: z.string().max(64).nullable().optional().openapi({ example: STAFF_ID }),
    locked: z.boolean().optional(),
    muted: z.boolean().optional().openapi({ description: "The caller's own: no message notifications from here." }),
  }),
  'UpdateConversationBody',
  { status: 'closed', assigned_staff_id: STAFF_ID },
);

export const AddParticipantBody = named(z.object({ member_id: MemberId }), 'AddParticipantBody', {
  member_id: OTHER_MEMBER_ID,
});

export const SendMessageBody = named(
  z.object({
    body: MessageBody,
    client_id: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Your id for this send: a retry with the same id returns the stored message (200).' }),
  }),
  'SendMessageBody',
  { body: 'See you on Friday!', client_id: 'c-7f3a9' },
);

export const EditMessageBody = named(z.object({ body: MessageBody }), 'EditMessageBody', {
  body: 'See you on Saturday!',
});

export const MarkReadBody = named(
  z.object({ message_id: z.string().max(64).openapi({ example: MESSAGE_ID }) }),
  'MarkConversationReadBody',
  { message_id: MESSAGE_ID },
);

export const UnreadSummarySchema = named(
  z.object({
    total: z.number().int().openapi({ example: 3 }),
    conversations: z.array(
      z.object({
        id: z.string().openapi({ example: CONVERSATION_ID }),
        unread_count: z.number().int().openapi({ example: 3 }),
      }),
    ),
  }),
  'UnreadConversations',
  { total: 3, conversations: [{ id: CONVERSATION_ID, unread_count: 3 }] },
);

export const MemberBlockSchema = named(
  z.object({
    object: z.literal('member_block'),
    member_id: z.string().openapi({ example: OTHER_MEMBER_ID }),
    name: z.string().openapi({ example: 'Charles Babbage' }),
    created_at: Timestamp,
  }),
  'MemberBlock',
  {
    object: 'member_block',
    member_id: OTHER_MEMBER_ID,
    name: 'Charles Babbage',
    created_at: '2026-11-27T09:30:00.000Z',
  },
  { description: 'A member the caller blocked: no direct messages either way, no new groups together.' },
);
export const MemberBlockListSchema = pageOf(MemberBlockSchema, 'MemberBlockList');

export const ConversationIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: CONVERSATION_ID }),
});
export const MessageParams = ConversationIdParam.extend({
  message_id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'message_id', in: 'path' }, example: MESSAGE_ID }),
});
export const ParticipantParams = ConversationIdParam.extend({
  member_id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'member_id', in: 'path' }, example: OTHER_MEMBER_ID }),
});
export const MemberIdParam = z.object({
  member_id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'member_id', in: 'path' }, example: OTHER_MEMBER_ID }),
});
