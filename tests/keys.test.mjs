// Conversation ids as the context compares them (the wasm build, in Node), against the cases of
// the Rust key tests (same names): a safe integer and its canonical decimal text are one id, any
// other text is its own id, and ids come back (onUnread, activeConversation) as they were given.
// Seen through onConversation, unreadCount and receive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, thrown } from './support/wasm.mjs';

const ID_ERROR = 'onConversation(id, callback): id must be a string or a finite number';

/** Whether a message sent for conversation `sent` reaches a listener of conversation `listened`. */
function same(sent, listened) {
  const ctx = context();
  let heard = 0;
  ctx.onConversation(listened, () => heard++);
  ctx.receive({ type: 'x', conversation_id: sent });
  ctx.free();
  return heard === 1;
}

/** The unread count of `asked` after one new_message for conversation `sent`. */
function unreadOf(sent, asked) {
  const ctx = context();
  ctx.receive({ type: 'new_message', conversation_id: sent });
  const count = ctx.unreadCount(asked);
  ctx.free();
  return count;
}

/** The conversationId onUnread reports for a new_message of conversation `sent`. */
function reported(sent) {
  const ctx = context();
  const changes = [];
  ctx.onUnread((c) => changes.push(c));
  ctx.receive({ type: 'new_message', conversation_id: sent });
  ctx.free();
  assert.equal(changes.length, 1, `one unread change for ${String(sent)}`);
  assert.deepEqual([changes[0].count, changes[0].total], [1, 1]);
  return changes[0].conversationId;
}

/** `a` and `b` are one conversation, both ways and for unread counts. */
function assertSame(a, b) {
  const what = `${typeof a} ${String(a)} / ${typeof b} ${String(b)}`;
  assert.ok(same(a, b) && same(b, a), `one conversation: ${what}`);
  assert.deepEqual([unreadOf(a, b), unreadOf(b, a)], [1, 1], `one unread count: ${what}`);
}

/** `a` and `b` are two conversations. */
function assertDistinct(a, b) {
  const what = `${typeof a} ${JSON.stringify(a)} / ${typeof b} ${JSON.stringify(b)}`;
  assert.ok(!same(a, b) && !same(b, a), `two conversations: ${what}`);
  assert.deepEqual([unreadOf(a, b), unreadOf(b, a)], [0, 0], `two unread counts: ${what}`);
}

test('numbers_and_their_text_are_the_same_conversation', () => {
  assertSame(123, '123');
  assertSame(-7, '-7');
  assertSame(0, '0');
  // -0 is the id 0 (a message can only carry it as an object, JSON has no -0).
  assertSame(-0, 0);
  assertSame(-0, '0');
});

test('non_canonical_text_stays_text', () => {
  for (const [text, number] of [['042', 42], ['+7', 7], ['-0', 0], ['', 0], [' 1', 1], ['9999999999999999', 1e16], ['42\n', 42], ['1e3', 1000], ['0x10', 16]]) {
    assert.ok(same(text, text), JSON.stringify(text));
    assertDistinct(text, number);
  }
  for (const text of ['-', 'conv_67890']) assert.ok(same(text, text) && unreadOf(text, text) === 1, text);
  assertDistinct('conv_a', 'conv_b');
  assertDistinct('042', '42');
});

test('non_integral_or_unsafe_numbers_are_refused', () => {
  // Rust's `from_number` refuses them, so the shell keys their JS text: 1.5 is "1.5".
  assertSame(1.5, '1.5');
  assertSame(1e16, '10000000000000000');
  assertSame(-0.25, '-0.25');
  assertDistinct(1e16, '9999999999999999');
  assertDistinct(1.5, 1);
  const ctx = context();
  for (const n of [NaN, Infinity, -Infinity]) {
    assert.equal(thrown(() => ctx.onConversation(n, () => {}), `onConversation(${n})`), ID_ERROR);
    assert.equal(
      thrown(() => ctx.setActiveConversation(n), `setActiveConversation(${n})`),
      'setActiveConversation(id): id must be a string, a finite number or null',
    );
    assert.equal(ctx.unreadCount(n), 0);
    ctx.markRead(n); // nothing to mark
  }
  ctx.free();
});

test('the_largest_canonical_text_and_safe_numbers', () => {
  assertSame('999999999999999', 999999999999999); // 15 digits: an integer
  assertSame('-999999999999999', -999999999999999);
  assertSame(Number.MAX_SAFE_INTEGER, '9007199254740991'); // 16 digits, an integer while safe
  assertSame(-Number.MAX_SAFE_INTEGER, '-9007199254740991');
  assertSame('-1234567890123456', -1234567890123456);
  // Past 2^53: text on both sides.
  assertSame(Number.MAX_SAFE_INTEGER + 1, '9007199254740992');
  assertDistinct(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1);
  assertDistinct('9999999999999999', 1e16);
  assertDistinct('42\n', 42);
});

test('other_values_are_not_ids', () => {
  const values = [null, undefined, true, false, {}, [], [1], { id: 1 }, 1n, Symbol('x'), () => 1, new Number(1), new String('1')];
  for (const v of values) {
    const ctx = context();
    const what = typeof v === 'symbol' ? 'a symbol' : `${typeof v} ${String(v)}`;
    assert.equal(thrown(() => ctx.onConversation(v, () => {}), `onConversation(${what})`), ID_ERROR);
    assert.equal(ctx.unreadCount(v), 0, what);
    ctx.markRead(v);
    // A message whose conversation is no id reaches no conversation and counts nowhere.
    let heard = 0;
    ctx.onConversation(1, () => heard++);
    ctx.onConversation('1', () => heard++);
    const routed = [];
    ctx.on('new_message', (m) => routed.push(m));
    ctx.receive({ type: 'new_message', conversation_id: v });
    assert.equal(heard, 0, what);
    assert.equal(ctx.totalUnread, 0, what);
    assert.equal(routed.length, 1, `routed by type: ${what}`);
    ctx.free();
  }
  // null clears the active conversation; other non-ids are refused.
  const ctx = context();
  ctx.setActiveConversation(null);
  for (const v of [true, {}, [], 1n, () => 1, new Number(1)]) {
    assert.equal(
      thrown(() => ctx.setActiveConversation(v), `setActiveConversation(${typeof v})`),
      'setActiveConversation(id): id must be a string, a finite number or null',
    );
  }
  ctx.free();
});

test('text_ids_are_per_context', () => {
  const a = context();
  const b = context();
  a.receive({ type: 'new_message', conversation_id: 'conv_a' });
  a.setActiveConversation('conv_b');
  assert.equal(b.unreadCount('conv_a'), 0);
  assert.equal(b.activeConversation, null);
  b.receive({ type: 'new_message', conversation_id: 'conv_b' });
  assert.deepEqual([a.unreadCount('conv_a'), a.unreadCount('conv_b'), b.unreadCount('conv_b')], [1, 0, 1]);
  a.free();
  b.free();
});

test('original_rebuilds_every_form_of_id', () => {
  const forms = [
    // integers given as numbers
    0, 42, -7, 4294967296, 5000000000, -5000000000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER,
    // integers given as their canonical text
    '42', '-7', '0', '-5000000000', '999999999999999', '1234567890123456',
    // text ids given as strings (non-canonical integer text included)
    'conv_9', '042', '-0', '', '9999999999999999',
    // text ids given as numbers (non-integral or unsafe)
    1.5, -0.25, 1e16, 1e21, Number.MAX_SAFE_INTEGER + 1,
  ];
  for (const id of forms) {
    assert.ok(Object.is(reported(id), id), `onUnread reports ${typeof id} ${JSON.stringify(id)} as given`);
    const ctx = context();
    ctx.setActiveConversation(id);
    assert.ok(Object.is(ctx.activeConversation, id), `activeConversation ${typeof id} ${JSON.stringify(id)}`);
    ctx.free();
  }
  // -0 comes back as the id 0 (either zero: as sent, or normalised).
  assert.ok(reported(-0) === 0);
});

test('original_without_an_active_conversation_is_null', () => {
  const ctx = context();
  assert.equal(ctx.activeConversation, null);
  ctx.setActiveConversation('conv_9');
  ctx.setActiveConversation(null);
  assert.equal(ctx.activeConversation, null);
  ctx.setActiveConversation(7);
  ctx.setActiveConversation(undefined);
  assert.equal(ctx.activeConversation, null, 'undefined clears it too');
  ctx.free();
});

test('the active conversation counts nothing, in any form of its id', () => {
  const ctx = context();
  ctx.setActiveConversation('42');
  ctx.receive({ type: 'new_message', conversation_id: 42 });
  ctx.receive({ type: 'new_message', conversation_id: '42' });
  ctx.receive({ type: 'new_message', conversation_id: '042' });
  assert.deepEqual([ctx.unreadCount(42), ctx.unreadCount('042'), ctx.totalUnread], [0, 1, 1]);
  ctx.markRead('042');
  assert.equal(ctx.totalUnread, 0);
  ctx.free();
});
