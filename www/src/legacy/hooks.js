// The legacy providers behind the hook names of realtime-context/react, so that components
// run unchanged on either.
import { useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { FriendRequestContext } from './FriendRequestContext.jsx';
import { NotificationContext } from './NotificationContext.jsx';

function useLatest(value) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

const connection = (socket) => ({
  isConnected: socket.status === 'open',
  isConnecting: socket.status === 'connecting' || socket.status === 'reconnecting',
  error: socket.error,
});

/** The notification list and its REST actions. */
export const useNotifications = () => useContext(NotificationContext).notifications;

/** Calls the latest `callback` for each message of `type`, from whichever socket carries it. */
export function useRealtimeEvent(type, callback) {
  const notifications = useContext(NotificationContext).socket;
  const friendRequests = useContext(FriendRequestContext);
  const { subscribe } = type === 'friend_request_update' ? friendRequests : notifications;
  const latest = useLatest(callback);
  useEffect(() => subscribe(type, (m) => latest.current(m)), [subscribe, type, latest]);
}

/** Seed 001's hook on the notification socket; the conversation is active while mounted. */
export function useConversation(conversationId, onMessage) {
  const { socket, setActive } = useContext(NotificationContext);
  const [last, setLast] = useState({ id: null, message: null });
  const latest = useLatest(onMessage);
  useEffect(() => {
    if (conversationId == null) return undefined;
    setActive(conversationId);
    const off = socket.subscribe('new_message', (m) => {
      if (String(m.conversation_id) !== String(conversationId)) return;
      setLast({ id: conversationId, message: m });
      latest.current?.(m);
    });
    return () => {
      off();
      setActive(null);
    };
  }, [conversationId, socket.subscribe, setActive, latest]);
  return {
    ...connection(socket),
    sendMessage: (id, text, type = 'TEXT') => socket.send({ conversation_id: id, message: text, type }),
    lastMessage: last.id === conversationId ? last.message : null,
    retry: socket.retry,
  };
}

/** Unread messages of one conversation, or of all. */
export function useUnread(conversationId) {
  const { unread } = useContext(NotificationContext);
  if (conversationId != null) return unread[conversationId] ?? 0;
  return Object.values(unread).reduce((a, b) => a + b, 0);
}

const STATUS_ORDER = ['closed', 'reconnecting', 'connecting', 'idle', 'open'];

/** Both sockets as one status: the worst of the two. */
export function useConnectionStatus() {
  const a = useContext(NotificationContext).socket;
  const b = useContext(FriendRequestContext);
  const worst = STATUS_ORDER.find((s) => a.status === s || b.status === s);
  return {
    ...connection({ status: worst, error: a.error ?? b.error }),
    status: worst,
    attempt: 0,
    nextRetryInMs: null,
    since: 0,
    retry: () => {
      a.retry();
      b.retry();
    },
  };
}

// The legacy sockets carry neither typing nor presence: nobody types and nobody is online, so
// the components show no indicator; `setTyping` writes nothing (false: no frame went out).
const NO_TYPING = { typingUsers: [], setTyping: () => false };
const NO_PRESENCE = { onlineUsers: [], isOnline: () => false };

/** No typing on the legacy sockets. */
export const useTyping = () => NO_TYPING;

/** No presence on the legacy sockets. */
export const usePresence = () => NO_PRESENCE;
