// Types of realtime-context: the options, the RealtimeContext class and what its callbacks get.

/** Connection status: `idle` means never connected. */
export type Status = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
/** The `state` of a context. */
export interface ConnectionState { status: Status; attempt: number; nextRetryInMs: number | null; error: string | null; since: number; }
/** A non-fatal problem reported to `onError`. */
export interface RealtimeError { kind: 'binary_frame' | 'invalid_json' | 'not_an_object' | 'missing_route_key' | 'listener_threw' | 'socket' | 'notification'; message: string; }
/** Counters from `stats()`. */
export interface Stats { messagesIn: number; messagesOut: number; bytesIn: number; bytesOut: number; reconnects: number; malformedDropped: number; listenerErrors: number; queued: number; lastRttMs: number | null; }
/** A message as the server sent it. */
export type Message = Record<string, any>;
/** A conversation or notification id; `123` and `"123"` are the same. */
export type Id = string | number;
/** Removes a listener; safe to call more than once. */
export type Unsubscribe = () => void;
/** What `onUnread` listeners get. */
export interface UnreadChange { conversationId: Id; count: number; total: number; }
/** What a notification formatter returns. */
export interface NotificationContent { title: string; body?: string; icon?: string; tag?: string; }
/** An in-app notification: the server's object plus its read flag. */
export type StoredNotification = Message & { read: boolean };
/** The `reconnect` option. */
export interface ReconnectOptions { initialDelayMs?: number; maxDelayMs?: number; multiplier?: number; jitter?: number; maxAttempts?: number; delaysMs?: number[]; }
/** The `heartbeat` option. */
export interface HeartbeatOptions { intervalMs?: number; timeoutMs?: number; ping?: object | string; pongType?: string; }
/** The `notify` option. */
export interface NotifyOptions { types?: string[]; titleKey?: string; bodyKey?: string; icon?: string | null; }
/** Options of `new RealtimeContext()`; see the README for defaults. */
export interface RealtimeOptions {
  url: string; token?: string | null; tokenParam?: string; routeKey?: string; conversationKey?: string;
  reconnect?: ReconnectOptions | boolean; connectTimeoutMs?: number; heartbeat?: HeartbeatOptions | boolean;
  queue?: { maxMessages?: number }; notify?: NotifyOptions | boolean; notificationType?: string;
  notificationKey?: string; maxNotifications?: number;
}

/**
 * Loads the wasm core once; call it (and await it) before creating a context. `input`: where
 * the `.wasm` comes from (default: the package's own file).
 */
export default function init(input?: string | URL | Request | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module): Promise<unknown>;

/** One realtime connection per user: create it once, subscribe from anywhere. */
export class RealtimeContext {
  /** Validates `options` and returns an idle context; throws an `Error` naming a bad option. */
  constructor(options: RealtimeOptions);
  /** Opens the socket unless it is already open, connecting or retrying. */
  connect(): void;
  /** Closes with code 1000 and cancels any retry; listeners and the queue are kept. */
  disconnect(): void;
  /** Reconnects now with the attempt counter reset (also after giving up). */
  retry(): void;
  /** The token (`null`: none) for every later connection attempt; an open socket is kept. */
  setToken(token: string | null): void;
  /** `{status, attempt, nextRetryInMs, error, since}`. */
  readonly state: ConnectionState;
  /** Calls `callback(state)` now and on every change. */
  onState(callback: (state: ConnectionState) => void): Unsubscribe;
  /** Sends an object (as JSON) or a string: `true` if written now, `false` if queued; throws when the queue is full. */
  send(data: object | string): boolean;
  /** Sends `{conversation_id, message, type}`; returns and throws as `send`. */
  sendMessage(conversationId: Id, text: string, type?: string): boolean;
  /** Traffic and problem counters. */
  stats(): Stats;
  /** Closes the socket, cancels every timer, drops every callback; any later use throws. */
  free(): void;
  /** Calls `callback(message)` for every message whose route key equals `type` (`"*"`: every message). */
  on(type: string, callback: (message: Message) => void): Unsubscribe;
  /** Calls `callback(message)` for every message of conversation `id`, whatever its type. */
  onConversation(id: Id, callback: (message: Message) => void): Unsubscribe;
  /** Calls `callback({kind, message})` for non-fatal problems. */
  onError(callback: (error: RealtimeError) => void): Unsubscribe;
  /** Routes a frame as if it had arrived on the socket: JSON text, or a parsed message or array. */
  receive(data: string | Message | Message[]): void;
  /** Makes `id` (`null`: none) the conversation the user is looking at. */
  setActiveConversation(id: Id | null): void;
  /** The active conversation's id as it was given, or `null`. */
  readonly activeConversation: Id | null;
  /** Unread messages of conversation `id` (0 when unknown). */
  unreadCount(id: Id): number;
  /** Unread messages over all conversations. */
  readonly totalUnread: number;
  /** Sets the unread count of conversation `id` to 0. */
  markRead(id: Id): void;
  /** Calls `callback({conversationId, count, total})` whenever an unread count changes. */
  onUnread(callback: (change: UnreadChange) => void): Unsubscribe;
  /** Asks for permission to show browser notifications. */
  requestNotificationPermission(): Promise<NotificationPermission | 'unsupported'>;
  /** Sets the function that makes a browser notification from a message (`null`: the default). */
  setNotificationFormatter(formatter: ((message: Message) => NotificationContent | null) | null): void;
  /** Calls `callback(message)` when a browser notification is clicked. */
  onNotificationClick(callback: (message: Message) => void): Unsubscribe;
  /** The in-app notifications, newest first; the same frozen array until the store changes. */
  notifications(): readonly StoredNotification[];
  /** How many in-app notifications are unread. */
  readonly unreadNotifications: number;
  /** Merges a list fetched over REST (newest first) with what arrived live, by `id`. */
  setNotifications(list: Message[]): void;
  /** Marks the in-app notification `id` read. */
  markNotificationRead(id: Id): void;
  /** Marks every in-app notification read. */
  markAllNotificationsRead(): void;
  /** Removes the in-app notification `id`. */
  removeNotification(id: Id): void;
  /** Calls `callback(notifications)` whenever the in-app store changes. */
  onNotifications(callback: (notifications: readonly StoredNotification[]) => void): Unsubscribe;
}
