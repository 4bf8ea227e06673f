// The in-app notification store of a context (the wasm build, in Node), against the cases of the
// Rust inbox tests (same names): live notifications arrive through receive(), REST lists through
// setNotifications(), and notifications() shows the store, newest first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, thrown } from './support/wasm.mjs';

/** The store of `ctx`, each notification as [id, value, read], newest first. */
const ids = (ctx) => ctx.notifications().map((n) => [n.id, n.value, n.read]);
/** A notification arriving on the socket. */
const live = (ctx, id, value, extra = {}) => ctx.receive({ type: 'notification', notification: { id, value, ...extra } });

test('live_items_go_first_and_the_oldest_beyond_max_are_dropped', () => {
  const ctx = context({ maxNotifications: 3 });
  for (let n = 1; n <= 4; n++) live(ctx, n, 'live');
  assert.deepEqual(ids(ctx), [
    [4, 'live', false],
    [3, 'live', false],
    [2, 'live', false],
  ]);
  ctx.setNotifications([5, 6, 7, 8].map((id) => ({ id, value: 'fetched' })));
  assert.deepEqual(ids(ctx).map(([id]) => id), [4, 3, 2], 'live items first, then as many fetched as fit');
  ctx.free();
});

test('the_same_id_is_never_stored_twice', () => {
  const ctx = context();
  live(ctx, 1, 'first');
  ctx.markNotificationRead(1);
  live(ctx, 2, 'other');
  live(ctx, 1, 'again');
  assert.deepEqual(ids(ctx), [
    [2, 'other', false],
    [1, 'again', true],
  ]);
  ctx.setNotifications([
    { id: 3, value: 'a' },
    { id: 3, value: 'dup' },
  ]);
  assert.deepEqual(ctx.notifications().filter((n) => n.id === 3).map((n) => n.value), ['a']);
  // 123 and "123" are one id.
  live(ctx, '4', 'text');
  live(ctx, 4, 'number');
  assert.deepEqual(ids(ctx).filter(([id]) => id == 4), [[4, 'number', false]]);
  ctx.markNotificationRead('4');
  ctx.removeNotification('3');
  assert.deepEqual(ids(ctx), [
    [4, 'number', true],
    [2, 'other', false],
    [1, 'again', true],
  ]);
  ctx.free();
});

test('a_fetch_racing_live_messages_stays_consistent', () => {
  const ctx = context();
  ctx.setNotifications([
    { id: 1, value: 'old-fetch' },
    { id: 9, value: 'deleted-on-server' },
  ]);
  live(ctx, 5, 'live-5');
  live(ctx, 6, 'live-6');
  live(ctx, 2, 'live-2');
  // The fetch knows 2 (read, its copy wins) and 1, not 5, 6 or 9.
  ctx.setNotifications([
    { id: 2, value: 'fetched-2', read: true },
    { id: 1, value: 'fetched-1', read: false },
  ]);
  assert.deepEqual(ids(ctx), [
    [6, 'live-6', false],
    [5, 'live-5', false],
    [2, 'fetched-2', true],
    [1, 'fetched-1', false],
  ]);
  assert.equal(ctx.unreadNotifications, 3);
  ctx.free();
});

test('read_flags_and_removal', () => {
  const ctx = context();
  const changes = [];
  ctx.onNotifications((list) => changes.push(list));
  live(ctx, 1, 'a');
  live(ctx, 2, 'b');
  const count = () => changes.length;
  const at = count();
  ctx.markNotificationRead(1);
  assert.equal(count(), at + 1, 'a change');
  ctx.markNotificationRead(1);
  ctx.markNotificationRead(7);
  assert.equal(count(), at + 1, 'already read, or unknown: no change');
  assert.equal(ctx.unreadNotifications, 1);
  ctx.markAllNotificationsRead();
  assert.equal(count(), at + 2);
  ctx.markAllNotificationsRead();
  assert.equal(count(), at + 2, 'none unread: no change');
  assert.equal(ctx.unreadNotifications, 0);
  ctx.removeNotification(2);
  ctx.removeNotification(2);
  assert.equal(count(), at + 3, 'removing an unknown id changes nothing');
  assert.deepEqual(ids(ctx), [[1, 'a', true]]);
  assert.equal(changes.at(-1), ctx.notifications(), 'listeners get the store as notifications() shows it');
  ctx.free();
});

test('notifications() is the same frozen array until the store changes', () => {
  const ctx = context();
  const empty = ctx.notifications();
  assert.deepEqual(empty, []);
  assert.ok(Object.isFrozen(empty));
  live(ctx, 1, 'a');
  const one = ctx.notifications();
  assert.notEqual(one, empty);
  assert.ok(Object.isFrozen(one));
  assert.equal(ctx.notifications(), one);
  ctx.markNotificationRead(99);
  ctx.removeNotification(99);
  assert.equal(ctx.notifications(), one, 'no change, same array');
  ctx.markNotificationRead(1);
  assert.notEqual(ctx.notifications(), one);
  // Each entry is the server's object plus `read`; the server's object itself is left alone.
  const sent = { id: 2, value: 'b', extra: { deep: true } };
  ctx.receive({ type: 'notification', notification: sent });
  assert.deepEqual(ctx.notifications()[0], { ...sent, read: false });
  assert.equal('read' in sent, false);
  ctx.free();
});

test('read and is_read flags of fetched and live notifications', () => {
  const ctx = context();
  ctx.setNotifications([
    { id: 1, read: true },
    { id: 2, is_read: true },
    { id: 3, read: 'yes' },
    { id: 4 },
  ]);
  assert.deepEqual(ctx.notifications().map((n) => [n.id, n.read]), [[1, true], [2, true], [3, false], [4, false]]);
  live(ctx, 5, 'v', { read: true });
  assert.deepEqual(ctx.notifications()[0].read, true);
  assert.equal(ctx.unreadNotifications, 2);
  ctx.free();
});

test('a notification message without the notification key is stored itself; one without an id is kept apart', () => {
  const ctx = context();
  ctx.receive({ type: 'notification', id: 7, text: 'whole message' });
  assert.deepEqual(ctx.notifications(), [{ type: 'notification', id: 7, text: 'whole message', read: false }]);
  ctx.receive({ type: 'notification', notification: { text: 'no id' } });
  ctx.receive({ type: 'notification', notification: { text: 'no id either' } });
  assert.deepEqual(ctx.notifications().map((n) => n.text), ['no id either', 'no id', 'whole message']);
  ctx.free();
  const custom = context({ notificationType: 'alert', notificationKey: 'payload' });
  custom.receive({ type: 'notification', notification: { id: 1 } });
  custom.receive({ type: 'alert', payload: { id: 2 } });
  assert.deepEqual(custom.notifications(), [{ id: 2, read: false }]);
  custom.free();
});

test('setNotifications refuses anything but a list of objects, changing nothing', () => {
  const ctx = context();
  live(ctx, 1, 'a');
  const before = ctx.notifications();
  const LIST = 'setNotifications(list): list must be an array of notification objects';
  for (const bad of [undefined, null, 'x', 1, { id: 1 }, [1], [{ id: 2 }, null], [{ id: 2 }, 'x'], [undefined]]) {
    assert.equal(thrown(() => ctx.setNotifications(bad), `setNotifications(${JSON.stringify(bad)})`), LIST);
  }
  assert.equal(ctx.notifications(), before);
  ctx.setNotifications([]);
  assert.deepEqual(ids(ctx), [[1, 'a', false]], 'an empty list keeps what arrived live');
  ctx.free();
});
