// The benchmark's messages: a deterministic mix of 6 types over 20 conversations, 150-250 bytes
// of JSON each. Message i is the same text in the page and in Node (no randomness from outside).
// In-app notifications ({type: "notification", notification: {id, ...}}, a new id each) are 15%
// of the mix and chat messages (`new_message`, with a conversation_id) 40%: with the package's
// default options both do work beyond routing (the notification store, the unread counts).

/** Route types, their share of traffic and how many listeners each gets (1-2). */
export const TYPES = [
  { type: 'new_message', share: 0.40, listeners: 2, conversation: true },
  { type: 'notification', share: 0.15, listeners: 1, conversation: false },
  { type: 'typing', share: 0.19, listeners: 1, conversation: true },
  { type: 'read_receipt', share: 0.11, listeners: 1, conversation: true },
  { type: 'user_online', share: 0.09, listeners: 2, conversation: false },
  { type: 'friend_request', share: 0.06, listeners: 1, conversation: false },
];
const KINDS = ['friend_request', 'mention', 'like', 'comment'];
export const CONVERSATIONS = Array.from({ length: 20 }, (_, k) => 1001 + k);

const WORDS = 'ok see you at the meeting tomorrow sounds good thanks for the update can you send me the file when you get a chance lunch later'.split(' ');

// mulberry32 seeded from the message index: message i never depends on message i-1.
function rng(seed) {
  let a = (seed * 0x9e3779b1) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(r) {
  let x = r();
  for (const t of TYPES) if ((x -= t.share) < 0) return t;
  return TYPES[0];
}

/** The parsed form of message i (before padding), with `seq: i`. */
function fields(i, r) {
  const t = pick(r);
  const conversation_id = CONVERSATIONS[Math.floor(r() * CONVERSATIONS.length)];
  const user = { id: 10 + Math.floor(r() * 5000), username: 'user' + Math.floor(r() * 100000) };
  switch (t.type) {
    case 'new_message':
      return { type: t.type, seq: i, conversation_id, message_id: 100000 + i, sender_id: user.id, sender_name: user.username, sent_at: '2025-11-22T08:00:00Z', message: '' };
    case 'typing':
      return { type: t.type, seq: i, conversation_id, user_id: user.id, username: user.username, is_typing: r() < 0.7, client: '' };
    case 'read_receipt':
      return { type: t.type, seq: i, conversation_id, message_id: 100000 + Math.floor(r() * i), user_id: user.id, read_at: '2025-11-22T08:00:01Z', client: '' };
    case 'notification':
      return {
        type: t.type, seq: i,
        notification: { id: 1_000_000 + i, kind: KINDS[Math.floor(r() * KINDS.length)], actor_id: user.id, actor: user.username, created_at: '2025-11-22T08:00:02Z', text: '' },
      };
    case 'user_online':
      return { type: t.type, seq: i, user_id: user.id, full_name: 'User ' + user.username, last_seen: '2025-11-22T07:59:00Z', avatar: '' };
    default:
      return { type: t.type, seq: i, request_id: 5000 + i, from_user: user, avatar: '' };
  }
}

/**
 * The JSON text of message i: 150-250 bytes, its last string field (a notification's `text`)
 * padded with words to reach its length.
 */
export function messageText(i) {
  const r = rng(i + 1);
  const m = fields(i, r);
  const target = 150 + Math.floor(r() * 101);
  const holder = m.notification ?? m;
  const pad = Object.keys(holder).at(-1);
  let text = JSON.stringify(m);
  while (text.length < target) {
    holder[pad] += (holder[pad] ? ' ' : '') + WORDS[Math.floor(r() * WORDS.length)];
    text = JSON.stringify(m);
  }
  if (text.length > 250) holder[pad] = holder[pad].slice(0, holder[pad].length - (text.length - 250));
  return JSON.stringify(m);
}
