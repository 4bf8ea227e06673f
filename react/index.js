// realtime-context/react: React bindings for the one-socket-per-user RealtimeContext.
// Thin by design: state lives in the wasm context; hooks read it with useSyncExternalStore
// and re-render at most once per animation frame. Types: index.d.ts.
export { RealtimeProvider } from './provider.js';
export {
  useConnectionStatus,
  useConversation,
  useConversationMessages,
  useNotifications,
  usePresence,
  useRealtime,
  useRealtimeEvent,
  useTyping,
  useUnread,
} from './hooks.js';
export {
  useWebSocketChat,
  useWebSocketConnections,
  useWebSocketFeed,
  useWebSocketNotifications,
  useWebSocketOnline,
} from './feature-hooks.js';
