// js/inbox.js against the tests of the Rust inbox module (src/core/inbox.rs before the move; same names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Inbox } from '../js/inbox.js';

// The Rust helper `ids`: each item as [key, value, read], newest first (keys here are all integers).
const ids = (inbox) => inbox.items.map((i) => [typeof i.key === 'number' ? i.key : -1, i.value, i.read]);

test('live_items_go_first_and_the_oldest_beyond_max_are_dropped', () => {
  const inbox = new Inbox(3);
  for (let n = 1; n <= 4; n++) inbox.addLive(n, 'live', false);
  assert.deepEqual(ids(inbox), [
    [4, 'live', false],
    [3, 'live', false],
    [2, 'live', false],
  ]);
});

test('the_same_id_is_never_stored_twice', () => {
  const inbox = new Inbox(10);
  inbox.addLive(1, 'first', false);
  inbox.markRead(1);
  inbox.addLive(2, 'other', false);
  inbox.addLive(1, 'again', false);
  assert.deepEqual(ids(inbox), [
    [2, 'other', false],
    [1, 'again', true],
  ]);
  inbox.setFetched([
    { key: 3, value: 'a', read: false },
    { key: 3, value: 'dup', read: false },
  ]);
  assert.equal(inbox.items.filter((i) => i.key === 3).length, 1);
});

test('a_fetch_racing_live_messages_stays_consistent', () => {
  const inbox = new Inbox(10);
  inbox.setFetched([
    { key: 1, value: 'old-fetch', read: false },
    { key: 9, value: 'deleted-on-server', read: false },
  ]);
  inbox.addLive(5, 'live-5', false);
  inbox.addLive(6, 'live-6', false);
  inbox.addLive(2, 'live-2', false);
  // The fetch knows 2 (read, its copy wins) and 1, not 5, 6 or 9.
  inbox.setFetched([
    { key: 2, value: 'fetched-2', read: true },
    { key: 1, value: 'fetched-1', read: false },
  ]);
  assert.deepEqual(ids(inbox), [
    [6, 'live-6', false],
    [5, 'live-5', false],
    [2, 'fetched-2', true],
    [1, 'fetched-1', false],
  ]);
  assert.equal(inbox.unread, 3);
});

test('read_flags_and_removal', () => {
  const inbox = new Inbox(10);
  inbox.addLive(1, 'a', false);
  inbox.addLive(2, 'b', false);
  assert.equal(inbox.markRead(1), true);
  assert.equal(inbox.markRead(1), false);
  assert.equal(inbox.markRead(7), false);
  assert.equal(inbox.unread, 1);
  assert.equal(inbox.markAllRead(), true);
  assert.equal(inbox.markAllRead(), false);
  assert.equal(inbox.unread, 0);
  assert.equal(inbox.remove(2), true);
  assert.equal(inbox.remove(2), false);
  assert.deepEqual(ids(inbox), [[1, 'a', true]]);
});
