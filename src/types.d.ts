// The option, state, stats, message and callback types of RealtimeContext (from src/types.d.ts,
// a typescript_custom_section of src/lib.rs, whose methods name them).

/** Connection status: `idle` means never connected. */
export type Status = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';
/** The `state` of a context. */
export interface ConnectionState {
  status: Status;
  attempt: number;
  /** ms until the next attempt while `reconnecting`, else `null`. */
  nextRetryInMs: number | null;
  /** A sentence, or `null`. */
  error: string | null;
  /** Epoch ms of the last status change. */
  since: number;
}
/** What `onError` listeners get: a non-fatal problem. */
export interface RealtimeError {
  kind: 'binary_frame' | 'invalid_json' | 'not_an_object' | 'missing_route_key' | 'oversize' | 'listener_threw' | 'socket' | 'notification' | 'token_provider' | 'storage' | 'tabs';
  message: string;
}
/** Counters from `stats()` (sizes in UTF-16 code units for text frames). */
export interface Stats {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  reconnects: number;
  malformedDropped: number;
  listenerErrors: number;
  /** Frames not written yet (sent while not open). */
  queued: number;
  lastRttMs: number | null;
  /** Messages dropped as already seen (`idKey`). */
  duplicatesDropped: number;
  /** Acknowledged sends written and waiting for their ack. */
  unacked: number;
  /** This tab's part in sharing one socket among the user's tabs. */
  role: 'leader' | 'follower' | 'solo';
  /** How many tabs share it (1 when solo). */
  tabs: number;
}
/** A message as the server sent it. */
export type Message = Record<string, any>;
/** A conversation or notification id; `123` and `"123"` are the same. */
export type Id = string | number;
/** Removes a listener; safe to call more than once. */
export type Unsubscribe = () => void;
/** What `onUnread` listeners get; `conversationId` as the server sent it. */
export interface UnreadChange {
  conversationId: Id;
  count: number;
  total: number;
}
/** What `onTyping` listeners get: who types in the conversation now, ids as sent. */
export interface TypingChange {
  conversationId: Id;
  users: Id[];
}
/** What a notification formatter returns. */
export interface NotificationContent {
  title: string;
  body?: string;
  icon?: string;
  tag?: string;
}
/** An in-app notification: the server's object plus its read flag. */
export type StoredNotification = Message & { read: boolean };
/** What `requestNotificationPermission()` resolves to. */
export type PermissionResult = NotificationPermission | 'unsupported';

/** Called with each message a subscription matches. */
export type MessageCallback = (message: Message) => void;
/** Called with the state at once and on every change. */
export type StateCallback = (state: ConnectionState) => void;
/** Called with each non-fatal problem. */
export type ErrorCallback = (error: RealtimeError) => void;
/** Called on every unread count change. */
export type UnreadCallback = (change: UnreadChange) => void;
/** Called with the in-app notifications on every change of the store. */
export type NotificationsCallback = (notifications: readonly StoredNotification[]) => void;
/** Makes a browser notification from a message; `null` shows nothing. */
export type NotificationFormatter = (message: Message) => NotificationContent | null;
/** Called on every change of who is typing in a conversation. */
export type TypingCallback = (change: TypingChange) => void;
/** Called with the online users on every change. */
export type PresenceCallback = (users: Id[]) => void;
/** Gives a fresh token when the server refused the current one; `null` gives up. */
export type TokenProvider = () => string | null | Promise<string | null>;

/** The `reconnect` option: exponential backoff, or a fixed schedule with `delaysMs`. */
export interface ReconnectOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  multiplier?: number;
  jitter?: number;
  /** A whole number ≥ 1, or `Infinity`. */
  maxAttempts?: number;
  /** Not combined with `initialDelayMs`, `maxDelayMs` or `multiplier`; the last delay repeats. */
  delaysMs?: number[];
}
/** The `heartbeat` option. */
export interface HeartbeatOptions {
  intervalMs?: number;
  timeoutMs?: number;
  /** Sent as JSON when an object, as-is when a string. */
  ping?: object | string;
  pongType?: string;
}
/** The `notify` option. */
export interface NotifyOptions {
  types?: string[];
  titleKey?: string;
  bodyKey?: string;
  icon?: string | null;
  /** The field naming a message's sender (a dotted path reads nested), compared with `userId`. */
  senderKey?: string;
}
/** The `resume` option: the frame written first on every open, `{type: "resume", last_id}`. */
export interface ResumeOptions {
  type?: string;
  lastIdKey?: string;
}
/** The `ack` option of `sendAcked`. */
export interface AckOptions {
  /** The field added to an acknowledged send, which its ack echoes. */
  idKey?: string;
  /** The route value of ack frames. */
  ackType?: string;
  /** Open-connection time to wait for an ack before the Promise rejects. */
  timeoutMs?: number;
}
/** The `messageFrame` option: the fields `sendMessage` writes. */
export interface MessageFrameOptions {
  conversationKey?: string;
  textKey?: string;
  typeKey?: string;
  /** The type when `sendMessage` is given none. */
  type?: string;
}
/** The `typing` option: frames `{type, [conversationKey], [flagKey]}` out, plus `[userKey]` in. */
export interface TypingOptions {
  type?: string;
  userKey?: string;
  flagKey?: string;
  /** While typing, at most one start per this. */
  throttleMs?: number;
  /** A stop goes out this long after the last `setTyping(id, true)`. */
  idleMs?: number;
  /** Another user's typing is dropped this long after their last start. */
  expireMs?: number;
}
/** The `presence` option: the events and fields of who is online. */
export interface PresenceOptions {
  onlineType?: string;
  offlineType?: string;
  snapshotType?: string;
  userKey?: string;
  usersKey?: string;
}
/** The `readReceipts` option: `{type, [conversationKey], [lastIdKey]}` frames. */
export interface ReadReceiptOptions {
  type?: string;
  lastIdKey?: string;
  /** The field of incoming messages holding their id (default: `idKey`, else `"id"`). */
  idKey?: string;
}
/** The `queue` option. */
export interface QueueOptions {
  maxMessages?: number;
}
/** Options of `new RealtimeContext()`; see the README for defaults. */
export interface RealtimeOptions {
  /** A `ws://`/`wss://` URL, or a path resolved against `location`. */
  url: string;
  token?: string | null;
  tokenParam?: string;
  routeKey?: string;
  conversationKey?: string;
  reconnect?: ReconnectOptions | boolean;
  connectTimeoutMs?: number;
  heartbeat?: HeartbeatOptions | boolean;
  queue?: QueueOptions;
  notify?: NotifyOptions | boolean;
  notificationType?: string | string[];
  notificationKey?: string;
  maxNotifications?: number;
  /** The field holding each incoming message's id: turns de-duplication on. */
  idKey?: string | null;
  dedupWindow?: number;
  /** Needs `idKey`. */
  resume?: ResumeOptions | boolean;
  ack?: AckOptions | boolean;
  maxFrameBytes?: number;
  persistOutbox?: boolean;
  /** Names the user in the stored outbox's key (never the token). */
  userKey?: string | null;
  pauseWhenHidden?: boolean;
  hiddenGraceMs?: number;
  /** One socket for all tabs of the user (needs `userKey`, Web Locks and BroadcastChannel). */
  shareAcrossTabs?: boolean;
  /** The user's own id as the server writes it: their own messages and typing echoed back neither count, notify nor show as typing. */
  userId?: number | string | null;
  messageFrame?: MessageFrameOptions;
  typing?: TypingOptions | boolean;
  presence?: PresenceOptions | boolean;
  readReceipts?: ReadReceiptOptions | boolean;
}
