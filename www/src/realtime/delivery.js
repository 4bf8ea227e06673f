// The delivery guarantees on the unified socket, whose server follows their rules: message ids
// (duplicates dropped, missed messages replayed after a reconnect) and acknowledged chat sends.
import { useCallback } from 'react';
import { useConversation, useRealtime } from 'realtime-context/react';
import { USER } from '../config.js';

/**
 * Added to the unified socket's options. `userKey`: unacked sends kept over a reload are
 * written again only by a page of the same demo user.
 */
export const DELIVERY_OPTIONS = { idKey: 'id', resume: true, ack: true, userKey: USER };

/**
 * `useConversation` of realtime-context/react whose `sendMessage(id, text, type?)` goes
 * through `sendAcked`: the frame stays in the outbox until the server acks it, across
 * reconnects and reloads. Returns whether the socket was open (as `send` returns whether it
 * wrote at once); throws while there is no context or when the queue is full.
 */
export function useAckedConversation(conversationId, onMessage) {
  const conversation = useConversation(conversationId, onMessage);
  const { context } = useRealtime();
  const { isConnected } = conversation;
  const sendMessage = useCallback(
    (id, text, type = 'TEXT') => {
      if (!context) throw new Error('realtime-context: no connection yet');
      // A rejection (no ack in time, or the context freed) leaves the message unconfirmed;
      // the chat shows what the server echoes, so there is nothing to undo here.
      context.sendAcked({ conversation_id: id, message: text, type }).catch(() => {});
      return isConnected;
    },
    [context, isConnected],
  );
  return { ...conversation, sendMessage };
}
