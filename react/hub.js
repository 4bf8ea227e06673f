// What one <RealtimeProvider> shares with its hooks: the current RealtimeContext (or none
// while logged out or loading), subscriptions that outlive a context swap, and a frame
// scheduler so that React hears about changes at most once per animation frame.
import { createNotificationActions } from './notifications.js';

const IDLE = Object.freeze({ status: 'idle', attempt: 0, nextRetryInMs: null, error: null, since: 0 });
const NONE = Object.freeze([]);

/** The bridge between one RealtimeContext and React's useSyncExternalStore. */
export class Hub {
  /** A hub serving no context yet; its members below are what the hooks hand out. */
  constructor() {
    /** @type {import('../js/index.js').RealtimeContext | null} */
    this.ctx = null;
    this.state = IDLE;
    this.notifications = NONE;
    this.error = null;
    this.active = null;
    /** Conversations shown now, in the order they were activated: the last one is active. */
    this.activations = [];
    this.api = {};
    /** The provider's `options.token` (undefined: no `token` key) and `getToken` (or null). */
    this.token = undefined;
    this.getToken = null;
    /** Bumped at each flush and context swap; hooks re-read the context only when it moved. */
    this.version = 0;
    this.topics = new Set();
    this.offs = [];
    this.listeners = new Set();
    this.pending = new Set();
    this.scheduled = false;
    this.actions = createNotificationActions(this);
    /** useSyncExternalStore's subscribe: `listener` hears about changes at the next flush. */
    this.subscribe = (listener) => {
      this.listeners.add(listener);
      return () => {
        this.listeners.delete(listener);
        this.pending.delete(listener);
      };
    };
    /** `RealtimeContext.on`, kept across context swaps; returns its unsubscribe function. */
    this.on = (type, callback) => this.topic('on', type, callback);
    /** `RealtimeContext.onConversation`, kept across context swaps. */
    this.onConversation = (id, callback) => this.topic('onConversation', id, callback);
    /** `RealtimeContext.send`; throws while there is no context. */
    this.send = (data) => this.live('send').send(data);
    /** `RealtimeContext.sendMessage`; throws while there is no context. */
    this.sendMessage = (id, text, type) => this.live('sendMessage').sendMessage(id, text, type);
    /** `RealtimeContext.retry`, when there is a context. */
    this.retry = () => this.ctx?.retry();
  }

  /** Starts serving `ctx`: listens to it and re-attaches every subscription. */
  attach(ctx) {
    this.ctx = ctx;
    this.offs = [
      ctx.onState((state) => this.stateChanged(state)),
      ctx.onUnread(() => this.changed()),
      ctx.onTyping(() => this.changed()),
      ctx.onPresence(() => this.changed()),
      ctx.onNotifications((list) => {
        this.notifications = list;
        this.changed();
      }),
    ];
    this.notifications = ctx.notifications();
    ctx.setActiveConversation(this.active);
    ctx.setTokenProvider(this.getToken);
    for (const topic of this.topics) topic.off = ctx[topic.method](topic.key, topic.callback);
    this.swapped();
  }

  /** Stops serving the current context and returns it (or null). */
  detach() {
    const ctx = this.ctx;
    for (const off of this.offs) off();
    for (const topic of this.topics) {
      topic.off?.();
      topic.off = null;
    }
    this.offs = [];
    this.ctx = null;
    this.state = IDLE;
    this.notifications = NONE;
    this.swapped();
    return ctx;
  }

  /**
   * `options.token` is now `token`: the context keeps its socket, listeners and counts, uses
   * `token` from its next attempt on, and makes that attempt at once unless it is open.
   */
  setToken(token) {
    if (token === this.token) return;
    this.token = token;
    if (!this.ctx) return;
    this.ctx.setToken(token ?? null);
    if (this.ctx.state.status !== 'open') this.ctx.retry();
  }

  /** The provider's `getToken` (null or undefined: none), handed to every context served. */
  setTokenProvider(getToken) {
    if (getToken != null && typeof getToken !== 'function') throw new TypeError('RealtimeProvider: getToken must be a function');
    this.getToken = getToken ?? null;
    this.ctx?.setTokenProvider(this.getToken);
  }

  /** The context could not be created (wasm failed to load, invalid options). */
  fail(error) {
    this.state = Object.freeze({ ...IDLE, status: 'closed', error: String(error?.message ?? error) });
    this.changed();
  }

  /** Records the outcome of a REST call (`null`: success). */
  setError(error) {
    if (this.error === error) return;
    this.error = error;
    this.changed();
  }

  /**
   * Makes `id` the active conversation until the returned function is called; then the one
   * activated before it, if still shown, is active again (the latest activation wins).
   */
  activate(id) {
    const activation = { id };
    this.activations.push(activation);
    this.showActive();
    return () => {
      this.activations = this.activations.filter((a) => a !== activation);
      this.showActive();
    };
  }

  /** Tells the context which conversation is active now, if that changed. */
  showActive() {
    const id = this.activations.at(-1)?.id ?? null;
    if (id === this.active) return;
    this.active = id;
    this.ctx?.setActiveConversation(id);
  }

  /** `unreadCount(id)`, or the total when `id` is null or undefined. */
  unread(id) {
    if (!this.ctx) return 0;
    return id == null ? this.ctx.totalUnread : this.ctx.unreadCount(id);
  }

  /** Who is typing in conversation `id`: the context's `typingUsers(id)`, or none without a context or id. */
  typingUsers(id) {
    return this.ctx && id != null ? this.ctx.typingUsers(id) : NONE;
  }

  /** `RealtimeContext.setTyping(id, isTyping)`; `false` (nothing written) without a context or id. */
  setTyping(id, isTyping) {
    return this.ctx != null && id != null && this.ctx.setTyping(id, isTyping);
  }

  /** Who is online: the context's `onlineUsers()`, or none without a context. */
  onlineUsers() {
    return this.ctx ? this.ctx.onlineUsers() : NONE;
  }

  /** Runs `fn` at the next flush (once, however often it is asked for before then). */
  later(fn) {
    this.pending.add(fn);
    this.schedule();
  }

  /** Forgets a `later(fn)` not yet run. */
  cancel(fn) {
    this.pending.delete(fn);
  }

  /** The context came or went: no render may see the old one, so values are re-read at once. */
  swapped() {
    this.version += 1;
    this.changed();
  }

  /** Something hooks read changed: tell them at the next frame. */
  changed() {
    for (const listener of this.listeners) this.pending.add(listener);
    this.schedule();
  }

  /** `onState`: a (re)opened socket also refreshes the notification list over REST. */
  stateChanged(state) {
    const opened = state.status === 'open' && this.state.status !== 'open';
    this.state = state;
    this.changed();
    if (opened) this.actions.fetchNotifications();
  }

  /** A subscription kept across context swaps; returns its unsubscribe function. */
  topic(method, key, callback) {
    if (typeof callback !== 'function') throw new TypeError(`${method}(${JSON.stringify(key)}, callback): callback must be a function`);
    // Checked now even without a context: one given before the wasm loaded is attached later.
    if (method === 'on' ? typeof key !== 'string' : !(typeof key === 'string' || Number.isFinite(key))) {
      throw new TypeError(method === 'on' ? 'on(type, callback): type must be a string' : 'onConversation(id, callback): id must be a string or a finite number');
    }
    const topic = { method, key, callback, off: this.ctx ? this.ctx[method](key, callback) : null };
    this.topics.add(topic);
    return () => {
      topic.off?.();
      topic.off = null;
      this.topics.delete(topic);
    };
  }

  /** The context, or an Error naming `method` when there is none. */
  live(method) {
    if (this.ctx) return this.ctx;
    throw new Error(`${method}: no realtime connection (logged out, or the wasm module is still loading)`);
  }

  /** Flushes at the next animation frame (soon, by timer, in a hidden page that paints none). */
  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => this.flush();
    if (typeof document !== 'undefined' && document.hidden) setTimeout(flush, 16);
    else requestAnimationFrame(flush);
  }

  /**
   * Runs everything due: listeners of useSyncExternalStore and `later` callbacks, which may call
   * the app's callbacks: one that throws keeps none of the others from running; its error is
   * thrown again in a task of its own.
   */
  flush() {
    this.scheduled = false;
    this.version += 1;
    const due = [...this.pending];
    this.pending.clear();
    for (const fn of due) {
      try {
        fn();
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}
