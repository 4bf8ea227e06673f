// Types of realtime-context/react. The options object is RealtimeContext's (see the package
// README); it is typed loosely here so that new options need no change in this file.
import type { ReactNode } from 'react';
import type { Id, RealtimeContext, Status, TokenProvider, Unsubscribe } from '../js/index.js';

/** The package's id (`123` and "123" are one), connection status, unsubscribe function and token provider. */
export type { Id, Status, TokenProvider, Unsubscribe };

/**
 * Options of `new RealtimeContext(options)`; `token: null` means logged out. Another `token`
 * keeps the context; any other change (`userKey`, `url`, ...) means a new one, so give each
 * user a `userKey` when one may replace another without logging out.
 */
export interface RealtimeOptions {
  url: string;
  token?: string | null;
  userKey?: string | null;
  [option: string]: unknown;
}

/** A notification as the store holds it: the server's object plus `read`. */
export interface StoredNotification {
  /** Absent when the server sent none (the store keys such a notification on its own). */
  id?: string | number;
  read: boolean;
  [field: string]: unknown;
}

/** The REST calls behind `useNotifications()`; each may be left out (store-only change). */
export interface NotificationApi {
  fetchNotifications?(): Promise<Array<{ id: string | number; read?: boolean; [field: string]: unknown }>>;
  markAsRead?(id: string | number): Promise<unknown>;
  markAllAsRead?(): Promise<unknown>;
  deleteNotification?(id: string | number): Promise<unknown>;
}

export interface RealtimeProviderProps {
  options: RealtimeOptions;
  api?: NotificationApi;
  /** Asked for a fresh token when the server refuses one (close 4001, 4003, 1008); then one reconnect. */
  getToken?: TokenProvider | null;
  children?: ReactNode;
}

/**
 * One RealtimeContext for the subtree: connects while `options.token` is set; a new token
 * is taken by the same context (listeners and unread counts kept).
 */
export function RealtimeProvider(props: RealtimeProviderProps): ReactNode;

export interface ConnectionState {
  status: Status;
  isConnected: boolean;
  isConnecting: boolean;
  error: string | null;
}

export interface Realtime extends ConnectionState {
  subscribe(type: string, callback: (message: any) => void): Unsubscribe;
  /** `true` sent, `false` queued until the socket opens; throws while logged out or loading. */
  send(data: object | string): boolean;
  retry(): void;
  context: RealtimeContext | null;
}

/** The connection, `subscribe`, `send`, `retry` and the context itself. */
export function useRealtime(): Realtime;

/** Calls the latest `callback` for each message of `type` ("*": all) while mounted. */
export function useRealtimeEvent(type: string, callback: (message: any) => void): void;

export interface Conversation<M = any> {
  isConnected: boolean;
  isConnecting: boolean;
  error: string | null;
  sendMessage(conversationId: string | number, text: string, type?: string): boolean;
  lastMessage: M | null;
  retry(): void;
}

/** Messages of one conversation, which becomes the active one while mounted. */
export function useConversation<M = any>(
  conversationId: string | number | null | undefined,
  onMessage?: (message: M) => void,
): Conversation<M>;

export interface ConversationMessagesOptions<M = any> {
  /** The conversation's history (e.g. fetched over REST), oldest first; a new array (a refetch) is merged again. */
  initial?: readonly M[] | null;
  /** At most this many messages are kept, the oldest dropped; 200 by default. */
  max?: number;
  /** The field holding a message's id; `"id"` by default. `123` and `"123"` are one id. */
  idKey?: string;
}

export interface ConversationMessages<M = any> extends Omit<Conversation<M>, 'lastMessage'> {
  /** `initial` as given, then live messages in arrival order; one per id, a repeat replacing it in place. */
  messages: readonly M[];
}

/**
 * History and live messages of one conversation in one bounded list, de-duplicated by id; the
 * conversation is the active one while mounted.
 */
export function useConversationMessages<M = any>(
  conversationId: string | number | null | undefined,
  options?: ConversationMessagesOptions<M>,
): ConversationMessages<M>;

/** Unread messages of `conversationId`, or of all conversations. */
export function useUnread(conversationId?: string | number | null): number;

export interface Notifications {
  notifications: readonly StoredNotification[];
  unreadCount: number;
  /** Each resolves `true` when the server confirmed, `false` when rolled back (see `error`). */
  markAsRead(id: string | number): Promise<boolean>;
  markAllAsRead(): Promise<boolean>;
  deleteNotification(id: string | number): Promise<boolean>;
  fetchNotifications(): Promise<boolean>;
  fetchUnreadCount(): Promise<boolean>;
  isConnected: boolean;
  /** The last REST rejection, until a call succeeds. */
  error: unknown;
}

/** Seed 000's NotificationContext, backed by the wasm notification store. */
export function useNotifications(): Notifications;

export interface ConnectionStatus extends ConnectionState {
  attempt: number;
  nextRetryInMs: number | null;
  since: number;
  retry(): void;
}

/** Everything a connection banner needs. */
export function useConnectionStatus(): ConnectionStatus;

export interface Typing {
  /** Who is typing, as the server sent the ids, in the order they started; the same array until it changes. */
  typingUsers: readonly Id[];
  /** `RealtimeContext.setTyping(id, isTyping)`: `true` when a frame was written now; `false` without a context or id. */
  setTyping(isTyping: boolean): boolean;
}

/** The typists of one conversation (null: none) and the user's own typing there. */
export function useTyping(conversationId: Id | null | undefined): Typing;

export interface Presence {
  /** Who is online; the same array until it changes; empty while the socket is not open. */
  onlineUsers: readonly Id[];
  /** Whether `userId` is in `onlineUsers`. */
  isOnline(userId: Id): boolean;
}

/** The online users. */
export function usePresence(): Presence;

/** What each of seed 004's feature hooks returns. */
export interface FeatureConnection {
  isConnected: boolean;
}

export interface WebSocketChat extends FeatureConnection {
  /** Sends 004's `{type: "message", content, chat_id, attachment?}`: `true` sent, `false` queued; throws while there is no context. */
  sendMessage(content: string, attachment?: string | null): boolean;
  /** `useTyping(chatId).setTyping`. */
  setTyping(isTyping: boolean): boolean;
}

/**
 * Seed 004's chat hook: `onMessage` for each `new_message` of the chat, `onTyping` for each change
 * of its typists (expiry and disconnect included); the chat is the active conversation while mounted.
 */
export function useWebSocketChat<M = any>(
  chatId: Id | null | undefined,
  onMessage?: (message: M) => void,
  onTyping?: (userId: Id, isTyping: boolean) => void,
): WebSocketChat;

/** Seed 004's connections hook: `connection_request` frames, and the user id of `connection_accepted` ones. */
export function useWebSocketConnections<D = any>(
  onRequest?: (data: D) => void,
  onAccepted?: (userId: Id) => void,
): FeatureConnection;

export interface WebSocketNotificationsOptions {
  /** The frame types of 004's notifications channel; `["comment_on_post", "reaction", "notification"]` by default. */
  types?: readonly string[];
}

/** Seed 004's notifications hook: every frame of the given types. */
export function useWebSocketNotifications<N = any>(
  onNotification?: (notification: N) => void,
  options?: WebSocketNotificationsOptions,
): FeatureConnection;

/** Seed 004's feed hook: the `post` of `new_post` frames, the `comment` of `new_comment` ones (else the frame). */
export function useWebSocketFeed<P = any, C = any>(
  onPost?: (post: P) => void,
  onComment?: (comment: C) => void,
): FeatureConnection;

/** Seed 004's online hook: each user who comes online (with the `full_name` of their frame, if any) or goes offline. */
export function useWebSocketOnline(
  onOnline?: (userId: Id, fullName?: string) => void,
  onOffline?: (userId: Id) => void,
): FeatureConnection;
