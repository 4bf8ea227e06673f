// Legacy NotificationContext (seed 000's "current state"): its own socket to
// /ws/notifications/, which also carries chat messages; REST calls are confirmed before the
// list changes.
import { createContext, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSocket } from './useSocket.js';

export const NotificationContext = createContext(null);

function useConversationUnread(socket) {
  const [unread, setUnread] = useState({});
  const active = useRef(null);
  useEffect(
    () =>
      socket.subscribe('new_message', (m) => {
        if (String(m.conversation_id) === String(active.current) && !document.hidden) return;
        setUnread((u) => ({ ...u, [m.conversation_id]: (u[m.conversation_id] ?? 0) + 1 }));
      }),
    [socket.subscribe],
  );
  const setActive = useCallback((id) => {
    active.current = id;
    if (id != null) setUnread((u) => (u[id] ? { ...u, [id]: 0 } : u));
  }, []);
  return { unread, setActive };
}

/** One socket for notifications and chat, while `token` is set. */
export function NotificationProvider({ token, api, children }) {
  const socket = useSocket('/ws/notifications/', token);
  const [notifications, setNotifications] = useState([]);
  const [error, setError] = useState(null);
  const { unread, setActive } = useConversationUnread(socket);

  const call = useCallback(async (request, update) => {
    try {
      const result = await request();
      update(result);
      setError(null);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }, []);
  const fetchNotifications = useCallback(() => call(api.fetchNotifications, setNotifications), [api, call]);
  const markAsRead = useCallback((id) => call(() => api.markAsRead(id), () => setNotifications((l) => l.map((n) => (n.id === id ? { ...n, read: true } : n)))), [api, call]);
  const markAllAsRead = useCallback(() => call(api.markAllAsRead, () => setNotifications((l) => l.map((n) => ({ ...n, read: true })))), [api, call]);
  const deleteNotification = useCallback((id) => call(() => api.deleteNotification(id), () => setNotifications((l) => l.filter((n) => n.id !== id))), [api, call]);

  useEffect(() => {
    if (token) fetchNotifications();
    else setNotifications([]);
  }, [token, fetchNotifications]);
  useEffect(() => socket.subscribe('notification', (m) => setNotifications((l) => [m.notification, ...l])), [socket.subscribe]);

  const value = useMemo(
    () => ({
      socket,
      unread,
      setActive,
      notifications: {
        notifications,
        unreadCount: notifications.filter((n) => !n.read).length,
        markAsRead,
        markAllAsRead,
        deleteNotification,
        fetchNotifications,
        fetchUnreadCount: fetchNotifications,
        isConnected: socket.status === 'open',
        error,
      },
    }),
    [socket, unread, setActive, notifications, markAsRead, markAllAsRead, deleteNotification, fetchNotifications, error],
  );
  return <NotificationContext.Provider value={value}>{children}</NotificationContext.Provider>;
}
