// RealtimeContext, the public class: the browser's side of one realtime connection. It owns the
// listener functions and the notifications, leaves the socket and the timer to its Driver, and
// carries out what the wasm core decides. Per message it parses the frame, reads the route and
// the conversation, and calls the listeners the core's direct table lists for the route, or
// crosses into wasm once, with numbers, when the core has more to decide; the core writes its
// decision into wasm memory.
import { Core, floats, words } from './wasm.js';
import { CONNECT, DISCONNECT, Driver, RETRY, now } from './driver.js';
import { Inbox } from './inbox.js';
import { keyOf, Texts } from './keys.js';
import { Notifier, permitted, refreshPermission, requestPermission } from './notifier.js';
import { readOptions, toJson } from './options.js';
import { socketUrl } from './url.js';

const STATUS = ['idle', 'connecting', 'open', 'reconnecting', 'closed'];
/** Texts of the core's `ConnectionError`s, in its order; the code or count follows. */
const ERRORS = [
  'unauthorized: the server closed with code ',
  'gave up reconnecting; failed attempts: ',
  'connection lost with close code ',
  'connection attempt failed with close code ',
  'connection dropped with close code ',
];
const MALFORMED = {
  binary_frame: 'binary frame dropped: only JSON text frames are routed',
  invalid_json: 'frame dropped: not valid JSON',
  not_an_object: 'message dropped: not a JSON object',
  missing_route_key: 'message dropped: its route key is missing or not a string',
};
// Topics of Core.subscribe; signals in the order of the core's `Signal`.
const TYPE = 0;
const ANY = 1;
const SIGNAL = 2;
const STATE = 0;
const ERROR = 1;
const UNREAD = 2;
const NOTIFICATIONS = 3;
const CLICK = 4;
// A decision buffer (32-bit words): listener count, flags, an unread change or the active
// conversation (count, total, id bits, id low, id high, 0), then slot and seq per listener.
const LISTENERS = 8;
const NOTIFY_FLAG = 1;
const UNREAD_FLAG = 2;

const isRead = (n) => n.read === true || n.is_read === true;

/** The message of a thrown value. */
function describe(thrown) {
  if (thrown instanceof Error) return thrown.message;
  try {
    return String(thrown);
  } catch {
    return 'a value that cannot be shown';
  }
}

function usedAfterFree() {
  throw new Error('RealtimeContext: used after free()');
}

/** What a context's core becomes at `free()`: any later use throws a clear error. */
const FREED = new Proxy({}, { get: usedAfterFree, set: usedAfterFree });

function check(callback, name) {
  if (typeof callback !== 'function') throw new Error(name + ': callback must be a function');
}

/** One realtime connection per user: create it once, subscribe from anywhere. */
export class RealtimeContext {
  #core;
  /** Word index of the core's direct table (see `Core.table`), moved by every (un)subscribe. */
  #table = 0;
  /** What messages of each registered route value need, read from the table when first routed. */
  #routes = Object.create(null);
  /** What messages of any route value nobody registered need (null: not read yet). */
  #unknownRoute = null;
  /** Counts removals of listeners: a dispatch rechecks what it read out only after one. */
  #removals = 0;
  #fns = [];
  #seqs = [];
  #types = Object.create(null);
  #typeCount = 0;
  #notifyTypes;
  #texts = new Texts();
  #inbox;
  #routeKey;
  #conversationKey;
  #notificationType;
  #notificationKey;
  #driver;
  #queueMax;
  #freed = false;
  #notifier = null;
  #snapshot = null;
  #anonymous = 0;
  #onVisibility = null;

  /**
   * Validates `options` (see the README's table) and returns an idle context. Throws an `Error`
   * naming the key of any unknown or mistyped option, or a bad URL.
   */
  constructor(options) {
    const o = readOptions(options);
    // Checked before the core is allocated: a bad URL throws with nothing to free.
    const url = socketUrl(o.url, o.token, o.tokenParam);
    this.#routeKey = o.routeKey;
    this.#conversationKey = o.conversationKey;
    this.#notificationKey = o.notificationKey;
    this.#queueMax = o.queueMax;
    const { reconnect: r, heartbeat: h } = o;
    const pong = h ? this.#typeId(h.pongType) : -1;
    const notify = (o.notify?.types ?? []).map((t) => this.#typeId(t));
    this.#notifyTypes = new Set(notify);
    this.#notificationType = this.#typeId(o.notificationType);
    this.#inbox = new Inbox(o.maxNotifications);
    const delays = r?.delaysMs ?? [];
    this.#core = new Core([
      o.connectTimeoutMs,
      r ? 1 : 0, r?.initialDelayMs ?? 0, r?.maxDelayMs ?? 0, r?.multiplier ?? 0, r?.jitter ?? 0, Math.min(r?.maxAttempts ?? 0, 4294967295),
      h ? 1 : 0, h?.intervalMs ?? 0, h?.timeoutMs ?? 0,
      o.queueMax, pong, Math.random() * 2 ** 53, now(), delays.length, ...delays, ...notify,
    ]);
    this.#tableChanged();
    this.#driver = new Driver(this.#core, url, o, {
      frame: (generation, data) => this.#frame(generation, data),
      state: () => this.#signal(STATE, () => this.state),
      error: (thrown) => this.#report('socket', describe(thrown)),
    });
    if (o.notify) this.#notifier = new Notifier(o.notify, (message) => this.#signal(CLICK, () => message));
    if (globalThis.document) {
      this.#onVisibility = () => this.#visibilityChanged();
      document.addEventListener('visibilitychange', this.#onVisibility);
      this.#core.set_visible(document.visibilityState === 'visible');
    }
  }

  // ---- connection ----

  /** Opens the socket unless it is already open, connecting or retrying. */
  connect() {
    this.#driver.input(CONNECT);
  }

  /** Closes with code 1000 and cancels any retry; listeners and the queue are kept. */
  disconnect() {
    this.#driver.input(DISCONNECT);
  }

  /** Reconnects now with the attempt counter reset (also after giving up); nothing while open. */
  retry() {
    this.#driver.input(RETRY);
  }

  /**
   * Replaces the token (`null`: none) for every later connection attempt; an open socket is kept.
   * Throws if `token` is not a string.
   */
  setToken(token) {
    if (token != null && typeof token !== 'string') throw new Error('setToken(token): token must be a string or null');
    this.#driver.setToken(token ?? null);
  }

  /** `{status, attempt, nextRetryInMs, error, since}`. */
  get state() {
    const at = this.#core.state() >>> 3;
    const [status, attempt, next, since, error, n] = floats().subarray(at, at + 6);
    return {
      status: STATUS[status],
      attempt,
      nextRetryInMs: next < 0 ? null : next,
      error: error < 0 ? null : ERRORS[error] + n,
      since: Math.floor(Date.now() - (performance.now() - since) + 0.5),
    };
  }

  /** Calls `callback(state)` now and on every change of `state`. Returns an unsubscribe function. */
  onState(callback) {
    const off = this.#onSignal(STATE, callback, 'onState(callback)');
    try {
      callback(this.state);
    } catch (e) {
      this.#threw(e);
    }
    return off;
  }

  /**
   * Sends an object (as JSON) or a string. Returns `true` if written now, `false` if queued until
   * the socket opens; throws when the queue is full (nothing is dropped silently).
   */
  send(data) {
    let frame = data;
    if (typeof data === 'object' && data !== null) {
      frame = toJson(data);
      if (frame === undefined) throw new Error('send(data): the object could not be serialized as JSON');
    } else if (typeof data !== 'string') {
      throw new Error('send(data): expected an object or a string');
    }
    const sent = this.#driver.send(frame);
    if (sent < 0) throw new Error('send: the queue is full (queue.maxMessages = ' + this.#queueMax + '); the message was not sent');
    return sent > 0;
  }

  /** Sends `{conversation_id, message, type}` (the first key follows `conversationKey`); as `send`. */
  sendMessage(conversationId, text, type) {
    if (keyOf(conversationId) === undefined) {
      throw new Error('sendMessage(conversationId, text): conversationId must be a string or a finite number');
    }
    if (typeof text !== 'string') throw new Error('sendMessage(conversationId, text): text must be a string');
    return this.send({ [this.#conversationKey]: conversationId, message: text, type: type ?? 'TEXT' });
  }

  /** `{messagesIn, messagesOut, bytesIn, bytesOut, reconnects, malformedDropped, listenerErrors, queued, lastRttMs}`. */
  stats() {
    const at = this.#core.stats() >>> 3;
    const s = floats().subarray(at, at + 9);
    return {
      messagesIn: s[0], messagesOut: s[1], bytesIn: s[2], bytesOut: s[3], reconnects: s[4],
      malformedDropped: s[5], listenerErrors: s[6], queued: s[7], lastRttMs: s[8] < 0 ? null : s[8],
    };
  }

  /**
   * Closes the socket, cancels the timer and drops every callback and queued frame; nothing is
   * called afterwards, even by a dispatch in progress. Safe inside a callback; any later use of
   * the context throws.
   */
  free() {
    if (this.#freed) return;
    this.#freed = true;
    this.#driver.stop();
    if (this.#onVisibility) document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#notifier?.dispose();
    this.#core.free();
    // Each later use of what these held throws.
    this.#core = this.#routes = this.#notifier = this.#inbox = this.#driver = FREED;
    this.#snapshot = null;
    this.#fns = [];
    this.#seqs = [];
    this.#removals++;
  }

  // ---- listeners and routing ----

  /** Calls `callback(message)` for every message whose route key equals `type` (`"*"`: all). */
  on(type, callback) {
    check(callback, 'on(type, callback)');
    if (typeof type !== 'string') throw new Error('on(type, callback): type must be a string');
    const id = type === '*' ? this.#core.subscribe(ANY, 0) : this.#core.subscribe(TYPE, this.#typeId(type));
    return this.#listen(id, callback);
  }

  /** Calls `callback(message)` for every message of conversation `id` (`123` and `"123"` are one). */
  onConversation(id, callback) {
    check(callback, 'onConversation(id, callback)');
    const ids = this.#ids(id, true);
    if (!ids) throw new Error('onConversation(id, callback): id must be a string or a finite number');
    return this.#listen(this.#core.subscribe_conversation(ids[0], ids[1]), callback);
  }

  /** Calls `callback({kind, message})` for non-fatal problems. Returns an unsubscribe function. */
  onError(callback) {
    return this.#onSignal(ERROR, callback, 'onError(callback)');
  }

  /** Routes a frame as if it had arrived on the socket: JSON text, or a parsed object or array. */
  receive(data) {
    this.#live();
    this.#route(data);
  }

  // ---- unread counts and browser notifications ----

  /** Makes `id` (`null`: none) the conversation the user is looking at. */
  setActiveConversation(id) {
    const ids = id == null ? [NaN, -1] : this.#ids(id, true);
    if (!ids) throw new Error('setActiveConversation(id): id must be a string, a finite number or null');
    this.#afterRead(id ?? null, this.#core.set_active(ids[0], ids[1], typeof id === 'string'));
  }

  /** The active conversation's id as it was given, or `null`. */
  get activeConversation() {
    return this.#idAt(words(), this.#core.active() >>> 2);
  }

  /** Unread messages of conversation `id` (0 when unknown). */
  unreadCount(id) {
    this.#live();
    const ids = this.#ids(id, false);
    return ids ? this.#core.unread(ids[0], ids[1]) : 0;
  }

  /** Unread messages over all conversations. */
  get totalUnread() {
    return words()[(this.#core.active() >>> 2) + 3];
  }

  /** Sets the unread count of conversation `id` to 0. */
  markRead(id) {
    this.#live();
    const ids = this.#ids(id, false);
    if (ids) this.#afterRead(id, this.#core.mark_read(ids[0], ids[1]));
  }

  /** Calls `callback({conversationId, count, total})` whenever an unread count changes. */
  onUnread(callback) {
    return this.#onSignal(UNREAD, callback, 'onUnread(callback)');
  }

  /** Asks for permission to show browser notifications. */
  requestNotificationPermission() {
    this.#live();
    return requestPermission();
  }

  /** Sets `formatter(message)` → `{title, body, icon?, tag?}` or `null`; `null` restores the default. */
  setNotificationFormatter(formatter) {
    if (formatter != null) check(formatter, 'setNotificationFormatter(formatter)');
    if (this.#notifier) this.#notifier.formatter = formatter ?? null;
  }

  /** Calls `callback(message)` when a browser notification is clicked. */
  onNotificationClick(callback) {
    return this.#onSignal(CLICK, callback, 'onNotificationClick(callback)');
  }

  // ---- the in-app notification store ----

  /** The in-app notifications, newest first, each plus `read`: the same frozen array until a change. */
  notifications() {
    this.#snapshot ??= Object.freeze(this.#inbox.items.map((i) => ({ ...i.value, read: i.read })));
    return this.#snapshot;
  }

  /** How many in-app notifications are unread. */
  get unreadNotifications() {
    return this.#inbox.unread;
  }

  /** Merges a list fetched over REST (newest first) with what arrived live, by `id`. */
  setNotifications(list) {
    if (!Array.isArray(list) || list.some((n) => typeof n !== 'object' || n === null)) {
      throw new Error('setNotifications(list): list must be an array of notification objects');
    }
    this.#inbox.setFetched(list.map((n) => ({ key: this.#storeKey(n), value: n, read: isRead(n) })));
    this.#inboxChanged();
  }

  /** Marks the in-app notification `id` read. */
  markNotificationRead(id) {
    if (this.#inbox.markRead(keyOf(id))) this.#inboxChanged();
  }

  /** Marks every in-app notification read. */
  markAllNotificationsRead() {
    if (this.#inbox.markAllRead()) this.#inboxChanged();
  }

  /** Removes the in-app notification `id`. */
  removeNotification(id) {
    if (this.#inbox.remove(keyOf(id))) this.#inboxChanged();
  }

  /** Calls `callback(notifications)` whenever the in-app store changes. */
  onNotifications(callback) {
    return this.#onSignal(NOTIFICATIONS, callback, 'onNotifications(callback)');
  }

  // ---- the per-message path ----

  /** A frame that arrived on the socket of `generation`. */
  #frame(generation, data) {
    if (this.#freed) return;
    const text = typeof data === 'string';
    if (!this.#core.heard(generation, text ? data.length : data.byteLength ?? 0)) return;
    if (text) this.#route(data);
    else this.#malformed('binary_frame');
  }

  /** A frame: one message, or a batch routed element by element. */
  #route(data) {
    let frame = data;
    if (typeof data === 'string') {
      try {
        frame = JSON.parse(data);
      } catch {
        return this.#malformed('invalid_json');
      }
    }
    if (!Array.isArray(frame)) return this.#message(frame);
    for (let i = 0, n = frame.length; i < n && !this.#freed; i++) {
      if (Array.isArray(frame[i])) this.#malformed('not_an_object');
      else this.#message(frame[i]);
    }
  }

  /**
   * The per-message path: the listeners the direct table lists for the route (read once, then
   * kept until the next (un)subscribe), or, when the core has more to decide, those of one call
   * into wasm; in order.
   */
  #message(msg) {
    if (typeof msg !== 'object' || msg === null) return this.#malformed('not_an_object');
    const route = msg[this.#routeKey];
    if (typeof route !== 'string') return this.#malformed('missing_route_key');
    const need = this.#routes[route] ?? this.#readRoute(route);
    // The conversation matters only to the core, or while a listener waits on one.
    if (need.decide || (need.checkConversation && msg[this.#conversationKey] !== undefined)) return this.#decided(msg, need.type);
    this.#deliver(need, msg);
    if (need.stored && !this.#freed) this.#storeLive(msg);
  }

  /** Calls the listeners `need` lists with `msg`, skipping any removed by an earlier one. */
  #deliver({ fns, ids }, msg) {
    const removals = this.#removals;
    for (let i = 0; i < fns.length; i++) {
      if (i > 0 && removals !== this.#removals && this.#seqs[ids[2 * i]] !== ids[2 * i + 1]) continue;
      try {
        fns[i](msg);
      } catch (e) {
        this.#threw(e);
      }
    }
  }

  /** A message the core decides: one call into wasm, then its listeners and what else it did. */
  #decided(msg, type) {
    const id = msg[this.#conversationKey];
    let number = NaN;
    let text = -1;
    if (typeof id === 'number' && Number.isSafeInteger(id)) {
      number = id;
    } else if (id !== undefined) {
      // Text is interned only where unread counts need it; else no listener can know it.
      [number, text] = this.#ids(id, this.#notifyTypes.has(type)) ?? [NaN, -1];
    }
    const h = this.#core.route(type, number, text, typeof id === 'string') >>> 2;
    const w = words();
    const flags = w[h + 1];
    const change = flags & UNREAD_FLAG ? this.#change(w, h) : null;
    this.#calls(w, h + LISTENERS, w[h], msg);
    if (this.#freed) return;
    if (type === this.#notificationType) this.#storeLive(msg);
    if (change && !this.#freed) this.#signal(UNREAD, () => change);
    if (flags & NOTIFY_FLAG && this.#notifier && permitted() && !this.#freed) this.#notify(msg, keyOf(id));
  }

  /**
   * Calls the `n` listeners listed as `slot, seq` from word `l` of `w` with `value`. They are
   * read out before the first is called: a listener may route, subscribe or free anew.
   * `quiet`: a throw is only counted (error listeners, whose throws are not reported again).
   */
  #calls(w, l, n, value, quiet = false) {
    if (n === 1) {
      this.#call(w[l], w[l + 1], value, quiet);
    } else if (n === 2) {
      const slot = w[l + 2];
      const seq = w[l + 3];
      this.#call(w[l], w[l + 1], value, quiet);
      this.#call(slot, seq, value, quiet);
    } else if (n > 2) {
      const pairs = w.slice(l, l + 2 * n);
      for (let i = 0; i < pairs.length; i += 2) this.#call(pairs[i], pairs[i + 1], value, quiet);
    }
  }

  /** Calls a listener unless it was removed (or its slot reused, or the context freed) meanwhile. */
  #call(slot, seq, value, quiet) {
    if (this.#seqs[slot] !== seq) return;
    try {
      this.#fns[slot](value);
    } catch (e) {
      if (!quiet) this.#threw(e);
      else if (!this.#freed) this.#core.threw();
    }
  }

  /** After the listeners: the browser notification of a message of conversation `key` (its normal form). */
  #notify(msg, key) {
    try {
      this.#notifier.show(msg, key);
    } catch (e) {
      this.#report('notification', describe(e));
    }
  }

  /** The unread change a decision buffer at word `h` holds: what `onUnread` listeners get. */
  #change(w, h) {
    return { conversationId: this.#idAt(w, h), count: w[h + 2], total: w[h + 3] };
  }

  /** The id, as first given, that a decision buffer at word `h` holds. */
  #idAt(w, h) {
    return this.#texts.original(w[h + 4], w[h + 5], w[h + 6]);
  }

  /** `[number, text]` of an id as it crosses into the core (see keys.js); undefined if none. */
  #ids(id, intern) {
    const key = keyOf(id);
    if (typeof key === 'number') return [key, -1];
    return key === undefined ? undefined : [NaN, this.#texts.number(key, intern)];
  }

  /** Calls every listener of `signal` with the value `make` builds, built only if one listens. */
  #signal(signal, make) {
    if (this.#freed) return;
    const h = this.#core.signal(signal) >>> 2;
    const w = words();
    const n = w[h];
    // The listeners are copied out first: `make` may call into the core.
    if (n !== 0) this.#calls(w.slice(h + LISTENERS, h + LISTENERS + 2 * n), 0, n, make(), signal === ERROR);
  }

  #onSignal(signal, callback, name) {
    check(callback, name);
    return this.#listen(this.#core.subscribe(SIGNAL + signal, 0), callback);
  }

  /** Holds `callback` in the slot the core gave it; returns its idempotent unsubscribe. */
  #listen(id, callback) {
    const slot = Math.floor(id / 4294967296);
    const seq = id >>> 0;
    this.#fns[slot] = callback;
    this.#seqs[slot] = seq;
    this.#tableChanged();
    let on = true;
    return () => {
      if (!on || this.#freed) return;
      on = false;
      if (this.#core.unsubscribe(slot, seq)) {
        this.#fns[slot] = undefined;
        this.#seqs[slot] = -1;
        this.#removals++;
      }
      this.#tableChanged();
    };
  }

  /** After every (un)subscribe: the table moved, and what each route needs is read anew. */
  #tableChanged() {
    this.#table = this.#core.table() >>> 2;
    this.#routes = Object.create(null);
    this.#unknownRoute = null;
  }

  /**
   * What messages of `route` need: their type id, and either `decide` (the core decides each)
   * or the functions and ids (`slot, seq`) of their listeners, when the table lists them.
   * `checkConversation`: some listener waits on a conversation, so only messages without one
   * may take the table's listeners. Kept per registered route, and once for all the others.
   */
  #readRoute(route) {
    const type = this.#types[route] ?? -1;
    if (type < 0 && this.#unknownRoute) return this.#unknownRoute;
    const w = words();
    const t = this.#table;
    const entry = w[t + 2 + (type >= 0 && type < w[t + 1] ? type + 1 : 0)];
    const ids = entry === 0 ? [] : Array.from(w.subarray(t + entry + 1, t + entry + 1 + 2 * w[t + entry]));
    const need = {
      type,
      decide: entry === 0,
      checkConversation: w[t] !== 0,
      fns: ids.filter((_, i) => i % 2 === 0).map((slot) => this.#fns[slot]),
      ids,
      stored: type === this.#notificationType,
    };
    if (type < 0) this.#unknownRoute = need;
    else this.#routes[route] = need;
    return need;
  }

  /** The type id of a route value, registering it if new. */
  #typeId(type) {
    return (this.#types[type] ??= this.#typeCount++);
  }

  /** Throws if `free()` was called: for the methods that reach neither the core nor anything else freed. */
  #live() {
    if (this.#freed) usedAfterFree();
  }

  #threw(thrown) {
    if (this.#freed) return;
    this.#core.threw();
    this.#report('listener_threw', describe(thrown));
  }

  #malformed(kind) {
    this.#core.malformed();
    this.#report(kind, MALFORMED[kind]);
  }

  #report(kind, message) {
    this.#signal(ERROR, () => ({ kind, message }));
  }

  /**
   * After conversation `id` (null: none) was read: its browser notifications close, and a count
   * that changed is told (the core's decision buffer at byte `at` says).
   */
  #afterRead(id, at) {
    if (id !== null) this.#notifier?.closeConversation(String(keyOf(id)));
    const h = at >>> 2;
    const w = words();
    if (w[h + 1] & UNREAD_FLAG) {
      const change = this.#change(w, h);
      this.#signal(UNREAD, () => change);
    }
  }

  #visibilityChanged() {
    if (this.#freed) return;
    const visible = document.visibilityState === 'visible';
    const active = this.activeConversation; // first: every core call rewrites the buffer
    const at = this.#core.set_visible(visible);
    if (!visible) return;
    refreshPermission();
    if (active !== null) this.#afterRead(active, at);
  }

  /** The store's key of a notification object: its `id`, or a key of its own without one. */
  #storeKey(notification) {
    return keyOf(notification.id) ?? '\u0000anonymous-' + ++this.#anonymous;
  }

  #storeLive(msg) {
    const field = msg[this.#notificationKey];
    const notification = typeof field === 'object' && field !== null ? field : msg;
    this.#inbox.addLive(this.#storeKey(notification), notification, isRead(notification));
    this.#inboxChanged();
  }

  #inboxChanged() {
    this.#snapshot = null;
    this.#signal(NOTIFICATIONS, () => this.notifications());
  }
}
