// Seed 004's feature hooks in Node, used by 004's own components (tests/support/seed-004.mjs), all
// on the provider's one fake socket (tests/support/fake-context.mjs). What is checked: each hook gets
// the frames of its channel only and calls 004's callbacks with what 004 shows; the chat's typing
// and the online users are diffs of the context's sets, each change reported once (StrictMode
// included), expiry and disconnect included; 004's send frame; the latest callbacks are called
// without resubscribing; unmount unsubscribes; logout and login move everything to the new context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contexts } from './support/fake-context.mjs';
import { mount } from './support/react-root.mjs';
import { records, seed004Components } from './support/seed-004.mjs';

const { createElement: h, useState } = await import('react');
const hooks = await import('../react/index.js');
const { RealtimeProvider } = hooks;

const { seen, calls } = records();
const reset = () => Object.values(calls).forEach((list) => (list.length = 0));
const { ChatComponent, ConnectionPanel, NotificationCenter, FeedComponent, UserStatusIndicator } = seed004Components({ useState }, hooks, { seen, calls });

/** Seed 004's options on one socket: the chat id travels as `chat_id`. */
const options = (token) => ({ url: 'ws://127.0.0.1:9/ws', token, conversationKey: 'chat_id' });
const app = (token, ...children) => h(RealtimeProvider, { options: options(token) }, ...children);
const typing = (chatId, userId, isTyping) => ({ type: 'typing', chat_id: chatId, user_id: userId, ...(isTyping === undefined ? {} : { is_typing: isTyping }) });
const newMessage = (chatId, id, content) => ({ type: 'new_message', chat_id: chatId, message_id: id, sender_id: 1, content, timestamp: '2024-01-01T12:00:00' });

test('chat_gets_the_new_messages_of_its_chat_and_sends_004s_frames', async () => {
  reset();
  const view = mount();
  await view.render(app('t', h(ChatComponent, { chatId: 5 })));
  const ctx = contexts.at(-1);
  assert.equal(ctx.active.at(-1), 5, 'the chat is the active conversation');
  assert.equal(seen.chat.isConnected, false);
  await view.frame(() => ctx.setStatus('open'));
  assert.equal(seen.chat.isConnected, true);

  await view.frame(() => {
    ctx.receive(newMessage(5, 1, 'Hello!'));
    ctx.receive(newMessage(6, 2, 'another chat'));
    ctx.receive(typing(5, 2)); // the chat's, but no message
    ctx.receive({ type: 'message_read', chat_id: 5 });
    ctx.receive(newMessage('5', 3, 'chat "5" is chat 5'));
  });
  assert.deepEqual(seen.chat.messages.map((m) => m.message_id), [1, 3]);

  assert.equal(seen.chat.sendMessage('Hello!'), true);
  assert.equal(seen.chat.sendMessage('Look', '/upload/files/filename.jpg'), true);
  assert.equal(seen.chat.setTyping(true), true);
  assert.deepEqual(ctx.sent, [
    { type: 'message', content: 'Hello!', chat_id: 5 },
    { type: 'message', content: 'Look', chat_id: 5, attachment: '/upload/files/filename.jpg' },
    { type: 'typing', chat_id: 5, is_typing: true },
  ]);

  // A re-render gives new callbacks: they are called, the listeners stay the same.
  const listeners = [...ctx.listeners];
  await view.render(app('t', h(ChatComponent, { chatId: 5 })));
  assert.deepEqual([...ctx.listeners], listeners, 'no resubscription');
  await view.frame(() => ctx.receive(newMessage(5, 4, 'after a re-render')));
  assert.deepEqual(seen.chat.messages.map((m) => m.message_id), [1, 3, 4], 'once each');

  // Presence is none of the chat's business: no render.
  const renders = seen.chatRenders;
  await view.frame(() => ctx.receive({ type: 'user_online', user_id: 8 }));
  assert.equal(seen.chatRenders, renders);

  await view.render(app('t'));
  assert.equal(ctx.listening, 0, 'unmount unsubscribes');
  assert.equal(ctx.active.at(-1), null);
  await view.unmount();
});

/** A new root with the provider alone, its context open and `frame` received: `{view, ctx}`. */
async function openWith(frame) {
  reset();
  const view = mount();
  await view.render(app('t'));
  const ctx = contexts.at(-1);
  await view.frame(() => {
    ctx.setStatus('open');
    ctx.receive(frame);
  });
  return { view, ctx };
}

test('chat_typing_reports_each_change_of_the_typists_once', async () => {
  const { view, ctx } = await openWith(typing(5, 9)); // typing before the chat is shown
  await view.render(app('t', h(ChatComponent, { chatId: 5 })));
  assert.deepEqual(calls.typing, [[9, true]], 'reported at mount, once under StrictMode');

  const step = async (fn, expected, why) => {
    calls.typing.length = 0;
    await view.frame(fn);
    assert.deepEqual(calls.typing, expected, why);
  };
  await step(() => ctx.receive(typing(5, 1)), [[1, true]], 'a start');
  await step(() => ctx.receive(typing(5, 1, true)), [], 'a refresh is no change');
  await step(() => ctx.receive(typing(6, 3)), [], 'another chat');
  await step(() => ctx.receive(typing(5, 9, false)), [[9, false]], 'a stop');
  await step(() => ctx.expire(5, 1), [[1, false]], 'an expiry ends a typist too');
  await step(() => {
    ctx.receive(typing(5, 4));
    ctx.receive(typing('5', 7));
  }, [[4, true], [7, true]], 'two starts in one frame');
  assert.deepEqual(seen.chat.typists, [4, 7]);
  await step(() => ctx.setStatus('reconnecting'), [[4, false], [7, false]], 'a disconnect ends every typist');
  assert.deepEqual(seen.chat.typists, []);

  // Another chat: the new chat's typists are reported (and nothing more of the old one).
  await view.frame(() => {
    ctx.setStatus('open');
    ctx.receive(typing(6, 3));
  });
  await step(() => {}, [], 'chat 6 is not shown yet');
  calls.typing.length = 0;
  await view.render(app('t', h(ChatComponent, { chatId: 6 })));
  assert.deepEqual(calls.typing, [[3, true]]);
  assert.equal(ctx.active.at(-1), 6);
  await step(() => ctx.receive(typing(5, 1)), []);
  await view.render(app('t'));
  await step(() => ctx.receive(typing(6, 3, false)), [], 'unmounted: no more calls');
  await view.unmount();
});

test('connections_notifications_and_feed_get_their_channels_frames', async () => {
  reset();
  const view = mount();
  await view.render(app('t', h(ConnectionPanel), h(NotificationCenter), h(FeedComponent)));
  const ctx = contexts.at(-1);
  assert.equal(seen.connections, false);
  await view.frame(() => ctx.setStatus('open'));
  assert.equal(seen.connections, true);
  const post = { id: 1, userId: 2, content: 'Check out my new research!', timestamp: '2024-01-01T12:00:00' };
  await view.frame(() => {
    ctx.receive({ type: 'connection_request', request_id: 1, from_user_id: 2, from_user_name: 'John Doe' });
    ctx.receive({ type: 'connection_accepted', user_id: 3 });
    ctx.receive({ type: 'connection_accepted', from_user_id: 4 });
    ctx.receive({ type: 'comment_on_post', user_name: 'Ann', post_id: 1 });
    ctx.receive({ type: 'reaction', user_name: 'Bob', post_id: 1 });
    ctx.receive({ type: 'notification', id: 5 });
    ctx.receive({ type: 'new_post', post });
    ctx.receive({ type: 'new_comment', comment: { id: 7, postId: 1 } });
    ctx.receive({ type: 'new_comment', id: 8, postId: 1 }); // flat: the frame is the comment
    ctx.receive(newMessage(5, 1, 'a chat message is no one else\'s'));
  });
  assert.deepEqual(calls.requests, [2]);
  assert.deepEqual(calls.accepted, [3, 4]);
  assert.deepEqual(calls.toasts, ['Ann commented on your post', 'reaction', 'notification']);
  assert.deepEqual(calls.posts, [post]);
  assert.deepEqual(calls.comments.map((c) => c.id), [7, 8]);

  // Other notification types (written inline: a new array at each render, no resubscription).
  calls.toasts.length = 0;
  await view.render(app('t', h(NotificationCenter, { types: ['new_reaction'] })));
  const listeners = [...ctx.listeners];
  await view.render(app('t', h(NotificationCenter, { types: ['new_reaction'] })));
  assert.deepEqual([...ctx.listeners], listeners);
  assert.equal(ctx.listening, 1);
  await view.frame(() => {
    ctx.receive({ type: 'reaction', user_name: 'Bob' });
    ctx.receive({ type: 'new_reaction', user_name: 'Bob' });
  });
  assert.deepEqual(calls.toasts, ['new_reaction']);
  await view.render(app('t'));
  assert.equal(ctx.listening, 0, 'unmount unsubscribes');
  await view.unmount();
});

test('online_reports_each_user_once_with_the_name_of_their_frame', async () => {
  const { view, ctx } = await openWith({ type: 'user_online', user_id: 1, full_name: 'John Doe' });
  await view.render(app('t', h(UserStatusIndicator)));
  assert.deepEqual(calls.online, [['online', 1, undefined]], 'online before the mount: reported once, its frame was not seen');

  const step = async (fn, expected, why) => {
    calls.online.length = 0;
    await view.frame(fn);
    assert.deepEqual(calls.online, expected, why);
  };
  // The fake fires onPresence before the frame reaches `on` listeners: the name is still there.
  await step(() => ctx.receive({ type: 'user_online', user_id: 2, full_name: 'Ann Lee' }), [['online', 2, 'Ann Lee']]);
  await step(() => ctx.receive({ type: 'user_online', user_id: '2', full_name: 'Ann Lee' }), [], '"2" is user 2, already online');
  await step(
    () => ctx.receive({ type: 'online_users', users: [2, { user_id: 3, full_name: 'Bo Chen' }, 4] }),
    [['offline', 1], ['online', 3, 'Bo Chen'], ['online', 4, undefined]],
    'a snapshot: who left, who came (the name of their entry, if any)',
  );
  assert.deepEqual(seen.online, [2, 3, 4]);
  await step(() => ctx.receive({ type: 'user_offline', user_id: 3 }), [['offline', 3]]);
  await step(() => {
    ctx.receive({ type: 'user_online', user_id: 5, full_name: 'Eve' });
    ctx.receive({ type: 'user_offline', user_id: 5 });
  }, [], 'online and gone within one frame: no change');
  await step(() => ctx.setStatus('reconnecting'), [['offline', 2], ['offline', 4]], 'a disconnect: nobody is known online');
  assert.deepEqual(seen.online, []);
  await step(() => {
    ctx.setStatus('open');
    ctx.receive({ type: 'online_users', users: [{ user_id: 3 }] });
  }, [['online', 3, 'Bo Chen']], 'a snapshot entry without a name keeps the one seen before');
  await view.render(app('t'));
  await step(() => ctx.receive({ type: 'user_online', user_id: 6 }), [], 'unmounted');
  assert.equal(ctx.listening, 0);
  await view.unmount();
});

test('logout_and_login_move_every_feature_hook_to_the_new_context', async () => {
  reset();
  const view = mount();
  const tree = (token) => app(token, h(ChatComponent, { chatId: 5 }), h(UserStatusIndicator), h(ConnectionPanel));
  await view.render(tree('a'));
  const first = contexts.at(-1);
  await view.frame(() => {
    first.setStatus('open');
    first.receive(typing(5, 1));
    first.receive({ type: 'user_online', user_id: 2, full_name: 'Ann Lee' });
  });
  assert.deepEqual(calls.typing, [[1, true]]);
  assert.deepEqual(calls.online, [['online', 2, 'Ann Lee']]);
  reset();

  await view.render(tree(null));
  assert.equal(first.freed, true);
  assert.deepEqual(calls.typing, [[1, false]], 'the typist ends with the session');
  assert.deepEqual(calls.online, [['offline', 2]]);
  assert.equal(seen.chat.isConnected, false);
  assert.equal(seen.connections, false);
  assert.equal(first.listening, 0, 'nothing left on the old context');
  assert.equal(first.signals.typing.size + first.signals.presence.size, 0);
  assert.throws(() => seen.chat.sendMessage('logged out'), /no realtime connection/);
  assert.equal(seen.chat.setTyping(true), false);
  reset();

  await view.render(tree('b'));
  const second = contexts.at(-1);
  assert.notEqual(second, first);
  assert.equal(second.active.at(-1), 5, 'the chat is active on the new context');
  await view.frame(() => {
    second.setStatus('open');
    second.receive(newMessage(5, 9, 'on the new socket'));
    second.receive(typing(5, 3));
    second.receive({ type: 'user_online', user_id: 4, full_name: 'Dee' });
    second.receive({ type: 'connection_request', from_user_id: 6 });
  });
  assert.equal(seen.chat.isConnected, true);
  assert.deepEqual(seen.chat.messages.map((m) => m.message_id), [9]);
  assert.deepEqual(calls.typing, [[3, true]]);
  assert.deepEqual(calls.online, [['online', 4, 'Dee']]);
  assert.deepEqual(calls.requests, [6]);
  await view.unmount();
  assert.equal(second.listening, 0);
});
