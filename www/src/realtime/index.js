// The feature flag: components import their realtime hooks from here and never learn which
// implementation runs. Unified: realtime-context/react, one socket, chat sends acknowledged.
// Legacy: two contexts, one socket each.
import * as unified from 'realtime-context/react';
import * as legacy from '../legacy/hooks.js';
import { UNIFIED } from '../config.js';
import { useAckedConversation } from './delivery.js';

const impl = UNIFIED ? { ...unified, useConversation: useAckedConversation } : legacy;

export const { useNotifications, useRealtimeEvent, useConversation, useUnread, useConnectionStatus, useTyping, usePresence } = impl;
export { RealtimeRoot } from './RealtimeRoot.jsx';
