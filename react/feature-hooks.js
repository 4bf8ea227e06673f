// Seed 004's feature hooks (its `@/hooks/use-websocket-hooks`), with its signatures, on the
// provider's one socket instead of one socket per channel (/ws/messages/{chat_id}, /ws/connections,
// /ws/notifications, /ws/feed, /ws/online): every channel's frames arrive on that socket and are
// told apart by their `type`. Callbacks are always the latest ones given, without resubscribing.
// The typists and online users come from the context (useTyping, usePresence); these hooks turn
// their changes into 004's per-user callbacks, checked at each flush (at most once per frame).
import { useCallback, useEffect } from 'react';
import { useRealtimeEvent } from './hooks.js';
import { useHub } from './provider.js';
import { readState, useHubValue, useLatest } from './read.js';

/** What `useWebSocketNotifications` listens to unless told otherwise: 004's notifications channel. */
const NOTIFICATION_TYPES = Object.freeze(['comment_on_post', 'reaction', 'notification']);

/** Whether the provider's socket is open now. */
const useIsConnected = (hub) => useHubValue(hub, readState).status === 'open';

/**
 * Calls `added(id)` for each id of `read()` that was not there at the last check, and `removed(id)`
 * for each that is gone (`123` and "123" are one id; the first check starts from none). Checked at
 * the next flush, then at each flush of the hub, a context swap included. Returns the unsubscribe.
 * @param {import('./hub.js').Hub} hub
 * @param {() => readonly any[]} read
 * @param {(id: any) => void} added
 * @param {(id: any) => void} removed
 */
function watchIds(hub, read, added, removed) {
  let shown = [];
  const check = () => {
    const before = shown;
    shown = read();
    const now = new Set(shown.map(String));
    const was = new Set(before.map(String));
    for (const id of before) if (!now.has(String(id))) removed(id);
    for (const id of shown) if (!was.has(String(id))) added(id);
  };
  const off = hub.subscribe(check);
  hub.later(check);
  return off;
}

/**
 * 004's chat hook: `onMessage(message)` for each `new_message` frame of chat `chatId` (the frame
 * carries the chat's id under the provider's `conversationKey`: `"chat_id"` for 004), and
 * `onTyping(userId, isTyping)` for each change of the chat's typists as the context reports them
 * (compared once per frame: a start and its stop within one frame are no change), so a typist who
 * stops, is not refreshed in time (expiry) or is lost with the connection ends with `(userId,
 * false)`; the typists already there at mount are reported too. The chat is the active
 * conversation while mounted (as with `useConversation`). Returns `{sendMessage(content,
 * attachment?), setTyping(isTyping), isConnected}`: `sendMessage` sends 004's frame `{type:
 * "message", content, chat_id, attachment?}` (the chat id's key is `chat_id`; `true` sent, `false`
 * queued; throws while there is no context), `setTyping` is `useTyping(chatId).setTyping`.
 * @param {string | number | null | undefined} chatId
 * @param {(message: any) => void} [onMessage]
 * @param {(userId: string | number, isTyping: boolean) => void} [onTyping]
 */
export function useWebSocketChat(chatId, onMessage, onTyping) {
  const hub = useHub();
  const message = useLatest(onMessage);
  const typing = useLatest(onTyping);
  useEffect(() => {
    if (chatId == null) return undefined;
    const offMessages = hub.onConversation(chatId, (m) => {
      if (m?.type === 'new_message') message.current?.(m);
    });
    const offTyping = watchIds(
      hub,
      () => hub.typingUsers(chatId),
      (userId) => typing.current?.(userId, true),
      (userId) => typing.current?.(userId, false),
    );
    const deactivate = hub.activate(chatId);
    return () => {
      offMessages();
      offTyping();
      deactivate();
    };
  }, [hub, chatId, message, typing]);
  const sendMessage = useCallback(
    (content, attachment) => hub.send({ type: 'message', content, chat_id: chatId, ...(attachment != null && { attachment }) }),
    [hub, chatId],
  );
  const setTyping = useCallback((isTyping) => hub.setTyping(chatId, isTyping), [hub, chatId]);
  return { sendMessage, setTyping, isConnected: useIsConnected(hub) };
}

/**
 * 004's connections hook: `onRequest(data)` for each `connection_request` frame, `onAccepted(userId)`
 * for each `connection_accepted` one (`userId`: its `user_id`, else its `from_user_id`). Returns
 * `{isConnected}`.
 * @param {(data: any) => void} [onRequest]
 * @param {(userId: any) => void} [onAccepted]
 */
export function useWebSocketConnections(onRequest, onAccepted) {
  useRealtimeEvent('connection_request', (data) => onRequest?.(data));
  useRealtimeEvent('connection_accepted', (data) => onAccepted?.(data.user_id ?? data.from_user_id));
  return { isConnected: useIsConnected(useHub()) };
}

/**
 * 004's notifications hook: `onNotification(message)` for each frame of 004's notifications
 * channel. One socket carries every channel, so the channel is a list of frame types: `types`,
 * by default `["comment_on_post", "reaction", "notification"]`. Returns `{isConnected}`.
 * @param {(message: any) => void} [onNotification]
 * @param {{types?: readonly string[]}} [options]
 */
export function useWebSocketNotifications(onNotification, { types = NOTIFICATION_TYPES } = {}) {
  const hub = useHub();
  const latest = useLatest(onNotification);
  // The types' content, not the array: a list written inline is a new array at every render.
  const key = JSON.stringify([...new Set(types)]);
  useEffect(() => {
    const offs = JSON.parse(key).map((type) => hub.on(type, (m) => latest.current?.(m)));
    return () => offs.forEach((off) => off());
  }, [hub, key, latest]);
  return { isConnected: useIsConnected(hub) };
}

/**
 * 004's feed hook: `onPost(post)` for each `new_post` frame (its `post`, else the frame itself),
 * `onComment(comment)` for each `new_comment` frame (its `comment`, else the frame). Returns
 * `{isConnected}`.
 * @param {(post: any) => void} [onPost]
 * @param {(comment: any) => void} [onComment]
 */
export function useWebSocketFeed(onPost, onComment) {
  useRealtimeEvent('new_post', (data) => onPost?.(data.post ?? data));
  useRealtimeEvent('new_comment', (data) => onComment?.(data.comment ?? data));
  return { isConnected: useIsConnected(useHub()) };
}

/**
 * 004's online hook, driven by the context's set of online users (`usePresence`): `onOnline(userId,
 * fullName)` for each user who joins it, `onOffline(userId)` for each who leaves it (a
 * `user_offline` frame, a snapshot without them, the connection lost); the users already online at
 * mount are reported too. `fullName` is the `full_name` of the user's latest `user_online` frame,
 * else of their entry in an `online_users` snapshot, else undefined (users are reported at the
 * flush after the frame that changed the set, so its name is known whichever of the two the
 * context hands out first). Returns `{isConnected}`.
 * @param {(userId: any, fullName?: string) => void} [onOnline]
 * @param {(userId: any) => void} [onOffline]
 */
export function useWebSocketOnline(onOnline, onOffline) {
  const hub = useHub();
  const online = useLatest(onOnline);
  const offline = useLatest(onOffline);
  useEffect(() => {
    const names = new Map();
    const remember = (entry) => {
      if (entry?.user_id != null && 'full_name' in entry) names.set(String(entry.user_id), entry.full_name);
    };
    const offs = [
      hub.on('user_online', remember),
      hub.on('online_users', (m) => Array.isArray(m.users) && m.users.forEach((entry) => typeof entry === 'object' && remember(entry))),
      watchIds(
        hub,
        () => hub.onlineUsers(),
        (userId) => online.current?.(userId, names.get(String(userId))),
        (userId) => offline.current?.(userId),
      ),
    ];
    return () => offs.forEach((off) => off());
  }, [hub, online, offline]);
  return { isConnected: useIsConnected(hub) };
}
