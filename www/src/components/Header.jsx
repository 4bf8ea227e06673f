import { useState } from 'react';
import { useAuth } from '../auth.jsx';
import { otherModeUrl, UNIFIED } from '../config.js';
import { useUnread } from '../realtime/index.js';
import { NotificationDropdown } from './NotificationDropdown.jsx';
import { OnlineUsers } from './OnlineUsers.jsx';

function DesktopNotifications() {
  const [permission, setPermission] = useState(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission));
  if (permission !== 'default') return null;
  return (
    <button type="button" className="link" onClick={() => Notification.requestPermission().then(setPermission)}>
      Enable desktop notifications
    </button>
  );
}

/** Title, mode switch, who is online, unread messages, notifications and the login state. */
export function Header() {
  const { user, token, login, logout } = useAuth();
  const unread = useUnread();
  return (
    <header className="header">
      <h1>realtime-context demo</h1>
      <span className={`mode ${UNIFIED ? 'unified' : 'legacy'}`} data-testid="mode">
        {UNIFIED ? 'Unified: 1 WebSocket' : 'Legacy: 2 WebSockets'}
      </span>
      <a href={otherModeUrl()}>switch to {UNIFIED ? 'legacy' : 'unified'}</a>
      <span className="spacer" />
      <OnlineUsers />
      <DesktopNotifications />
      <span className="messages">
        Unread messages: <span data-testid="total-unread">{unread}</span>
      </span>
      <NotificationDropdown />
      <span className="user">{user}</span>
      {token ? (
        <button type="button" onClick={logout} data-testid="logout">
          Log out
        </button>
      ) : (
        <button type="button" onClick={login}>
          Log in
        </button>
      )}
    </header>
  );
}
