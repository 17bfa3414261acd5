import { createRouter } from '../../lib/create-router.js';
import {
  addParticipantHandler,
  blockMemberHandler,
  createConversationHandler,
  deleteMessageHandler,
  editMessageHandler,
  getConversationHandler,
  listBlocksHandler,
  listConversationsHandler,
  listMessagesHandler,
  markReadHandler,
  removeParticipantHandler,
  sendMessageHandler,
  typingHandler,
  unblockMemberHandler,
  unreadConversationsHandler,
  updateConversationHandler,
} from './messaging.handlers.js';
import {
  addParticipantRoute,
  blockMemberRoute,
  createConversationRoute,
  deleteMessageRoute,
  editMessageRoute,
  getConversationRoute,
  listBlocksRoute,
  listConversationsRoute,
  listMessagesRoute,
  markReadRoute,
  removeParticipantRoute,
  sendMessageRoute,
  typingRoute,
  unblockMemberRoute,
  unreadConversationsRoute,
  updateConversationRoute,
} from './messaging.routes.js';

/** Conversations (support, direct, group), messages, receipts, typing and moderation; a member's blocks. */
export const messagingRouter = createRouter()
  // The static path goes before `/v1/conversations/{id}`, which would take `unread` as an id.
  .openapi(unreadConversationsRoute, unreadConversationsHandler)
  .openapi(listConversationsRoute, listConversationsHandler)
  .openapi(createConversationRoute, createConversationHandler)
  .openapi(getConversationRoute, getConversationHandler)
  .openapi(updateConversationRoute, updateConversationHandler)
  .openapi(addParticipantRoute, addParticipantHandler)
  .openapi(removeParticipantRoute, removeParticipantHandler)
  .openapi(listMessagesRoute, listMessagesHandler)
  .openapi(sendMessageRoute, sendMessageHandler)
  .openapi(editMessageRoute, editMessageHandler)
  .openapi(deleteMessageRoute, deleteMessageHandler)
  .openapi(markReadRoute, markReadHandler)
  .openapi(typingRoute, typingHandler)
  .openapi(listBlocksRoute, listBlocksHandler)
  .openapi(blockMemberRoute, blockMemberHandler)
  .openapi(unblockMemberRoute, unblockMemberHandler);
