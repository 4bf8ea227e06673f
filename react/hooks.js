// The hooks. Each reads through useSyncExternalStore and re-reads the wasm context only after
// a flush, so a burst of messages costs each component at most one render per frame.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useHub } from './provider.js';
import { connection, readState, useHubValue, useLatest } from './read.js';

const readContext = (hub) => hub.ctx;
const readUnread = (hub, id) => hub.unread(id);
const readNotifications = (hub) => hub.notifications;
const readError = (hub) => hub.error;
const readTyping = (hub, id) => hub.typingUsers(id);
const readOnline = (hub) => hub.onlineUsers();

/** Whether two id lists hold the same ids in the same order (`123` and "123" are one id). */
const sameIds = (a, b) => a.length === b.length && a.every((id, i) => String(id) === String(b[i]));

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

/**
 * Who is typing in a conversation, and the user's own typing there: `{typingUsers, setTyping(isTyping)}`.
 * `typingUsers` is the context's `typingUsers(id)` (ids as the server sent them, in the order they
 * started; a typist not refreshed in time, or every one when the connection drops, is gone), the
 * same array until it changes, read at most once per frame; empty (frozen) while there is no context
 * or `conversationId` is null. `setTyping` is the context's `setTyping(id, isTyping)`, which throttles
 * the frames and sends the stop by itself; `false` (nothing written) while there is no context or id.
 * @param {string | number | null | undefined} conversationId
 */
export function useTyping(conversationId) {
  const hub = useHub();
  const typingUsers = useHubValue(hub, readTyping, conversationId, sameIds);
  const setTyping = useCallback((isTyping) => hub.setTyping(conversationId, isTyping), [hub, conversationId]);
  return { typingUsers, setTyping };
}

/**
 * Who is online: `{onlineUsers, isOnline(userId)}`. `onlineUsers` is the context's `onlineUsers()`
 * (empty and frozen while there is no context, and empty while the socket is not open), the same
 * array until it changes; `isOnline` answers from that same array, so a render never mixes two
 * states, and is a new function only when it changes. `123` and "123" are one user.
 */
export function usePresence() {
  const hub = useHub();
  const onlineUsers = useHubValue(hub, readOnline, undefined, sameIds);
  const isOnline = useMemo(() => {
    const ids = new Set(onlineUsers.map(String));
    return (userId) => ids.has(String(userId));
  }, [onlineUsers]);
  return { onlineUsers, isOnline };
}

const NO_LIVE = Object.freeze({ id: null, entries: Object.freeze([]) });

/** What de-duplication compares: the id as a string (`123` and "123" are one), else the message itself. */
const keyOf = (message, idKey) => {
  const id = message?.[idKey];
  return typeof id === 'string' || Number.isFinite(id) ? String(id) : message;
};

/**
 * In place of a hand-made `useConversationMessages(conversationId)`: the conversation's messages,
 * its REST history `initial` (oldest first, as given) followed by the live ones in arrival order,
 * one entry per `message[idKey]` (`123` and "123" are one id; a live repeat, also of a history
 * entry, replaces it in place; a new `initial`, a refetch, is merged again), at most `max`, the
 * oldest dropped. Like `useConversation`, the conversation is the active one while mounted, and
 * the list changes at most once per animation frame.
 * Returns `{messages, isConnected, isConnecting, error, sendMessage(conversationId, text, type?), retry}`.
 * @param {string | number | null | undefined} conversationId
 * @param {{initial?: any[] | null, max?: number, idKey?: string}} [options] `max` 200, `idKey` "id"
 */
export function useConversationMessages(conversationId, { initial, max = 200, idKey = 'id' } = {}) {
  const hub = useHub();
  const [live, setLive] = useState(NO_LIVE);
  useEffect(() => {
    if (conversationId == null) return undefined;
    let batch = [];
    const show = () => {
      const arrived = batch;
      batch = [];
      setLive((s) => {
        const entries = s.id === conversationId ? [...s.entries] : [];
        const at = new Map(entries.map((m, i) => [keyOf(m, idKey), i]));
        for (const message of arrived) {
          const key = keyOf(message, idKey);
          if (at.has(key)) entries[at.get(key)] = message;
          else at.set(key, entries.push(message) - 1);
        }
        return { id: conversationId, entries: entries.slice(Math.max(0, entries.length - max)) };
      });
    };
    const off = hub.onConversation(conversationId, (message) => {
      batch.push(message);
      hub.later(show);
    });
    const deactivate = hub.activate(conversationId);
    return () => {
      off();
      deactivate();
      hub.cancel(show);
    };
  }, [hub, conversationId, max, idKey]);
  const own = live.id === conversationId ? live.entries : NO_LIVE.entries;
  const messages = useMemo(() => {
    // A Map keeps a key's first place: live copies of history entries replace them in place.
    const byKey = new Map();
    for (const message of [...(initial ?? []), ...own]) byKey.set(keyOf(message, idKey), message);
    const list = [...byKey.values()];
    return list.slice(Math.max(0, list.length - max));
  }, [initial, own, max, idKey]);
  const { isConnected, isConnecting, error } = connection(useHubValue(hub, readState));
  return { messages, isConnected, isConnecting, error, sendMessage: hub.sendMessage, retry: hub.retry };
}
