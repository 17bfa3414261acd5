import type { Memberkit } from '@memberkit/sdk';

/** Who takes part in a conversation. */
export interface ConversationParticipant {
  type: 'member' | 'staff';
  id: string;
  name: string;
  role: string;
  last_read_message_id: string | null;
  left_at: string | null;
}

/** A conversation as staff see it (the API's `Conversation`; `unread_count` is the staff view). */
export interface Conversation {
  id: string;
  object: 'conversation';
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

/** A message (the API's `Message`); `body` is null once deleted. */
export interface Message {
  id: string;
  object: 'message';
  conversation_id: string;
  sender: { type: 'member' | 'staff' | 'system'; id: string | null; name: string };
  body: string | null;
  client_id: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  created_at: string;
}

/** One page of a list, as the API answers. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Filters of the inbox list. */
export interface ListSupportParams {
  /** `open` or `closed`; absent for both. */
  status?: string | undefined;
  /** `me`, `unassigned` or a staff id; absent for anyone. */
  assigned?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** A change staff make to a conversation. */
export interface UpdateConversationBody {
  status?: 'open' | 'closed' | undefined;
  assigned_staff_id?: string | null | undefined;
  locked?: boolean | undefined;
}

/**
 * The messaging API as `<member-admin-inbox>` uses it (`/v1/conversations…`, support
 * conversations, staff token). {@link sdkInboxApi} implements it on the provider's SDK
 * client (`mk.conversations`); a page may pass its own as the element's `api`.
 */
export interface InboxApi {
  list(params: ListSupportParams): Promise<Page<Conversation>>;
  get(id: string): Promise<Conversation>;
  update(id: string, body: UpdateConversationBody): Promise<Conversation>;
  /** Messages newest first; `cursor` goes to older ones. */
  messages(id: string, params: { limit?: number | undefined; cursor?: string | undefined }): Promise<Page<Message>>;
  send(id: string, body: { body: string; client_id?: string | undefined }): Promise<Message>;
  deleteMessage(id: string, messageId: string): Promise<void>;
  read(id: string, messageId: string): Promise<void>;
  typing(id: string): Promise<void>;
}

const page = <T>(p: Page<T>): Page<T> => ({ data: p.data, has_more: p.has_more, next_cursor: p.next_cursor ?? null });
const defined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/** {@link InboxApi} on the provider's SDK client (staff token): `mk.conversations`, support conversations. */
export function sdkInboxApi(client: Memberkit): InboxApi {
  const c = client.conversations;
  return {
    list: async (params) => page(await c.list({ kind: 'support', ...defined({ ...params }) })),
    get: (id) => c.get(id),
    update: (id, body) => c.update(id, body),
    messages: async (id, params) => page(await c.messages.list(id, defined({ ...params }))),
    send: (id, body) => c.messages.send(id, body),
    deleteMessage: async (id, messageId) => {
      await c.messages.delete(id, messageId);
    },
    read: async (id, messageId) => {
      await c.read(id, messageId);
    },
    typing: async (id) => {
      await c.typing(id);
    },
  };
}

/** Messages allow 1–4,000 characters. */
export const MAX_MESSAGE_LENGTH = 4000;
