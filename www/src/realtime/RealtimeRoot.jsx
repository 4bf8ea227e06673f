// The providers behind the flag, as seed 000's App.tsx switches them.
import { RealtimeProvider } from 'realtime-context/react';
import { UNIFIED } from '../config.js';
import { FriendRequestProvider } from '../legacy/FriendRequestContext.jsx';
import { NotificationProvider } from '../legacy/NotificationContext.jsx';
import { DELIVERY_OPTIONS } from './delivery.js';

const UNIFIED_OPTIONS = {
  url: '/ws/realtime/',
  reconnect: { initialDelayMs: 500, maxDelayMs: 5000, maxAttempts: 30 },
  notify: { types: ['new_message'], titleKey: 'sender_name', bodyKey: 'message' },
  ...DELIVERY_OPTIONS,
};

/** Realtime for the app: `token` null means logged out; `api` is the REST client. */
export function RealtimeRoot({ token, api, children }) {
  if (UNIFIED) {
    return (
      <RealtimeProvider options={{ ...UNIFIED_OPTIONS, token }} api={api}>
        {children}
      </RealtimeProvider>
    );
  }
  return (
    <NotificationProvider token={token} api={api}>
      <FriendRequestProvider token={token}>{children}</FriendRequestProvider>
    </NotificationProvider>
  );
}
