// A stand-in for RealtimeContext with typing and presence as the README describes them (its API table),
// installed as the context react/lease.js builds (tests/support/react-node.mjs). `receive(frame)`
// is a frame arriving on the socket: it updates the typists and the online users, fires
// `onTyping`/`onPresence`, then reaches `on` and `onConversation` listeners (the wasm routes first;
// signals first is the order in which a name read from a `user_online` frame would come too late
// for a hook that reported the user at the signal).
// Simplified: a start is throttled until the stop (the throttle window never ends), and typists
// expire only when the test says so (`expire`).
import { fakeRealtime } from './react-node.mjs';

/** Every fake context made, in order. */
export const contexts = [];

const same = (a, b) => String(a) === String(b);

/** The fake context; `options.conversationKey` names a frame's conversation, as in the real one. */
export class FakeContext {
  constructor(options) {
    this.options = options;
    this.conversationKey = options.conversationKey ?? 'conversation_id';
    this.state = { status: 'connecting', attempt: 0, nextRetryInMs: null, error: null, since: 0 };
    /** Frames written (typing frames and `send`s), in order. */
    this.sent = [];
    /** Each `setActiveConversation` id, in order. */
    this.active = [];
    this.listeners = new Set();
    this.signals = { state: new Set(), typing: new Set(), presence: new Set() };
    /** Conversation id as a string → its typists, in the order they started. */
    this.typists = new Map();
    this.online = [];
    /** Conversations (as strings) where this user's start went out and no stop yet. */
    this.typing = new Set();
    this.freed = false;
    contexts.push(this);
  }

  signal(name, callback, now) {
    this.signals[name].add(callback);
    if (now) callback(this.state);
    return () => this.signals[name].delete(callback);
  }

  emit(name, value) {
    for (const callback of [...this.signals[name]]) callback(value);
  }

  onState(callback) { return this.signal('state', callback, true); }
  onTyping(callback) { return this.signal('typing', callback); }
  onPresence(callback) { return this.signal('presence', callback); }
  onUnread() { return () => {}; }
  onNotifications() { return () => {}; }
  notifications() { return []; }
  setActiveConversation(id) { this.active.push(id); }
  on(type, callback) { return this.listen('on', type, callback); }
  onConversation(id, callback) { return this.listen('onConversation', id, callback); }

  listen(method, key, callback) {
    const listener = { method, key, callback };
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many `on`/`onConversation` listeners there are now. */
  get listening() {
    return this.listeners.size;
  }

  /** A new array at each call, as the wasm's getter gives. */
  typingUsers(id) {
    if (!(typeof id === 'string' || Number.isFinite(id))) throw new Error('typingUsers(conversationId): bad id');
    return [...(this.typists.get(String(id))?.users ?? [])];
  }

  onlineUsers() { return [...this.online]; }

  setTyping(id, isTyping) {
    if (!(typeof id === 'string' || Number.isFinite(id)) || typeof isTyping !== 'boolean') throw new Error('setTyping(conversationId, isTyping): bad arguments');
    if (this.state.status !== 'open' || isTyping === this.typing.has(String(id))) return false;
    if (isTyping) this.typing.add(String(id));
    else this.typing.delete(String(id));
    this.sent.push({ type: 'typing', [this.conversationKey]: id, is_typing: isTyping });
    return true;
  }

  send(data) {
    this.sent.push(data);
    return this.state.status === 'open';
  }

  /** A frame arriving on the socket. */
  receive(frame) {
    if (frame.type === 'typing') this.typed(frame[this.conversationKey], frame.user_id, frame.is_typing ?? true);
    if (frame.type === 'user_online' && !this.online.some((u) => same(u, frame.user_id))) this.presence([...this.online, frame.user_id]);
    if (frame.type === 'user_offline') this.presence(this.online.filter((u) => !same(u, frame.user_id)));
    if (frame.type === 'online_users') this.presence(frame.users.map((u) => (typeof u === 'object' ? u.user_id : u)));
    for (const { method, key, callback } of [...this.listeners]) {
      if (method === 'on' ? key === frame.type || key === '*' : same(key, frame[this.conversationKey])) callback(frame);
    }
  }

  /** A typist of `conversation` not refreshed in time. */
  expire(conversation, user) {
    this.typed(conversation, user, false);
  }

  typed(conversation, user, isTyping) {
    const entry = this.typists.get(String(conversation)) ?? { id: conversation, users: [] };
    const had = entry.users.some((u) => same(u, user));
    if (had === isTyping) return;
    entry.users = isTyping ? [...entry.users, user] : entry.users.filter((u) => !same(u, user));
    this.typists.set(String(conversation), entry);
    this.emit('typing', { conversationId: entry.id, users: [...entry.users] });
  }

  presence(users) {
    if (users.length === this.online.length && users.every((u, i) => same(u, this.online[i]))) return;
    this.online = users;
    this.emit('presence', [...users]);
  }

  /** The connection's status changes; leaving `open` clears typists and online users. */
  setStatus(status) {
    this.state = { ...this.state, status };
    this.emit('state', this.state);
    if (status === 'open') return;
    this.typing.clear();
    for (const entry of this.typists.values()) {
      if (!entry.users.length) continue;
      entry.users = [];
      this.emit('typing', { conversationId: entry.id, users: [] });
    }
    this.presence([]);
  }

  setToken() {}
  setTokenProvider() {}
  retry() {}
  connect() {}
  logoutEverywhere() { this.setStatus('closed'); }
  free() { this.freed = true; }
}

fakeRealtime({ Context: FakeContext });
