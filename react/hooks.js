// The hooks. Each reads through useSyncExternalStore and re-reads the wasm context only after
// a flush, so a burst of messages costs each component at most one render per frame.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useHub } from './provider.js';

/** `read(hub, arg)`, recomputed only when the hub flushed or `arg` changed since last time. */
function useHubValue(hub, read, arg) {
  const cache = useRef(null);
  const get = () => {
    const c = cache.current;
    if (c && c.version === hub.version && Object.is(c.arg, arg)) return c.value;
    const value = read(hub, arg);
    cache.current = { version: hub.version, arg, value };
    return value;
  };
  return useSyncExternalStore(hub.subscribe, get, get);
}

function useLatest(value) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

function connection(state) {
  return {
    status: state.status,
    isConnected: state.status === 'open',
    isConnecting: state.status === 'connecting' || state.status === 'reconnecting',
    error: state.error,
  };
}

const readState = (hub) => hub.state;
const readContext = (hub) => hub.ctx;
const readUnread = (hub, id) => hub.unread(id);
const readNotifications = (hub) => hub.notifications;
const readError = (hub) => hub.error;

/**
 * The connection and its escape hatches: `{isConnected, isConnecting, status, error,
 * subscribe(type, cb) → unsubscribe, send, retry, context}` (a hand-written context's `{isConnected,
 * subscribe}` included). `subscribe` works before the wasm has loaded and across logins;
 * `send` throws while there is no context; `context` is the RealtimeContext or null.
 */
export function useRealtime() {
  const hub = useHub();
  const state = useHubValue(hub, readState);
  const context = useHubValue(hub, readContext);
  return useMemo(
    () => ({ ...connection(state), subscribe: hub.on, send: hub.send, retry: hub.retry, context }),
    [hub, state, context],
  );
}

/**
 * Calls `callback(message)` for every message of route type `type` ("*": all) while the
 * component is mounted; always the latest `callback`, without resubscribing.
 * @param {string} type
 * @param {(message: any) => void} callback
 */
export function useRealtimeEvent(type, callback) {
  const hub = useHub();
  const latest = useLatest(callback);
  useEffect(() => hub.on(type, (message) => latest.current(message)), [hub, type, latest]);
}

/**
 * In place of a per-conversation `useWebSocket(conversationId, onMessage)`: calls the latest `onMessage` for each
 * message of the conversation and makes it the active one (no unread count, no browser
 * notification while the page is visible) until unmount or another id. `null`: none.
 * Returns `{isConnected, isConnecting, error, sendMessage(conversationId, text, type?),
 * lastMessage, retry}`; `lastMessage` is this conversation's latest message or null.
 * @param {string | number | null | undefined} conversationId
 * @param {(message: any) => void} [onMessage]
 */
export function useConversation(conversationId, onMessage) {
  const hub = useHub();
  const latest = useLatest(onMessage);
  const [last, setLast] = useState({ id: null, message: null });
  useEffect(() => {
    if (conversationId == null) return undefined;
    let message = null;
    const show = () => setLast({ id: conversationId, message });
    const off = hub.onConversation(conversationId, (m) => {
      message = m;
      hub.later(show);
      latest.current?.(m);
    });
    const deactivate = hub.activate(conversationId);
    return () => {
      off();
      deactivate();
      hub.cancel(show);
    };
  }, [hub, conversationId, latest]);
  const state = useHubValue(hub, readState);
  const { isConnected, isConnecting, error } = connection(state);
  const lastMessage = last.id === conversationId ? last.message : null;
  return { isConnected, isConnecting, error, sendMessage: hub.sendMessage, lastMessage, retry: hub.retry };
}

/**
 * Unread messages of one conversation, or of all when `conversationId` is omitted.
 * @param {string | number} [conversationId]
 * @returns {number}
 */
export function useUnread(conversationId) {
  return useHubValue(useHub(), readUnread, conversationId);
}

/**
 * In place of a NotificationContext: `{notifications, unreadCount, markAsRead, markAllAsRead,
 * deleteNotification, fetchNotifications, fetchUnreadCount, isConnected, error}`. Changes are
 * optimistic; when the provider's `api` rejects they are rolled back and `error` holds the
 * rejection until the next call succeeds. The list is refetched each time the socket opens.
 */
export function useNotifications() {
  const hub = useHub();
  const notifications = useHubValue(hub, readNotifications);
  const error = useHubValue(hub, readError);
  const state = useHubValue(hub, readState);
  const unreadCount = useMemo(() => notifications.filter((n) => !n.read).length, [notifications]);
  return { notifications, unreadCount, ...hub.actions, isConnected: state.status === 'open', error };
}

/**
 * For a status banner: `{status, isConnected, isConnecting, error, attempt, nextRetryInMs,
 * since, retry}`.
 */
export function useConnectionStatus() {
  const hub = useHub();
  const state = useHubValue(hub, readState);
  return { ...connection(state), attempt: state.attempt, nextRetryInMs: state.nextRetryInMs, since: state.since, retry: hub.retry };
}
