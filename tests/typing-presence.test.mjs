// useTyping and usePresence in Node, on a fake RealtimeContext that keeps typists and online users
// as the contract of the wasm class says (tests/support/fake-context.mjs). What is checked: the
// values follow the context's signals, a component re-renders once per change and never for
// another conversation's typists or an unrelated change, the arrays (and isOnline) keep their
// identity until they change, 123 and "123" are one id, nothing is read while there is no context,
// and a logout and login re-attach the signals to the new context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contexts } from './support/fake-context.mjs';
import { mount } from './support/react-root.mjs';

const { createElement: h } = await import('react');
const { RealtimeProvider, usePresence, useTyping } = await import('../react/index.js');

/** What each component showed at its last render, and how often it rendered. */
const seen = { typing: null, typingRenders: 0, presence: null, presenceRenders: 0 };

/** A chat's footer: "Ann is typing…" from `typingUsers`, `setTyping` called from the input. */
function TypingIndicator({ chatId }) {
  seen.typingRenders += 1;
  seen.typing = useTyping(chatId);
  return null;
}

/** A contact list's online dots: `isOnline(contact.id)` per row. */
function OnlineDots() {
  seen.presenceRenders += 1;
  seen.presence = usePresence();
  return null;
}

/** Seed 004's options: the chat id travels as `chat_id`. */
const options = (token, extra = {}) => ({ url: 'ws://127.0.0.1:9/ws', token, conversationKey: 'chat_id', ...extra });
const app = (token, ...children) => h(RealtimeProvider, { options: options(token) }, ...children);
const typing = (chatId, userId, isTyping) => ({ type: 'typing', chat_id: chatId, user_id: userId, ...(isTyping === undefined ? {} : { is_typing: isTyping }) });

test('typing_users_follow_the_context_one_render_per_change_the_same_array_until_then', async () => {
  const view = mount();
  await view.render(app('t', h(TypingIndicator, { chatId: 5 })));
  const ctx = contexts.at(-1);
  await view.frame(() => ctx.setStatus('open'));
  assert.deepEqual(seen.typing.typingUsers, []);
  assert.ok(Object.isFrozen(seen.typing.typingUsers), 'the empty array of before the context, kept while empty');

  let renders = seen.typingRenders;
  await view.frame(() => ctx.receive(typing(5, 1)));
  assert.deepEqual(seen.typing.typingUsers, [1]);
  assert.ok(seen.typingRenders - renders <= 2, 'one render (two under StrictMode)');

  // No change of chat 5's typists: a refresh, chat 6's typists, presence. Each makes the hub flush.
  const list = seen.typing.typingUsers;
  renders = seen.typingRenders;
  await view.frame(() => ctx.receive(typing(5, 1, true)));
  await view.frame(() => ctx.receive(typing(6, 2)));
  await view.frame(() => ctx.receive({ type: 'user_online', user_id: 9 }));
  assert.equal(seen.typing.typingUsers, list, 'the same array');
  assert.equal(seen.typingRenders, renders, 'no render');

  // A burst in one frame: one render, the typists in the order they started.
  await view.frame(() => {
    ctx.receive(typing('5', '2'));
    ctx.receive(typing(5, 3));
    ctx.receive(typing(5, 4));
    ctx.receive(typing(5, 3, false));
  });
  assert.deepEqual(seen.typing.typingUsers, [1, '2', 4]);
  assert.ok(seen.typingRenders - renders <= 2, `one render, not ${seen.typingRenders - renders}`);

  // A typist not refreshed in time is dropped by the context.
  await view.frame(() => ctx.expire(5, 1));
  assert.deepEqual(seen.typing.typingUsers, ['2', 4]);

  // "5" is chat 5: the same typists, the same array.
  const before = seen.typing.typingUsers;
  await view.render(app('t', h(TypingIndicator, { chatId: '5' })));
  assert.equal(seen.typing.typingUsers, before);

  // The user's own typing: the context writes the frames and throttles them.
  assert.equal(seen.typing.setTyping(true), true);
  assert.equal(seen.typing.setTyping(true), false, 'throttled');
  assert.equal(seen.typing.setTyping(false), true);
  assert.deepEqual(ctx.sent, [{ type: 'typing', chat_id: '5', is_typing: true }, { type: 'typing', chat_id: '5', is_typing: false }]);

  // The connection drops: nobody is known to type, and no typing frame is written.
  await view.frame(() => ctx.setStatus('reconnecting'));
  assert.deepEqual(seen.typing.typingUsers, []);
  assert.equal(seen.typing.setTyping(true), false);
  await view.unmount();
});

test('presence_follows_the_context_and_isOnline_answers_from_the_same_array', async () => {
  const view = mount();
  await view.render(app('t', h(OnlineDots)));
  const ctx = contexts.at(-1);
  await view.frame(() => ctx.setStatus('open'));
  assert.deepEqual(seen.presence.onlineUsers, []);
  assert.equal(seen.presence.isOnline(1), false);

  await view.frame(() => ctx.receive({ type: 'online_users', users: [1, { user_id: '2', full_name: 'Ann' }] }));
  assert.deepEqual(seen.presence.onlineUsers, [1, '2']);
  assert.equal(seen.presence.isOnline('1'), true, '"1" is user 1');
  assert.equal(seen.presence.isOnline(2), true);
  assert.equal(seen.presence.isOnline(3), false);

  // Unrelated changes: the same array, the same isOnline, no render.
  const { onlineUsers, isOnline } = seen.presence;
  const renders = seen.presenceRenders;
  await view.frame(() => ctx.receive(typing(5, 7)));
  await view.frame(() => ctx.receive({ type: 'user_online', user_id: '1' }));
  assert.equal(seen.presence.onlineUsers, onlineUsers);
  assert.equal(seen.presence.isOnline, isOnline);
  assert.equal(seen.presenceRenders, renders);
  // A render for another reason (the parent's) keeps them too.
  await view.render(app('t', h(OnlineDots)));
  assert.ok(seen.presenceRenders > renders);
  assert.equal(seen.presence.onlineUsers, onlineUsers);
  assert.equal(seen.presence.isOnline, isOnline);

  const before = seen.presenceRenders;
  await view.frame(() => {
    ctx.receive({ type: 'user_online', user_id: 3 });
    ctx.receive({ type: 'user_offline', user_id: '1' });
  });
  assert.deepEqual(seen.presence.onlineUsers, ['2', 3]);
  assert.equal(seen.presence.isOnline(1), false);
  assert.equal(seen.presence.isOnline('3'), true);
  assert.notEqual(seen.presence.isOnline, isOnline, 'a new isOnline with the new set');
  assert.ok(seen.presenceRenders - before <= 2, 'one render for both');

  await view.frame(() => ctx.setStatus('closed'));
  assert.deepEqual(seen.presence.onlineUsers, [], 'nothing is known while not open');
  await view.unmount();
});

test('without_a_context_or_id_nothing_is_read_and_setTyping_is_false', async () => {
  const made = contexts.length;
  const view = mount();
  await view.render(app(null, h(TypingIndicator, { chatId: 5 }), h(OnlineDots)));
  assert.equal(contexts.length, made, 'logged out: no context');
  assert.deepEqual(seen.typing.typingUsers, []);
  assert.ok(Object.isFrozen(seen.typing.typingUsers));
  assert.equal(seen.typing.setTyping(true), false);
  assert.deepEqual(seen.presence.onlineUsers, []);
  assert.ok(Object.isFrozen(seen.presence.onlineUsers));
  assert.equal(seen.presence.isOnline(1), false);
  // Logged in, but no chat chosen: the context is not asked (it would refuse a null id).
  await view.render(app('t', h(TypingIndicator, { chatId: null })));
  const ctx = contexts.at(-1);
  await view.frame(() => {
    ctx.setStatus('open');
    ctx.receive(typing(5, 1));
  });
  assert.deepEqual(seen.typing.typingUsers, []);
  assert.equal(seen.typing.setTyping(true), false);
  assert.deepEqual(ctx.sent, []);
  await view.unmount();
});

test('logout_and_login_move_the_signals_to_the_new_context', async () => {
  const view = mount();
  const tree = (token) => app(token, h(TypingIndicator, { chatId: 5 }), h(OnlineDots));
  await view.render(tree('a'));
  const first = contexts.at(-1);
  assert.equal(first.signals.typing.size, 1, 'one onTyping listener, under StrictMode too');
  assert.equal(first.signals.presence.size, 1);
  await view.frame(() => {
    first.setStatus('open');
    first.receive(typing(5, 1));
    first.receive({ type: 'user_online', user_id: 1 });
  });
  assert.deepEqual(seen.typing.typingUsers, [1]);
  assert.deepEqual(seen.presence.onlineUsers, [1]);

  await view.render(tree(null));
  assert.equal(first.freed, true);
  assert.equal(first.signals.typing.size, 0, 'unsubscribed from the old context');
  assert.equal(first.signals.presence.size, 0);
  assert.deepEqual(seen.typing.typingUsers, []);
  assert.deepEqual(seen.presence.onlineUsers, []);

  await view.render(tree('b'));
  const second = contexts.at(-1);
  assert.notEqual(second, first);
  assert.equal(second.signals.typing.size, 1);
  assert.equal(second.signals.presence.size, 1);
  await view.frame(() => {
    second.setStatus('open');
    second.receive(typing(5, 2));
    second.receive({ type: 'online_users', users: [2, 3] });
  });
  assert.deepEqual(seen.typing.typingUsers, [2]);
  assert.deepEqual(seen.presence.onlineUsers, [2, 3]);

  // Another user without a logout (another userKey): straight to the next context.
  await view.render(h(RealtimeProvider, { options: options('c', { userKey: 'bob' }) }, h(TypingIndicator, { chatId: 5 }), h(OnlineDots)));
  const third = contexts.at(-1);
  assert.notEqual(third, second);
  assert.equal(second.signals.typing.size, 0);
  assert.deepEqual(seen.typing.typingUsers, []);
  assert.deepEqual(seen.presence.onlineUsers, []);
  await view.frame(() => {
    third.setStatus('open');
    third.receive(typing(5, 'z'));
  });
  assert.deepEqual(seen.typing.typingUsers, ['z']);
  await view.unmount();
  assert.equal(third.signals.typing.size, 0, 'the provider unmounted: unsubscribed');
  assert.equal(third.signals.presence.size, 0);
});

test('an_unmounted_component_renders_no_more', async () => {
  const view = mount();
  await view.render(app('t', h(TypingIndicator, { chatId: 5 }), h(OnlineDots)));
  const ctx = contexts.at(-1);
  await view.frame(() => ctx.setStatus('open'));
  await view.render(app('t'));
  const renders = [seen.typingRenders, seen.presenceRenders];
  await view.frame(() => {
    ctx.receive(typing(5, 1));
    ctx.receive({ type: 'user_online', user_id: 1 });
  });
  assert.deepEqual([seen.typingRenders, seen.presenceRenders], renders);
  assert.equal(ctx.signals.typing.size, 1, 'the provider still listens, for the next component');
  await view.unmount();
});
