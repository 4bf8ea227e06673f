import { useAuth } from '../auth.jsx';

const ACTIONS = [
  ['Notification', 'notification'],
  ['Friend request', 'friend_request'],
  ['Friend request accepted', 'friend_accepted'],
  ['Message from Ada', 'message', { conversationId: 1 }],
  ['Message from Grace', 'message', { conversationId: 2 }],
  ['Message from Linus', 'message', { conversationId: 3 }],
  ['Burst: 200 messages from Grace', 'message', { conversationId: 2, count: 200 }],
];

/** Buttons that make the server emit sample events to this user, or drop the connection. */
export function SimulatePanel() {
  const { api } = useAuth();
  return (
    <section className="card">
      <h2>Simulate</h2>
      <div className="actions">
        {ACTIONS.map(([label, kind, extra]) => (
          <button key={label} type="button" onClick={() => api.simulate(kind, extra)}>
            {label}
          </button>
        ))}
        <button type="button" onClick={() => api.dropConnection()}>
          Drop my connection
        </button>
      </div>
    </section>
  );
}
