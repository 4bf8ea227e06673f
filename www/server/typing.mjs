// Typing on the unified endpoint: `{type:"typing", conversation_id, is_typing}` from a member
// of a conversation goes to the unified sockets of its other members as `{type:"typing",
// conversation_id, user_id, is_typing}` (`is_typing` absent: true). Typing is ephemeral: the
// frames are never numbered or kept, so a reconnect does not replay stale typists.

/** A conversation id as a number: a whole number, or a string of digits; else null. */
const idOf = (v) => (Number.isSafeInteger(v) || (typeof v === 'string' && /^\d{1,15}$/.test(v)) ? Number(v) : null);

/**
 * `membersOf(conversationId)` lists a conversation's users (none for an unknown id);
 * `send(user, frame)` writes to every unified socket of `user`. Returns `relay(user, frame)`.
 * @param {{membersOf(conversationId: number): string[], send(user: string, frame: object): void}} options
 */
export function createTyping({ membersOf, send }) {
  return function relay(user, frame) {
    const conversationId = idOf(frame.conversation_id);
    const isTyping = frame.is_typing ?? true;
    const members = membersOf(conversationId);
    if (typeof isTyping !== 'boolean' || !members.includes(user)) return;
    const typing = { type: 'typing', conversation_id: conversationId, user_id: user, is_typing: isTyping };
    for (const member of members) if (member !== user) send(member, typing);
  };
}
