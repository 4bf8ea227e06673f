import { useAuth } from '../auth.jsx';
import { RealtimeRoot } from '../realtime/index.js';
import { ConnectionBanner } from './ConnectionBanner.jsx';
import { FriendRequestPanel } from './FriendRequestPanel.jsx';
import { Header } from './Header.jsx';
import { Inbox } from './Inbox.jsx';
import { SimulatePanel } from './SimulatePanel.jsx';
import { ToastProvider } from './Toasts.jsx';

/** The demo page: the same components on either realtime implementation. */
export function App() {
  const { token, api, user, login, error } = useAuth();
  return (
    <ToastProvider>
      <RealtimeRoot token={token} api={api}>
        <Header />
        <ConnectionBanner />
        {token ? (
          <main className="layout">
            <Inbox />
            <aside>
              <FriendRequestPanel />
              <SimulatePanel />
            </aside>
          </main>
        ) : (
          <main className="logged-out">
            <p>{error ? `Login failed: ${error.message}` : `Logged out.`}</p>
            <button type="button" onClick={login} data-testid="login">
              Log in as {user}
            </button>
          </main>
        )}
      </RealtimeRoot>
    </ToastProvider>
  );
}
