// useConversationMessages in Node, as seed 003's thread component uses it: the history it fetched
// over REST given as `initial`, live messages of the conversation arriving on the one socket.
// React and react-dom come from www/node_modules and react/lease.js gets a fake RealtimeContext
// (the pattern of provider.test.mjs); the tree renders no element, so a stand-in container is
// enough. What is checked: the merge, de-duplication across history and live (numeric and string
// ids), order, the bound, a refetch, and that another id or an unmount unsubscribes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeRealtime } from './support/react-node.mjs';
import { mount } from './support/react-root.mjs';

/** Every fake context made, in order. */
const contexts = [];

/** A stand-in for RealtimeContext: keeps its conversation listeners, records sends and the active id. */
class FakeContext {
  constructor(options) {
    this.options = options;
    this.conversations = new Set();
    this.sent = [];
    this.active = [];
    this.state = { status: 'connecting', attempt: 0, nextRetryInMs: null, error: null, since: 0 };
    this.totalUnread = 0;
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
  setActiveConversation(id) { this.active.push(id); }
  on() { return () => {}; }
  onConversation(id, callback) {
    const listener = { id, callback };
    this.conversations.add(listener);
    return () => this.conversations.delete(listener);
  }
  /** The ids listened to now, as strings (`123` and "123" are one conversation). */
  get listening() {
    return [...this.conversations].map(({ id }) => String(id));
  }
  /** A message of conversation `id` arriving on the socket. */
  receive(id, message) {
    for (const l of [...this.conversations]) if (String(l.id) === String(id)) l.callback(message);
  }
  sendMessage(id, text, type = 'TEXT') {
    this.sent.push({ conversation_id: id, message: text, type });
    return this.state.status === 'open';
  }
  setToken() {}
  setTokenProvider() {}
  retry() {}
  logoutEverywhere() {}
  connect() {}
  setStatus(status) {
    this.state = { ...this.state, status };
    this.stateCallback?.(this.state);
  }
  free() { this.freed = true; }
}

fakeRealtime({ Context: FakeContext });


const { createElement: h } = await import('react');
const { RealtimeProvider, useConversationMessages } = await import('../react/index.js');

/** What the thread showed at its last render, and how often it rendered. */
const seen = { thread: null, renders: 0 };

/**
 * Seed 003's thread: its own REST query gives `history` (undefined while loading), the hook
 * merges it with the live messages; it would render `messages.map((m) => <Message key={m.id} … />)`.
 */
function Thread({ conversationId, history, max }) {
  seen.renders += 1;
  seen.thread = useConversationMessages(conversationId, { initial: history, max });
  return null;
}

const options = { url: 'ws://127.0.0.1:9/ws/notifications/', token: 't', routeKey: 'event_type', idKey: 'id' };

/**
 * A root under StrictMode (react-root.mjs) showing the thread with `props`; its
 * `render(threadProps, before?)` shows it anew (null: the provider alone).
 */
async function mountThread(props) {
  const view = mount();
  const render = view.render;
  view.render = (threadProps, before) => render(h(RealtimeProvider, { options }, threadProps && h(Thread, threadProps)), before);
  await view.render(props);
  return { view, ctx: contexts.at(-1) };
}

/** A message of seed 003's flat format. */
const msg = (id, text, conversation = 'conv_1') => ({ event_type: 'new_message', id, conversation_id: conversation, text, sender: 'customer' });
const texts = () => seen.thread.messages.map((m) => m.text);

test('history_then_live_messages_one_per_id_whether_numeric_or_string', async () => {
  const history = [msg(123, 'hi'), msg('124', 'how are you?'), msg(125, 'still there?')];
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history });
  assert.deepEqual(ctx.listening, ['conv_1'], 'one listener (StrictMode mounted it twice)');
  assert.deepEqual(texts(), ['hi', 'how are you?', 'still there?'], 'the history as given');
  await view.frame(() => {
    ctx.receive('conv_1', msg(126, 'new one'));
    ctx.receive('conv_1', msg('123', 'hi (edited)')); // the history's 123, live, as a string
    ctx.receive('conv_1', msg(124, 'how are you? (edited)')); // the history's "124", as a number
    ctx.receive('conv_1', msg(127, 'newer'));
    ctx.receive('conv_1', msg('126', 'new one (edited)')); // a live repeat
  });
  assert.deepEqual(texts(), ['hi (edited)', 'how are you? (edited)', 'still there?', 'new one (edited)', 'newer'],
    'repeats replace in place; new ones follow in arrival order');
  // Another conversation's messages are not this one's.
  await view.frame(() => ctx.receive('conv_2', msg(200, 'elsewhere', 'conv_2')));
  assert.equal(seen.thread.messages.length, 5);
  await view.unmount();
});

test('the_history_keeps_its_order_and_messages_without_an_id_are_all_kept', async () => {
  // Whatever order the REST call gives (003 spreads it as it is), live ones come after it.
  const history = [msg(3, 'c'), msg(1, 'a'), msg(2, 'b')];
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history });
  await view.frame(() => {
    ctx.receive('conv_1', { text: 'no id' });
    ctx.receive('conv_1', { text: 'no id' });
    ctx.receive('conv_1', msg(0, 'zero'));
  });
  assert.deepEqual(texts(), ['c', 'a', 'b', 'no id', 'no id', 'zero']);
  await view.unmount();
});

test('a_burst_of_live_messages_renders_once', async () => {
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history: [] });
  const before = seen.renders;
  const list = seen.thread.messages;
  await view.frame(() => {
    for (let i = 0; i < 50; i++) ctx.receive('conv_1', msg(i, `m${i}`));
  });
  assert.equal(seen.thread.messages.length, 50);
  assert.ok(seen.renders - before <= 2, `one render (two under StrictMode), not ${seen.renders - before}`);
  assert.notEqual(seen.thread.messages, list, 'a new array');
  const after = seen.thread.messages;
  await view.render({ conversationId: 'conv_1', history: [] }); // a new, empty array: merged again
  assert.deepEqual(seen.thread.messages, after);
  await view.unmount();
});

test('at_most_max_messages_the_oldest_dropped', async () => {
  // The default: 200.
  const many = Array.from({ length: 250 }, (_, i) => msg(i, `h${i}`));
  const first = await mountThread({ conversationId: 'conv_1', history: many });
  assert.equal(seen.thread.messages.length, 200);
  assert.equal(seen.thread.messages[0].text, 'h50', 'the oldest 50 dropped');
  await first.view.unmount();

  const history = [msg(1, 'h1'), msg(2, 'h2')];
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history, max: 3 });
  assert.deepEqual(texts(), ['h1', 'h2']);
  await view.frame(() => {
    ctx.receive('conv_1', msg(3, 'l3'));
    ctx.receive('conv_1', msg(4, 'l4'));
  });
  assert.deepEqual(texts(), ['h2', 'l3', 'l4']);
  await view.frame(() => {
    for (let i = 5; i < 20; i++) ctx.receive('conv_1', msg(i, `l${i}`));
  });
  assert.deepEqual(texts(), ['l17', 'l18', 'l19']);
  // A repeat of a kept message takes no room.
  await view.frame(() => ctx.receive('conv_1', msg('18', 'l18 (edited)')));
  assert.deepEqual(texts(), ['l17', 'l18 (edited)', 'l19']);
  // What was dropped is gone, not hidden: a larger max later brings back the history only.
  await view.render({ conversationId: 'conv_1', history, max: 10 });
  assert.deepEqual(texts(), ['h1', 'h2', 'l17', 'l18 (edited)', 'l19']);
  await view.unmount();
});

test('live_messages_before_the_history_loaded_and_a_refetch_are_merged', async () => {
  // 003's query is still loading: `history` is undefined, live messages show meanwhile.
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history: undefined });
  assert.deepEqual(seen.thread.messages, []);
  await view.frame(() => ctx.receive('conv_1', msg(3, 'three (live)')));
  assert.deepEqual(texts(), ['three (live)']);
  // The history arrives and includes it: one entry, at its place in the history.
  await view.render({ conversationId: 'conv_1', history: [msg(1, 'one'), msg(2, 'two'), msg('3', 'three')] });
  assert.deepEqual(texts(), ['one', 'two', 'three (live)']);
  await view.frame(() => {
    ctx.receive('conv_1', msg(4, 'four'));
    ctx.receive('conv_1', msg(2, 'two (edited)'));
  });
  assert.deepEqual(texts(), ['one', 'two (edited)', 'three (live)', 'four']);
  // A refetch (after a reconnect, say) is merged again: it has 4, received live, and a 5 missed
  // while offline; the live copies still stand in for their entries.
  await view.render({ conversationId: 'conv_1', history: [msg(1, 'one'), msg(2, 'two'), msg(3, 'three'), msg(4, 'four'), msg(5, 'five')] });
  assert.deepEqual(texts(), ['one', 'two (edited)', 'three (live)', 'four', 'five']);
  await view.frame(() => {
    ctx.receive('conv_1', msg(6, 'six'));
    ctx.receive('conv_1', msg(5, 'five (edited)'));
  });
  assert.deepEqual(texts(), ['one', 'two (edited)', 'three (live)', 'four', 'five (edited)', 'six']);
  // An `initial` made anew at each render (`data?.map(…)`) changes nothing either.
  await view.render({ conversationId: 'conv_1', history: [msg(1, 'one'), msg(2, 'two'), msg(3, 'three'), msg(4, 'four'), msg(5, 'five')] });
  assert.deepEqual(texts(), ['one', 'two (edited)', 'three (live)', 'four', 'five (edited)', 'six']);
  // A shorter page (the latest three) drops what it no longer holds, unless it came live.
  await view.render({ conversationId: 'conv_1', history: [msg(3, 'three'), msg(4, 'four'), msg(5, 'five')] });
  assert.deepEqual(texts(), ['three (live)', 'four', 'five (edited)', 'two (edited)', 'six']);
  await view.unmount();
});

test('another_id_unsubscribes_the_old_conversation_and_starts_a_new_list', async () => {
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history: [msg(1, 'one')] });
  await view.frame(() => ctx.receive('conv_1', msg(2, 'two')));
  assert.deepEqual(texts(), ['one', 'two']);
  assert.equal(ctx.active.at(-1), 'conv_1', 'the shown conversation is the active one');
  // The component switches conversation; its query has not answered yet.
  await view.render({ conversationId: 'conv_2', history: undefined });
  assert.deepEqual(ctx.listening, ['conv_2'], 'conv_1 unsubscribed');
  assert.equal(ctx.active.at(-1), 'conv_2');
  assert.deepEqual(seen.thread.messages, [], 'nothing of conv_1');
  await view.frame(() => {
    ctx.receive('conv_1', msg(3, 'three, in conv_1'));
    ctx.receive('conv_2', msg(1, 'conv_2 live', 'conv_2'));
  });
  assert.deepEqual(texts(), ['conv_2 live']);
  await view.render({ conversationId: 'conv_2', history: [msg(0, 'conv_2 zero', 'conv_2'), msg('1', 'conv_2 one', 'conv_2')] });
  assert.deepEqual(texts(), ['conv_2 zero', 'conv_2 live'], 'the live copy of "1" in its history place');
  // Back to conv_1 (numeric ids work as well): a fresh list from its history.
  await view.render({ conversationId: 7, history: [msg(1, 'seven one', 7)] });
  assert.deepEqual(ctx.listening, ['7']);
  await view.frame(() => ctx.receive('7', msg(2, 'seven two', 7)));
  assert.deepEqual(texts(), ['seven one', 'seven two']);
  await view.unmount();
});

test('messages_arrived_but_not_yet_shown_when_the_id_changes_are_dropped', async () => {
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history: [] });
  // A message arrives, and the switch commits before the frame that would show it.
  await view.render({ conversationId: 'conv_2', history: [] }, () => ctx.receive('conv_1', msg(1, 'late for conv_1')));
  assert.deepEqual(seen.thread.messages, []);
  await view.render({ conversationId: 'conv_1', history: [] });
  assert.deepEqual(seen.thread.messages, [], 'nor when conv_1 is shown again');
  await view.unmount();
});

test('unmount_unsubscribes_and_the_connection_and_sendMessage_pass_through', async () => {
  const { view, ctx } = await mountThread({ conversationId: 'conv_1', history: [] });
  assert.equal(seen.thread.isConnected, false);
  assert.equal(seen.thread.isConnecting, true);
  await view.frame(() => ctx.setStatus('open'));
  assert.equal(seen.thread.isConnected, true);
  assert.equal(seen.thread.sendMessage('conv_1', 'Hello!'), true);
  assert.deepEqual(ctx.sent, [{ conversation_id: 'conv_1', message: 'Hello!', type: 'TEXT' }]);
  assert.deepEqual(ctx.listening, ['conv_1']);
  // The thread unmounts, the provider (and its socket) stays.
  await view.render(null);
  assert.deepEqual(ctx.listening, [], 'unsubscribed');
  assert.equal(ctx.active.at(-1), null, 'no conversation active any more');
  assert.equal(ctx.freed, undefined);
  await view.frame(() => ctx.receive('conv_1', msg(1, 'after unmount')));
  await view.unmount();
});
