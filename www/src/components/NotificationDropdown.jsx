import { useState } from 'react';
import { useNotifications } from '../realtime/index.js';

/** The bell: unread badge, and a list with mark read, mark all read and delete. */
export function NotificationDropdown() {
  const { notifications, unreadCount, markAsRead, markAllAsRead, deleteNotification, error } = useNotifications();
  const [open, setOpen] = useState(false);
  return (
    <div className="dropdown">
      <button type="button" className="bell" onClick={() => setOpen(!open)} data-testid="notif-toggle" aria-label="Notifications">
        <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {unreadCount > 0 && (
          <span className="badge" data-testid="notif-badge">
            {unreadCount}
          </span>
        )}
      </button>
      {open && (
        <div className="panel">
          <div className="panel-head">
            <strong>Notifications</strong>
            <button type="button" className="link" onClick={markAllAsRead} disabled={unreadCount === 0} data-testid="notif-mark-all">
              Mark all as read
            </button>
          </div>
          {error && (
            <p className="error" data-testid="notif-error">
              {error.message ?? String(error)}
            </p>
          )}
          {notifications.length === 0 && <p className="muted">Nothing yet.</p>}
          <ul>
            {notifications.map((n) => (
              <li key={n.id} className={n.read ? 'read' : 'unread'} data-testid="notif-item">
                <span>{n.message}</span>
                {!n.read && (
                  <button type="button" className="link" onClick={() => markAsRead(n.id)}>
                    mark read
                  </button>
                )}
                <button type="button" className="link" onClick={() => deleteNotification(n.id)} aria-label="Delete">
                  ✕
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
