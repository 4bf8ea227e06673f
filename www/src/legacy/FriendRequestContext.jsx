// Legacy FriendRequestContext (seed 000's "current state"): its own socket to
// /ws/friend-requests/, duplicating the connection logic of the notification one.
import { createContext } from 'react';
import { useSocket } from './useSocket.js';

export const FriendRequestContext = createContext(null);

/** One socket for friend-request updates, while `token` is set. */
export function FriendRequestProvider({ token, children }) {
  const socket = useSocket('/ws/friend-requests/', token);
  return <FriendRequestContext.Provider value={socket}>{children}</FriendRequestContext.Provider>;
}
