// react/hub.js without React: which conversation the context is told is active, the token and
// token provider it is given, and subscriptions made before any context exists (the wasm still
// loading).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Hub } from '../react/hub.js';

globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);

/** A stand-in for a RealtimeContext that records what the hub asks of it. */
function recorder() {
  const calls = [];
  const off = () => {};
  const ctx = {
    calls,
    /** What `setToken`, `retry` and `setTokenProvider` were asked, apart from `calls`. */
    tokens: [],
    state: { status: 'connecting' },
    onState: () => off, onUnread: () => off, onTyping: () => off, onPresence: () => off,
    onNotifications: () => off, notifications: () => [],
    setActiveConversation: (id) => calls.push(['active', id]),
    on: (type) => (calls.push(['on', type]), off),
    onConversation: (id) => (calls.push(['onConversation', id]), off),
    setToken: (token) => ctx.tokens.push(['setToken', token]),
    retry: () => ctx.tokens.push(['retry']),
    setTokenProvider: (provider) => ctx.tokens.push(['setTokenProvider', provider]),
  };
  return ctx;
}

/** A real RealtimeContext (the wasm loaded from pkg/, never connected) served by a new hub. */
async function servedContext() {
  const { default: init, RealtimeContext } = await import('../js/index.js');
  await init(readFileSync(new URL('../pkg/realtime_context_bg.wasm', import.meta.url)));
  const ctx = new RealtimeContext({ url: 'ws://127.0.0.1:9/unused', heartbeat: false, notify: false });
  const hub = new Hub();
  hub.attach(ctx);
  return { ctx, hub };
}

/** Lets pending promise callbacks and timers run. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('the_latest_shown_conversation_is_active_and_the_one_before_comes_back', () => {
  const hub = new Hub();
  const ctx = recorder();
  hub.attach(ctx);
  const offA = hub.activate(5);
  const offB = hub.activate(5); // a second component showing the same conversation
  offA();
  assert.equal(hub.active, 5, 'still shown by the second one');
  const offC = hub.activate(7);
  offC();
  assert.equal(hub.active, 5, 'back to the one shown before');
  offB();
  offB(); // idempotent
  assert.equal(hub.active, null);
  assert.deepEqual(ctx.calls, [['active', null], ['active', 5], ['active', 7], ['active', 5], ['active', null]]);
});

test('subscriptions_before_a_context_are_checked_at_once_and_attached_later', () => {
  const hub = new Hub();
  assert.throws(() => hub.on(1, () => {}), /on\(type, callback\): type must be a string/);
  assert.throws(() => hub.onConversation(NaN, () => {}), /onConversation\(id, callback\): id must be a string or a finite number/);
  assert.throws(() => hub.on('x', 'not a function'), /callback must be a function/);
  hub.on('new_message', () => {});
  hub.onConversation('42', () => {});
  const deactivate = hub.activate(42);
  const ctx = recorder();
  hub.attach(ctx);
  assert.deepEqual(ctx.calls, [['active', 42], ['on', 'new_message'], ['onConversation', '42']]);
  deactivate();
  assert.deepEqual(ctx.calls.at(-1), ['active', null]);
});

test('a_rolled_back_action_does_not_undo_another_that_succeeded', async () => {
  const { ctx, hub } = await servedContext();
  let server = [{ id: 1, read: false }, { id: 2, read: false }];
  hub.api = {
    markAsRead: async (id) => {
      await null;
      if (id === 2) throw new Error('boom');
      server = server.map((n) => (n.id === id ? { ...n, read: true } : n));
    },
    fetchNotifications: async () => server,
  };
  ctx.setNotifications(server);
  // 2 starts first, so its snapshot predates 1's change; 1 succeeds, 2 fails.
  assert.deepEqual(await Promise.all([hub.actions.markAsRead(2), hub.actions.markAsRead(1)]), [false, true]);
  await tick();
  assert.deepEqual(ctx.notifications().map((n) => [n.id, n.read]), [[1, true], [2, false]]);
  // Alone, a failure's error stays shown after its refetch (until a call succeeds).
  assert.equal(await hub.actions.markAsRead(2), false);
  await tick();
  assert.equal(hub.error?.message, 'boom');
  ctx.free();
});

test('the_refetch_after_a_rollback_waits_for_actions_in_flight_and_drops_a_stale_list', async () => {
  const { ctx, hub } = await servedContext();
  const reads = () => ctx.notifications().map((n) => [n.id, n.read]);
  let server = [{ id: 1, read: false }, { id: 2, read: false }, { id: 3, read: false }];
  const lists = []; // each fetch's answer, given when the test says so
  let finishOne;
  hub.api = {
    markAsRead: (id) => {
      if (id === 2) return Promise.reject(new Error('boom'));
      const apply = () => (server = server.map((n) => (n.id === id ? { ...n, read: true } : n)));
      if (id === 3) return Promise.resolve(apply());
      return new Promise((resolve) => (finishOne = () => resolve(apply())));
    },
    fetchNotifications: () => new Promise((resolve) => lists.push(() => resolve(server))),
  };
  ctx.setNotifications(server);
  const one = hub.actions.markAsRead(1);
  assert.equal(await hub.actions.markAsRead(2), false);
  await tick();
  assert.equal(lists.length, 0, 'no refetch while an action is in flight');
  finishOne();
  assert.equal(await one, true);
  await tick();
  assert.equal(lists.length, 1, 'the refetch once none is');
  // An action begins while that list is on its way: the list is dropped and fetched again.
  const three = hub.actions.markAsRead(3);
  lists[0]();
  assert.equal(await three, true);
  await tick();
  assert.deepEqual(reads(), [[1, true], [2, false], [3, true]], 'the stale list did not undo 3');
  assert.equal(lists.length, 2);
  lists[1]();
  await tick();
  assert.deepEqual(reads(), [[1, true], [2, false], [3, true]]);
  ctx.free();
});

test('a_new_token_goes_to_the_context_which_retries_unless_open', () => {
  const hub = new Hub();
  hub.setToken('a'); // before any context: kept for the one to come
  assert.equal(hub.token, 'a');
  const ctx = recorder();
  hub.attach(ctx);
  assert.deepEqual(ctx.tokens, [['setTokenProvider', null]]);
  ctx.tokens.length = 0;
  hub.setToken('a');
  assert.deepEqual(ctx.tokens, [], 'the same token: nothing');
  hub.setToken('b');
  assert.deepEqual(ctx.tokens, [['setToken', 'b'], ['retry']], 'not open: tried at once');
  ctx.state = { status: 'open' };
  hub.setToken('c');
  assert.deepEqual(ctx.tokens, [['setToken', 'b'], ['retry'], ['setToken', 'c']], 'open: the socket is kept');
  hub.setToken(undefined); // the `token` key went away (cookie auth)
  assert.deepEqual(ctx.tokens.at(-1), ['setToken', null]);
});

test('getToken_is_handed_to_each_context_and_replaced_in_the_current_one', () => {
  const hub = new Hub();
  const first = () => 'fresh';
  const second = async () => 'fresher';
  hub.setTokenProvider(first);
  const ctx = recorder();
  hub.attach(ctx);
  hub.setTokenProvider(second);
  hub.setTokenProvider(undefined);
  assert.deepEqual(ctx.tokens, [['setTokenProvider', first], ['setTokenProvider', second], ['setTokenProvider', null]]);
  hub.setTokenProvider(first);
  hub.detach();
  const next = recorder();
  hub.attach(next);
  assert.deepEqual(next.tokens, [['setTokenProvider', first]]);
  assert.throws(() => hub.setTokenProvider({}), /getToken must be a function/);
  assert.equal(hub.getToken, first, 'unchanged by the refusal');
});

test('a_callback_that_throws_at_a_flush_keeps_none_of_the_others_from_running', () => {
  const hub = new Hub();
  const ran = [];
  hub.later(() => {
    throw new Error('an app callback threw');
  });
  hub.later(() => ran.push('the next one'));
  const later = [];
  const setTimeoutWas = globalThis.setTimeout;
  globalThis.setTimeout = (fn) => later.push(fn);
  try {
    hub.flush();
  } finally {
    globalThis.setTimeout = setTimeoutWas;
  }
  assert.deepEqual(ran, ['the next one']);
  assert.equal(later.length, 1, 'the error is thrown again in a task of its own');
  assert.throws(later[0], /an app callback threw/);
});

test('typing_and_presence_of_a_real_context_reach_the_hub_once_per_flush_and_go_with_it', async () => {
  const { ctx, hub } = await servedContext();
  let heard = 0;
  hub.subscribe(() => heard++);
  ctx.receive({ type: 'typing', conversation_id: 5, user_id: 3 });
  ctx.receive({ type: 'user_online', user_id: '1' });
  assert.equal(heard, 0, 'not before the flush');
  await tick();
  await tick();
  assert.equal(heard, 1, 'once for both');
  assert.deepEqual(hub.typingUsers('5'), [3], '"5" is conversation 5');
  assert.deepEqual(hub.onlineUsers(), ['1']);
  assert.equal(hub.setTyping(5, true), false, 'not open: no typing frame');
  assert.equal(hub.setTyping(null, true), false, 'no conversation');
  assert.deepEqual(hub.typingUsers(null), []);
  hub.detach();
  assert.deepEqual([hub.typingUsers(5), hub.onlineUsers(), hub.setTyping(5, true)], [[], [], false], 'no context');
  await tick();
  await tick();
  heard = 0;
  ctx.receive({ type: 'user_offline', user_id: '1' });
  await tick();
  await tick();
  assert.equal(heard, 0, 'the old context is not listened to');
  ctx.free();
});
