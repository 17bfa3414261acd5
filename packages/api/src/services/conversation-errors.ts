import { defineErrorCodes } from '../lib/errors.js';

/** Error codes of conversations, messages and blocks. */
export const MessagingErrors = defineErrorCodes({
  CONVERSATION_NOT_FOUND: { status: 404, title: 'Conversation not found' },
  MESSAGE_NOT_FOUND: { status: 404, title: 'Message not found' },
  MEMBER_NOT_FOUND: { status: 404, title: 'Member not found' },
  MEMBER_MESSAGING_DISABLED: { status: 403, title: 'Member messaging is disabled' },
  SUPPORT_INBOX_DISABLED: { status: 403, title: 'The support inbox is disabled' },
  MEMBER_BLOCKED: { status: 403, title: 'Messaging between these members is blocked' },
  NOT_A_PARTICIPANT: { status: 403, title: 'Not a participant' },
  NOT_ALLOWED: { status: 403, title: 'Not allowed' },
  CONVERSATION_LOCKED: { status: 409, title: 'Conversation locked' },
  MESSAGE_DELETED: { status: 409, title: 'Message deleted' },
  MESSAGE_TOO_LONG: { status: 413, title: 'Message too long' },
  INVALID_CONVERSATION: { status: 422, title: 'Invalid conversation' },
});

/** Longest message body, in characters. */
export const MAX_MESSAGE_LENGTH = 4000;
