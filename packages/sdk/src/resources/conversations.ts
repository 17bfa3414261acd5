import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import type { CallOptions, Transport } from '../core/transport.js';

/** Who takes part in a conversation. */
export interface ConversationParticipant {
  type: 'member' | 'staff';
  id: string;
  name: string;
  role: 'owner' | 'member' | 'staff' | string;
  last_read_message_id: string | null;
  /** ISO 8601; null while in the conversation. */
  left_at: string | null;
}

/** A conversation as the caller sees it (their own `unread_count`). */
export interface Conversation {
  id: string;
  object: 'conversation';
  /** `support`: member ↔ the tenant's staff; `direct`: two members; `group`: several. */
  kind: 'support' | 'direct' | 'group';
  title: string | null;
  status: 'open' | 'closed' | string;
  assigned_staff_id: string | null;
  locked: boolean;
  participants: ConversationParticipant[];
  last_message_at: string | null;
  last_message_preview: string | null;
  unread_count: number;
  created_at: string;
  updated_at: string;
}

/** One page of conversations. */
export interface ConversationList {
  object: 'list';
  data: Conversation[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Unread messages across the caller's conversations. */
export interface UnreadSummary {
  total: number;
  conversations: { id: string; unread_count: number }[];
}

/** A message of a conversation. */
export interface Message {
  id: string;
  object: 'message';
  conversation_id: string;
  sender: { type: 'member' | 'staff' | 'system'; id: string | null; name: string };
  /** Null once deleted. */
  body: string | null;
  /** The sender's own id for the message (idempotent sends, optimistic UI). */
  client_id: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  created_at: string;
}

/** One page of messages, newest first. */
export interface MessageList {
  object: 'list';
  data: Message[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Query of {@link ConversationsResource.list}. */
export interface ListConversationsParams {
  kind?: 'support' | 'direct' | 'group' | undefined;
  status?: string | undefined;
  /** Staff: `me`, `unassigned` or a staff id. */
  assigned?: string | undefined;
  limit?: number | undefined;
}

/** Body of {@link ConversationsResource.create}. */
export type CreateConversationParams =
  | { kind: 'support'; title?: string | undefined; body: string; member_id?: string | undefined }
  | { kind: 'direct'; member_id: string; body?: string | undefined }
  | { kind: 'group'; title: string; member_ids: string[]; body?: string | undefined };

/** Body of {@link ConversationsResource.update}: the group owner renames; staff set status, assignee, lock. */
export interface UpdateConversationParams {
  title?: string | null | undefined;
  status?: string | undefined;
  assigned_staff_id?: string | null | undefined;
  locked?: boolean | undefined;
}

/** Query of {@link ConversationMessagesResource.list}. */
export interface ListMessagesParams {
  limit?: number | undefined;
}

/** Body of {@link ConversationMessagesResource.send}. */
export interface SendMessageParams {
  /** 1–4,000 characters. */
  body: string;
  /** Your id for the message: sending it again returns the first message instead of a second. */
  client_id?: string | undefined;
}

/** Body of {@link ConversationMessagesResource.update}. */
export interface UpdateMessageParams {
  body: string;
}

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
  delete(conversationId: string, messageId: string, options?: CallOptions): Promise<Message | undefined> {
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
  removeParticipant(id: string, memberId: string, options?: CallOptions): Promise<Conversation | undefined> {
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
