// Types of realtime-context/react. The options object is RealtimeContext's (see the package
// README); it is typed loosely here so that new options need no change in this file.
import type { ReactNode } from 'react';
import type { RealtimeContext, Status, TokenProvider, Unsubscribe } from '../js/index.js';

/** The package's connection status, unsubscribe function and token provider. */
export type { Status, TokenProvider, Unsubscribe };

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
