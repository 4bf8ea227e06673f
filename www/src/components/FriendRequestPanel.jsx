import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '../auth.jsx';
import { useRealtimeEvent } from '../realtime/index.js';
import { useToast } from './Toasts.jsx';

/** Incoming friend requests: refetched on every `friend_request_update`; toasts on acceptance. */
export function FriendRequestPanel() {
  const { api } = useAuth();
  const toast = useToast();
  const [requests, setRequests] = useState([]);
  const [error, setError] = useState(null);
  const refetch = useCallback(() => {
    api.friendRequests().then(setRequests, setError);
  }, [api]);
  useEffect(refetch, [refetch]);
  useRealtimeEvent('friend_request_update', (update) => {
    refetch();
    if (update.action === 'accepted') toast(`${update.friend_request?.to ?? 'Someone'} accepted your friend request`);
  });
  const answer = (id, accept) => api.answerRequest(id, accept).then(refetch, setError);
  return (
    <section className="card" data-testid="friend-requests">
      <h2>Friend requests</h2>
      {error && <p className="error">{error.message}</p>}
      {requests.length === 0 && <p className="muted">No pending requests.</p>}
      <ul>
        {requests.map((r) => (
          <li key={r.id} data-testid="friend-request">
            <span>{r.from} wants to be your friend</span>
            <button type="button" onClick={() => answer(r.id, true)}>
              Accept
            </button>
            <button type="button" className="link" onClick={() => answer(r.id, false)}>
              Decline
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
