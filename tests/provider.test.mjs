// <RealtimeProvider> in Node, without a browser: React and react-dom come from www/node_modules,
// the tree renders no element (so a stand-in container is enough), and react/lease.js gets a
// fake RealtimeContext instead of the wasm one. What is checked: which context the provider
// keeps or replaces as its options change, the token and token provider it hands over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeRealtime } from './support/react-node.mjs';
import { mount } from './support/react-root.mjs';

/** Every fake context made, in order. */
const contexts = [];

/** A stand-in for RealtimeContext: records what it is asked, keeps its listeners. */
class FakeContext {
  constructor(options) {
    this.options = options;
    this.calls = [];
    this.listeners = new Map();
    this.state = { status: 'idle', attempt: 0, nextRetryInMs: null, error: null, since: 0 };
    this.totalUnread = 3;
    this.freed = false;
    contexts.push(this);
  }
  onState(callback) {
    this.stateCallback = callback;
    callback(this.state);
    return () => {};
  }
  onUnread() { return () => {}; }
  onTyping() { return () => {}; }
  onPresence() { return () => {}; }
  onNotifications() { return () => {}; }
  notifications() { return []; }
  unreadCount() { return 0; }
  setActiveConversation() {}
  on(type, callback) {
    this.listeners.set(callback, type);
    return () => this.listeners.delete(callback);
  }
  onConversation() { return () => {}; }
  setTokenProvider(provider) { this.calls.push(['setTokenProvider', provider]); }
  setToken(token) { this.calls.push(['setToken', token]); }
  retry() { this.calls.push(['retry']); }
  logoutEverywhere() { this.calls.push(['logoutEverywhere']); }
  connect() {
    this.calls.push(['connect']);
    this.setStatus('connecting');
  }
  setStatus(status) {
    this.state = { ...this.state, status };
    this.stateCallback?.(this.state);
  }
  free() {
    assert.equal(this.freed, false, 'freed once');
    this.freed = true;
  }
  /** The calls but the token provider, which every attach hands over. */
  get tokenCalls() {
    return this.calls.filter(([name]) => name !== 'setTokenProvider');
  }
}

let initDone;
const loaded = new Promise((resolve) => (initDone = resolve));
fakeRealtime({ init: () => loaded, Context: FakeContext });


const { createElement: h } = await import('react');
const { RealtimeProvider, useRealtime, useRealtimeEvent, useUnread } = await import('../react/index.js');

/** What the tree saw at its last render. */
const seen = { context: null, unread: null, probes: [] };

function Spy() {
  seen.context = useRealtime().context;
  seen.unread = useUnread();
  useRealtimeEvent('probe', (message) => seen.probes.push(message));
  return null;
}

/** Renders `props` (and `key`) as the one provider (mount() adds StrictMode). */
function app(props, key = 'only') {
  return h(RealtimeProvider, { key, ...props }, h(Spy));
}

const base = { url: 'ws://127.0.0.1:9/ws', userKey: 'ann', heartbeat: false };

test('a_token_changed_while_the_wasm_loads_is_the_one_the_context_is_built_with', async () => {
  const view = mount();
  await view.render(app({ options: { ...base, token: 'a' } }));
  await view.render(app({ options: { ...base, token: 'b' } }));
  assert.equal(contexts.length, 0, 'no context before the wasm loaded');
  initDone();
  await view.render(app({ options: { ...base, token: 'b' } }));
  assert.equal(contexts.length, 1, 'one context under StrictMode');
  const [ctx] = contexts;
  assert.deepEqual(ctx.options, { ...base, token: 'b' });
  assert.deepEqual(ctx.tokenCalls, [['connect']]);
  assert.equal(seen.context, ctx);
  await view.unmount();
  assert.equal(ctx.freed, true, 'unmount frees');
});

test('another_token_keeps_the_context_with_its_listeners_and_counts', async () => {
  contexts.length = 0;
  const view = mount();
  await view.render(app({ options: { ...base, token: 'a' } }));
  const [ctx] = contexts;
  assert.equal(seen.context, ctx);
  assert.equal(seen.unread, 3);
  assert.equal(ctx.listeners.size, 1, 'the probe listener');
  ctx.calls.length = 0;
  // Not open (connecting, or closed after a refusal): the new token is tried at once.
  await view.render(app({ options: { ...base, token: 'b' } }));
  assert.deepEqual(ctx.tokenCalls, [['setToken', 'b'], ['retry']]);
  // Open: the socket is kept; the token serves the next attempt.
  ctx.setStatus('open');
  await view.render(app({ options: { ...base, token: 'c' } }));
  assert.deepEqual(ctx.tokenCalls, [['setToken', 'b'], ['retry'], ['setToken', 'c']]);
  // A new object with the same content changes nothing.
  await view.render(app({ options: { ...base, token: 'c' } }));
  assert.deepEqual(ctx.tokenCalls, [['setToken', 'b'], ['retry'], ['setToken', 'c']]);
  assert.equal(contexts.length, 1, 'no other context was made');
  assert.equal(ctx.freed, false);
  assert.equal(seen.context, ctx);
  assert.equal(seen.unread, 3);
  assert.equal(ctx.listeners.size, 1, 'the listener was never taken off');
  const [probe] = ctx.listeners.keys();
  probe({ type: 'probe', n: 1 });
  assert.deepEqual(seen.probes, [{ type: 'probe', n: 1 }]);
  await view.unmount();
  assert.equal(ctx.freed, true);
});

test('another_user_or_url_means_a_new_context_and_the_old_one_is_freed', async () => {
  contexts.length = 0;
  const view = mount();
  await view.render(app({ options: { ...base, token: 'a' } }));
  const [ann] = contexts;
  // Another user, with its own token: a new context built with that token.
  await view.render(app({ options: { ...base, userKey: 'bob', token: 'b' } }));
  assert.equal(contexts.length, 2);
  const bob = contexts[1];
  assert.equal(ann.freed, true);
  assert.deepEqual(ann.tokenCalls, [['connect']], 'the old one was not given the new token');
  assert.deepEqual(bob.options, { ...base, userKey: 'bob', token: 'b' });
  assert.equal(seen.context, bob);
  assert.equal(bob.listeners.size, 1, 'the listener moved to the new context');
  assert.equal(ann.listeners.size, 0);
  // Another URL, same user and token.
  await view.render(app({ options: { ...base, userKey: 'bob', url: 'ws://127.0.0.1:9/other', token: 'b' } }));
  assert.equal(contexts.length, 3);
  assert.equal(bob.freed, true);
  assert.equal(contexts[2].options.url, 'ws://127.0.0.1:9/other');
  // Any other option, too.
  await view.render(app({ options: { ...base, userKey: 'bob', url: 'ws://127.0.0.1:9/other', token: 'b', heartbeat: true } }));
  assert.equal(contexts.length, 4);
  assert.equal(contexts[2].freed, true);
  await view.unmount();
});

test('logout_frees_the_context_and_a_new_login_makes_another', async () => {
  contexts.length = 0;
  const view = mount();
  await view.render(app({ options: { ...base, token: 'a' } }));
  const [first] = contexts;
  for (const token of [null, '']) {
    await view.render(app({ options: { ...base, token: 'a' } }));
    const ctx = contexts.at(-1);
    await view.render(app({ options: { ...base, token } }));
    assert.equal(ctx.freed, true, `token ${JSON.stringify(token)} logs out`);
    assert.equal(seen.context, null);
    assert.deepEqual(ctx.calls.filter(([name]) => name === 'setToken'), [], 'logout sets no token');
    assert.equal(ctx.calls.filter(([name]) => name === 'logoutEverywhere').length, 1, 'logout ends the session in every tab');
  }
  await view.render(app({ options: { ...base, token: 'a' } }));
  assert.equal(contexts.length, 3, 'a new context at each login');
  assert.notEqual(contexts[2], first);
  assert.equal(contexts[2].freed, false);
  assert.deepEqual(contexts[2].options, { ...base, token: 'a' });
  await view.unmount();
  assert.ok(contexts.every((ctx) => ctx.freed));
});

test('getToken_is_the_token_provider_and_follows_the_prop_in_the_same_context', async () => {
  contexts.length = 0;
  const first = () => 'fresh-1';
  const second = async () => 'fresh-2';
  const view = mount();
  await view.render(app({ options: { ...base, token: 'a' }, getToken: first }));
  const [ctx] = contexts;
  const providers = () => ctx.calls.filter(([name]) => name === 'setTokenProvider').map(([, p]) => p);
  assert.equal(providers().at(-1), first, 'handed over when the context is attached');
  await view.render(app({ options: { ...base, token: 'a' }, getToken: second }));
  assert.equal(providers().at(-1), second);
  await view.render(app({ options: { ...base, token: 'a' } }));
  assert.equal(providers().at(-1), null, 'no prop: no provider');
  assert.equal(contexts.length, 1, 'always the same context');
  assert.deepEqual(ctx.tokenCalls, [['connect']]);
  // The next context (another user) gets the provider given now.
  await view.render(app({ options: { ...base, userKey: 'bob', token: 'b' }, getToken: first }));
  assert.equal(contexts.length, 2);
  assert.equal(contexts[1].calls.filter(([name]) => name === 'setTokenProvider').at(-1)[1], first);
  await view.unmount();
});

test('a_remounted_provider_adopts_the_parked_context_and_gives_it_its_token', async () => {
  contexts.length = 0;
  const view = mount();
  await view.render(app({ options: { ...base, token: 'a' } }, 1));
  const [ctx] = contexts;
  // A new provider (another React key) in the same commit: the context is handed over.
  await view.render(app({ options: { ...base, token: 'b' } }, 2));
  assert.equal(contexts.length, 1, 'no second context, no second socket');
  assert.equal(ctx.freed, false);
  assert.equal(seen.context, ctx);
  assert.deepEqual(ctx.tokenCalls, [['connect'], ['setToken', 'b'], ['connect']]);
  // Same token: adopted as it is.
  await view.render(app({ options: { ...base, token: 'b' } }, 3));
  assert.equal(contexts.length, 1);
  assert.deepEqual(ctx.tokenCalls, [['connect'], ['setToken', 'b'], ['connect'], ['connect']]);
  // Another user in a new provider: the parked one is freed, not adopted.
  await view.render(app({ options: { ...base, userKey: 'bob', token: 'b' } }, 4));
  assert.equal(contexts.length, 2);
  assert.equal(ctx.freed, true);
  await view.unmount();
});
