import { useEffect, useState } from 'react';
import { useAuth } from '../auth.jsx';
import { displayName } from '../names.js';
import { usePresence } from '../realtime/index.js';

/**
 * A dot per other user this page has seen online, green while online and grey once offline,
 * in the order they were first seen. Nothing while nobody was (as in the legacy mode).
 */
export function OnlineUsers() {
  const { user } = useAuth();
  const { onlineUsers, isOnline } = usePresence();
  const [seen, setSeen] = useState([]);
  useEffect(() => {
    setSeen((list) => {
      const added = onlineUsers.filter((id) => id !== user && !list.includes(id));
      return added.length ? [...list, ...added] : list;
    });
  }, [onlineUsers, user]);
  if (seen.length === 0) return null;
  return (
    <ul className="people" aria-label="Users">
      {seen.map((id) => {
        const online = isOnline(id);
        return (
          <li key={id} className={online ? 'online' : 'offline'} data-testid={`online-${id}`} title={`${displayName(id)}: ${online ? 'online' : 'offline'}`}>
            <span className="dot" aria-hidden="true" />
            {displayName(id)}
          </li>
        );
      })}
    </ul>
  );
}
