// The demo's data, in memory: users and their tokens, notifications, friend requests and the
// messages of three conversations per user (every user is a member of all three). Changes are
// announced through `publish`, which the socket layer delivers to the user's sockets of a channel.
import { randomBytes } from 'node:crypto';

/** The three conversations every demo user has, with the peer who writes in each. */
export const CONVERSATIONS = [
  { id: 1, title: 'Ada Lovelace', peer: 'Ada' },
  { id: 2, title: 'Grace Hopper', peer: 'Grace' },
  { id: 3, title: 'Linus Torvalds', peer: 'Linus' },
];

/**
 * The full name of the demo user `name` (a user id: the login name): the title of the
 * conversation of that peer (`ada` → "Ada Lovelace"), else the name capitalized (`bob` → "Bob").
 */
export function fullNameOf(name) {
  const conversation = CONVERSATIONS.find((c) => c.peer.toLowerCase() === name);
  return conversation?.title ?? name.charAt(0).toUpperCase() + name.slice(1);
}

const SAMPLES = [
  ['Post Comment', 'commented on your post'],
  ['Post Praise', 'praised your post'],
  ['Post Critique', 'left a critique on your post'],
  ['Post Trophy', 'gave your post a trophy'],
];

/**
 * A fresh store. `publish(user, channel, frame)` is called for every live event, with
 * channel `notifications` (notifications and chat) or `friend_requests`.
 */
export function createState(publish) {
  const secret = randomBytes(6).toString('hex');
  const users = new Map();
  let nextId = 1;
  const id = () => nextId++;
  const now = () => new Date().toISOString();
  const peer = (n) => CONVERSATIONS[n % CONVERSATIONS.length].peer;

  const user = (name) => {
    if (!users.has(name)) users.set(name, { name, notifications: [], requests: [], messages: new Map(CONVERSATIONS.map((c) => [c.id, []])) });
    return users.get(name);
  };
  const notify = (name, type, actor, text) => {
    const notification = { id: id(), notification_object_type: type, actor, message: `${actor} ${text}`, created_at: now(), read: false };
    user(name).notifications.unshift(notification);
    publish(name, 'notifications', { type: 'notification', notification });
    return notification;
  };
  const requestsChanged = (name, action, friendRequest) => {
    const count = user(name).requests.length;
    publish(name, 'friend_requests', { type: 'friend_request_update', action, friend_request: friendRequest, count });
  };

  const addMessage = (name, cid, sender, text) => {
    const list = user(name).messages.get(Number(cid));
    if (!list || typeof text !== 'string') return null;
    const message = { type: 'new_message', conversation_id: Number(cid), message_id: id(), sender_name: sender, message: text, created_at: now() };
    list.push(message);
    publish(name, 'notifications', message);
    return message;
  };

  return {
    /** The token of `name` (the same on every login while the server runs). */
    tokenFor: (name) => `${name}.${secret}`,
    /** The user name a token belongs to, or null. */
    userOf(token) {
      const [name, rest] = String(token ?? '').split('.');
      return name && rest === secret ? user(name).name : null;
    },
    notifications: (name) => user(name).notifications,
    markRead(name, nid) {
      const n = user(name).notifications.find((x) => x.id === nid);
      if (n) n.read = true;
      return Boolean(n);
    },
    markAllRead: (name) => user(name).notifications.forEach((n) => { n.read = true; }),
    deleteNotification(name, nid) {
      const list = user(name).notifications;
      const at = list.findIndex((n) => n.id === nid);
      if (at >= 0) list.splice(at, 1);
      return at >= 0;
    },
    requests: (name) => user(name).requests,
    /** Accepts or declines an incoming friend request; false if it does not exist. */
    answerRequest(name, rid, accept) {
      const list = user(name).requests;
      const at = list.findIndex((r) => r.id === rid);
      if (at < 0) return false;
      const [request] = list.splice(at, 1);
      requestsChanged(name, accept ? 'you_accepted' : 'you_declined', request);
      return true;
    },
    messages: (name, cid) => user(name).messages.get(cid) ?? null,
    /** The users in conversation `cid`: every demo user has the three; none for another id. */
    members: (cid) => (CONVERSATIONS.some((c) => c.id === cid) ? [...users.keys()] : []),
    /** Stores a chat message and delivers it as `new_message`; null for an unknown conversation. */
    addMessage,
    /** Emits a sample event: `notification`, `friend_request`, `friend_accepted` or `message`. */
    emit(name, kind, { conversationId = 1, text } = {}) {
      const n = id();
      switch (kind) {
        case 'notification': {
          const [type, verb] = SAMPLES[n % SAMPLES.length];
          return notify(name, type, peer(n), verb);
        }
        case 'friend_request': {
          const request = { id: n, from: peer(n), created_at: now() };
          user(name).requests.unshift(request);
          requestsChanged(name, 'received', request);
          return request;
        }
        case 'friend_accepted': {
          const request = { id: n, to: peer(n), created_at: now() };
          requestsChanged(name, 'accepted', request);
          notify(name, 'Friend Request Accepted', request.to, 'accepted your friend request');
          return request;
        }
        case 'message': {
          const conversation = CONVERSATIONS.find((c) => c.id === Number(conversationId));
          if (!conversation) return null;
          return addMessage(name, conversation.id, conversation.peer, text ?? `Hello from ${conversation.peer} (#${n})`);
        }
        default:
          return null;
      }
    },
  };
}
