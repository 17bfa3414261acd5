import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';
import type { BodyOf, QueryOf, Schema } from '../core/types.js';

/** A conversation as the caller sees it (their own `unread_count`). */
export type Conversation = Schema<'Conversation'>;
/** Who takes part in a conversation. */
export type ConversationParticipant = Schema<'ConversationParticipant'>;
/** One page of conversations. */
export type ConversationList = Schema<'ConversationList'>;
/** Unread messages across the caller's conversations. */
export type UnreadSummary = Schema<'UnreadConversations'>;
/** A message of a conversation. */
export type Message = Schema<'Message'>;
/** One page of messages, newest first. */
export type MessageList = Schema<'MessageList'>;
/**
 * Query of {@link ConversationsResource.list}; `assigned` (staff) is `me`, `unassigned` or a staff id.
 * `cursor` (a page's `next_cursor`) starts the list there, for a "load more" that keeps only the cursor;
 * iterating follows the pages after it by itself.
 */
export type ListConversationsParams = QueryOf<'listConversations'>;
/** Body of {@link ConversationsResource.create}: `support` (with `body`), `direct` (`member_id`), `group` (`title`, `member_ids`). */
export type CreateConversationParams = BodyOf<'createConversation'>;
/** Body of {@link ConversationsResource.update}: the group owner renames; staff set status, assignee, lock. */
export type UpdateConversationParams = BodyOf<'updateConversation'>;
/** Query of {@link ConversationMessagesResource.list}; `cursor` (a page's `next_cursor`) starts at older messages. */
export type ListMessagesParams = QueryOf<'listMessages'>;
/** Body of {@link ConversationMessagesResource.send}; with `client_id` a retry returns the first message. */
export type SendMessageParams = BodyOf<'sendMessage'>;
/** Body of {@link ConversationMessagesResource.update}. */
export type UpdateMessageParams = BodyOf<'editMessage'>;

/** `mk.conversations.messages`: a conversation's messages. */
export class ConversationMessagesResource extends Resource {
  /**
   * Lists messages newest first, each page older than the last (`GET /v1/conversations/{id}/messages`).
   *
   * @example
   * const { data: latest } = await mk.conversations.messages.list('cnv_…', { limit: 30 });
   */
  list(conversationId: string, params?: ListMessagesParams, options?: CallOptions): ListPromise<MessageList> {
    return this.paginate(
      { path: `/v1/conversations/${seg(conversationId)}/messages`, query: toQuery(params), auth: 'member' },
      options,
    );
  }

  /**
   * Sends a message (`POST /v1/conversations/{id}/messages`). With `client_id` a retry never sends twice.
   *
   * @example
   * await mk.conversations.messages.send('cnv_…', { body: 'Hi!', client_id: crypto.randomUUID() });
   */
  send(conversationId: string, params: SendMessageParams, options?: CallOptions): Promise<Message> {
    return this.call(
      { method: 'POST', path: `/v1/conversations/${seg(conversationId)}/messages`, body: params, auth: 'member' },
      options,
    );
  }

  /** Edits one's own message (`PATCH /v1/conversations/{id}/messages/{message_id}`). */
  update(
    conversationId: string,
    messageId: string,
    params: UpdateMessageParams,
    options?: CallOptions,
  ): Promise<Message> {
    return this.call(
      {
        method: 'PATCH',
        path: `/v1/conversations/${seg(conversationId)}/messages/${seg(messageId)}`,
        body: params,
        auth: 'member',
      },
      options,
    );
  }

  /** Deletes a message: one's own, or any as moderating staff (`DELETE /v1/conversations/{id}/messages/{message_id}`). */
  delete(conversationId: string, messageId: string, options?: CallOptions): Promise<Message> {
    return this.call(
      {
        method: 'DELETE',
        path: `/v1/conversations/${seg(conversationId)}/messages/${seg(messageId)}`,
        auth: 'member',
      },
      options,
    );
  }
}

/** `mk.conversations`: support, direct and group conversations (members and staff). */
export class ConversationsResource extends Resource {
  /** Messages of a conversation. */
  readonly messages: ConversationMessagesResource;

  /** Made by {@link Memberkit}. */
  constructor(transport: Transport) {
    super(transport);
    this.messages = new ConversationMessagesResource(transport);
  }

  /**
   * Lists conversations, latest activity first (`GET /v1/conversations`): a member's own;
   * staff see the support inbox (filter by `assigned`).
   */
  list(params?: ListConversationsParams, options?: CallOptions): ListPromise<ConversationList> {
    return this.paginate({ path: '/v1/conversations', query: toQuery(params), auth: 'member' }, options);
  }

  /** Unread messages, in total and per conversation (`GET /v1/conversations/unread`). */
  unread(options?: CallOptions): Promise<UnreadSummary> {
    return this.call({ method: 'GET', path: '/v1/conversations/unread', auth: 'member' }, options);
  }

  /**
   * Starts a conversation (`POST /v1/conversations`). A direct conversation with a member
   * the caller already talks to answers that one.
   *
   * @example
   * const help = await mk.conversations.create({ kind: 'support', body: 'My card was declined' });
   */
  create(params: CreateConversationParams, options?: CallOptions): Promise<Conversation> {
    return this.call({ method: 'POST', path: '/v1/conversations', body: params, auth: 'member' }, options);
  }

  /** One conversation (`GET /v1/conversations/{id}`). */
  get(id: string, options?: CallOptions): Promise<Conversation> {
    return this.call({ method: 'GET', path: `/v1/conversations/${seg(id)}`, auth: 'member' }, options);
  }

  /** Renames it, or (staff) closes, assigns or locks it (`PATCH /v1/conversations/{id}`). */
  update(id: string, params: UpdateConversationParams, options?: CallOptions): Promise<Conversation> {
    return this.call({ method: 'PATCH', path: `/v1/conversations/${seg(id)}`, body: params, auth: 'member' }, options);
  }

  /** Adds a member to a group (`POST /v1/conversations/{id}/participants`). */
  addParticipant(id: string, memberId: string, options?: CallOptions): Promise<Conversation> {
    return this.call(
      {
        method: 'POST',
        path: `/v1/conversations/${seg(id)}/participants`,
        body: { member_id: memberId },
        auth: 'member',
      },
      options,
    );
  }

  /** Removes a member from a group, or leaves it (`DELETE /v1/conversations/{id}/participants/{member_id}`). */
  removeParticipant(id: string, memberId: string, options?: CallOptions): Promise<Conversation> {
    return this.call(
      { method: 'DELETE', path: `/v1/conversations/${seg(id)}/participants/${seg(memberId)}`, auth: 'member' },
      options,
    );
  }

  /** Marks the conversation read up to a message (`POST /v1/conversations/{id}/read`): a read receipt. */
  read(id: string, messageId: string, options?: CallOptions): Promise<Conversation> {
    return this.call(
      { method: 'POST', path: `/v1/conversations/${seg(id)}/read`, body: { message_id: messageId }, auth: 'member' },
      options,
    );
  }

  /**
   * Tells the other participants the caller is typing (`POST /v1/conversations/{id}/typing`);
   * call it at most every few seconds while typing.
   */
  typing(id: string, options?: CallOptions): Promise<void> {
    return this.call(
      { method: 'POST', path: `/v1/conversations/${seg(id)}/typing`, auth: 'member', idempotent: false },
      { maxRetries: 0, ...options },
    );
  }
}
