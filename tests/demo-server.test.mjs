// The demo server's delivery rules on the unified endpoint, seen by a plain `ws` client: every
// frame pushed to a user carries the next id of that user, `resume` replays exactly the kept
// frames after `last_id`, and a frame written twice with one `client_id` is applied once and
// acked twice; typing and presence frames go out beside the log, without ids. The legacy
// endpoints stay as they were.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { startDemoServer } from '../www/server.mjs';
import { until as poll } from './support/wait.mjs';

const HISTORY = 20;
let server;

before(async () => {
  server = await startDemoServer({ port: 0, historySize: HISTORY });
});

after(async () => {
  await server?.close();
});

/** Polls `probe` (sync or async) until it returns a truthy value; fails after `ms`, naming `what`. */
async function until(probe, what, ms = 5000) {
  const value = await poll(probe, { timeoutMs: ms, everyMs: 10 });
  if (!value) assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
  return value;
}

/** POSTs `body` to the server's `path` and returns the JSON answer (null for 204). */
async function post(path, body) {
  const res = await fetch(new URL(path, server.url), { method: 'POST', body: JSON.stringify(body) });
  assert.ok(res.ok, `${path}: HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

const control = (path, body) => post(`control/${path}`, body);
const emit = (user, kind, count = 1) => control('emit', { user, kind, count });
const stored = async (user, conversation = 1) => {
  const res = await fetch(new URL(`control/state?user=${user}`, server.url));
  return (await res.json()).messages[conversation].map((m) => m.message);
};

const PRESENCE = ['online_users', 'user_online', 'user_offline'];

/**
 * A socket of `user` on `path` that records every frame but pongs: presence frames (any
 * unified socket opening or closing makes some) in `presence`, the others in `frames`.
 * `settle()` resolves once everything sent to it so far has arrived (a ping's pong came back)
 * and returns `frames`.
 */
async function connect(user, path = '/ws/realtime/') {
  const { token } = await post('api/login', { user });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}?token=${token}`);
  const frames = [];
  const presence = [];
  let pongs = 0;
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'pong') pongs += 1;
    else if (PRESENCE.includes(frame.type)) presence.push(frame);
    else frames.push(frame);
  });
  await once(ws, 'open');
  const send = (frame) => ws.send(JSON.stringify(frame));
  return {
    frames,
    presence,
    send,
    async settle() {
      const want = pongs + 1;
      send({ type: 'ping' });
      await until(() => pongs >= want, `${user}: the pong on ${path}`);
      return frames;
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close(1000);
      await once(ws, 'close');
    },
  };
}

const ids = (frames) => frames.map((f) => f.id);
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const withoutId = ({ id, ...rest }) => rest;

test('every frame pushed to a user carries the next id of that user; legacy sockets get the frames as before', async () => {
  const user = 'ids';
  const unified = await connect(user);
  const legacyNotifications = await connect(user, '/ws/notifications/');
  const legacyRequests = await connect(user, '/ws/friend-requests/');
  try {
    await emit(user, 'notification');
    await emit(user, 'friend_request');
    await emit(user, 'message', 3);
    await emit(user, 'friend_accepted'); // two frames: the update, then the notification
    await control('send', { user, frame: { type: 'probe', n: 1 } });
    await control('send', { user, channel: 'friend_requests', frame: { type: 'probe', n: 2 } });
    const frames = await unified.settle();
    assert.equal(frames.length, 9);
    assert.deepEqual(ids(frames), range(1, 9), 'ids 1, 2, 3, ... in the order pushed');
    // Ids are per user: another user's count starts at 1 too.
    const other = await connect('ids-other');
    await emit('ids-other', 'notification');
    assert.deepEqual(ids(await other.settle()), [1]);
    await other.close();

    const notifications = await legacyNotifications.settle();
    const requests = await legacyRequests.settle();
    assert.equal(notifications.length + requests.length, 9, 'each frame on the legacy socket of its channel');
    for (const f of [...notifications, ...requests]) assert.ok(!('id' in f), `no id on a legacy frame: ${JSON.stringify(f)}`);
    const unifiedNotifications = frames.filter((f) => f.type !== 'friend_request_update' && f.n !== 2);
    assert.deepEqual(notifications, unifiedNotifications.map(withoutId), 'the same frames, without the id');

    // `raw: true` sends a frame as given (a test's own id), not numbered and not kept.
    await control('send', { user, raw: true, frame: { type: 'probe', id: 'mine' } });
    await emit(user, 'notification');
    assert.deepEqual(ids((await unified.settle()).slice(9)), ['mine', 10]);
  } finally {
    await Promise.all([unified.close(), legacyNotifications.close(), legacyRequests.close()]);
  }
});

test('resume replays exactly the frames after last_id, in order, before anything new', async () => {
  const user = 'resume';
  const first = await connect(user);
  await emit(user, 'notification', 3);
  await emit(user, 'message', 2);
  const seen = await first.settle();
  assert.deepEqual(ids(seen), range(1, 5));
  await first.close();

  // While no socket is open, frames are still numbered and kept.
  await emit(user, 'friend_request');
  await emit(user, 'message', 2);

  const second = await connect(user);
  try {
    second.send({ type: 'resume', last_id: 3 });
    const replayed = await second.settle();
    assert.deepEqual(ids(replayed), range(4, 8), 'ids 4..8: after last_id, in order');
    assert.deepEqual(replayed.slice(0, 2), seen.slice(3), 'the same frames as first sent');
    assert.deepEqual(replayed.map((f) => f.type), ['new_message', 'new_message', 'friend_request_update', 'new_message', 'new_message']);
    await emit(user, 'notification');
    assert.deepEqual(ids(await second.settle()), range(4, 9), 'then the new one');
  } finally {
    await second.close();
  }

  // last_id as a string of digits works alike; at the newest id nothing is replayed.
  const third = await connect(user);
  try {
    third.send({ type: 'resume', last_id: '7' });
    assert.deepEqual(ids(await third.settle()), [8, 9]);
    third.send({ type: 'resume', last_id: 9 });
    third.send({ type: 'resume', last_id: 'x' });
    third.send({ type: 'resume' });
    assert.deepEqual(ids(await third.settle()), [8, 9], 'nothing for last_id 9 or a bad last_id');
  } finally {
    await third.close();
  }
});

test('resume skips what the socket already had live, and the history keeps the last historySize frames', async () => {
  const user = 'resume-window';
  await emit(user, 'notification', HISTORY + 5); // ids 1..25, none sent: no socket
  const socket = await connect(user);
  try {
    await emit(user, 'notification'); // id 26, live before the resume
    socket.send({ type: 'resume', last_id: 0 });
    const frames = await socket.settle();
    // The history now holds ids 7..26 (the last HISTORY); 26 went out live, so 7..25 follow.
    assert.deepEqual(ids(frames), [26, ...range(HISTORY + 6 - HISTORY + 1, HISTORY + 5)]);
  } finally {
    await socket.close();
  }
});

test('a frame written twice with one client_id is applied once and every copy is acked on its socket', async () => {
  const user = 'acks';
  const a = await connect(user);
  const b = await connect(user);
  try {
    const frame = { conversation_id: 1, message: 'exactly once', type: 'TEXT', client_id: 'c-1' };
    a.send(frame);
    await until(() => a.frames.some((f) => f.type === 'ack'), 'the first ack');
    b.send(frame); // the copy written again after a reconnect
    a.send(frame);
    await until(() => a.frames.filter((f) => f.type === 'ack').length === 2, 'the third ack');
    await until(() => b.frames.some((f) => f.type === 'ack'), 'the second ack');
    const [onA, onB] = [await a.settle(), await b.settle()];
    assert.deepEqual(onA.map((f) => f.type), ['new_message', 'ack', 'ack'], 'applied before its ack; the copy only acked');
    assert.deepEqual(onB.map((f) => f.type), ['new_message', 'ack'], 'every socket gets the message; each ack only the socket that sent it');
    assert.deepEqual(onA[1], { type: 'ack', client_id: 'c-1' });
    assert.deepEqual(onA[0], onB[0]);
    assert.equal(onA[0].message, 'exactly once');
    assert.deepEqual(await stored(user), ['exactly once'], 'stored once');

    // Another client_id is another message; without a client_id it is applied and not acked;
    // a client_id that is no string of 1-256 characters is neither applied nor acked.
    a.send({ ...frame, message: 'second', client_id: 'c-2' });
    a.send({ conversation_id: 1, message: 'no id', type: 'TEXT' });
    a.send({ ...frame, message: 'bad id', client_id: 7 });
    a.send({ ...frame, message: 'bad id', client_id: '' });
    const more = (await a.settle()).slice(3);
    assert.deepEqual(more.map((f) => f.type), ['new_message', 'ack', 'new_message']);
    assert.deepEqual(more[1], { type: 'ack', client_id: 'c-2' });
    assert.deepEqual(await stored(user), ['exactly once', 'second', 'no id']);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }

  // Client_ids are per user: the same one from another user is applied.
  const other = await connect('acks-other');
  try {
    other.send({ conversation_id: 1, message: 'mine', type: 'TEXT', client_id: 'c-1' });
    assert.deepEqual((await other.settle()).map((f) => f.type), ['new_message', 'ack']);
  } finally {
    await other.close();
  }

  // The legacy chat endpoint is unchanged: every frame applied, nothing acked.
  const legacy = await connect('acks-legacy', '/ws/notifications/');
  try {
    const frame = { conversation_id: 2, message: 'legacy', type: 'TEXT', client_id: 'c-9' };
    legacy.send(frame);
    legacy.send(frame);
    assert.deepEqual((await legacy.settle()).map((f) => f.type), ['new_message', 'new_message']);
    assert.deepEqual(await stored('acks-legacy', 2), ['legacy', 'legacy']);
  } finally {
    await legacy.close();
  }
});

test('typing from a member goes to the other members\' unified sockets, without an id, and is never kept', async () => {
  const [ada, bob, bobAgain] = [await connect('typing-ada'), await connect('typing-bob'), await connect('typing-bob')];
  const legacy = [await connect('typing-ada', '/ws/notifications/'), await connect('typing-ada', '/ws/friend-requests/')];
  try {
    bob.send({ type: 'typing', conversation_id: 1, is_typing: true });
    bob.send({ type: 'typing', conversation_id: '2', is_typing: false });
    bob.send({ type: 'typing', conversation_id: 3 }); // no is_typing: a start
    // Not relayed: an unknown conversation, a bad conversation id or is_typing.
    bob.send({ type: 'typing', conversation_id: 99, is_typing: true });
    bob.send({ type: 'typing', conversation_id: true, is_typing: true });
    bob.send({ type: 'typing', conversation_id: 1, is_typing: 'yes' });
    await bob.settle();
    assert.deepEqual(await ada.settle(), [
      { type: 'typing', conversation_id: 1, user_id: 'typing-bob', is_typing: true },
      { type: 'typing', conversation_id: 2, user_id: 'typing-bob', is_typing: false },
      { type: 'typing', conversation_id: 3, user_id: 'typing-bob', is_typing: true },
    ]);
    assert.deepEqual(await bobAgain.settle(), [], 'never to the typist, on none of their sockets');
    assert.deepEqual(bob.frames, []);
    for (const socket of legacy) assert.deepEqual(await socket.settle(), [], 'nothing on the legacy endpoints');
    assert.deepEqual(await stored('typing-bob'), [], 'a typing frame is no chat message');

    // Typing is not numbered nor kept: a resume replays nothing, the next frame pushed gets id 1.
    ada.send({ type: 'resume', last_id: 0 });
    await emit('typing-ada', 'notification');
    assert.deepEqual(ids((await ada.settle()).slice(3)), [1]);

    // And the other way round.
    ada.send({ type: 'typing', conversation_id: 1, is_typing: true });
    await ada.settle();
    const toBob = { type: 'typing', conversation_id: 1, user_id: 'typing-ada', is_typing: true };
    assert.deepEqual(await bob.settle(), [toBob]);
    assert.deepEqual(await bobAgain.settle(), [toBob]);
  } finally {
    await Promise.all([ada, bob, bobAgain, ...legacy].map((s) => s.close()));
  }

  // The legacy chat endpoint is unchanged: a typing frame from it is relayed to nobody.
  const [ada2, legacyBob] = [await connect('typing-ada'), await connect('typing-bob', '/ws/notifications/')];
  try {
    legacyBob.send({ type: 'typing', conversation_id: 1, is_typing: true });
    await legacyBob.settle();
    assert.deepEqual(await ada2.settle(), []);
  } finally {
    await Promise.all([ada2.close(), legacyBob.close()]);
  }
});

test('presence: a snapshot of the others for each new socket; user_online on the first socket, user_offline after the last', async () => {
  // The frames about this test's users (sockets of earlier tests may still be closing).
  const users = ['ada', 'bob', 'carol'];
  const mine = (socket) =>
    socket.presence
      .filter((f) => f.type === 'online_users' || users.includes(f.user_id))
      .map((f) => (f.type === 'online_users' ? { ...f, users: f.users.filter((u) => users.includes(u.user_id)) } : f));
  const unifiedSockets = async (user) => (await (await fetch(new URL(`control/sockets?user=${user}`, server.url))).json()).realtime;
  const opened = [];
  const open = async (user, path) => {
    const socket = await connect(user, path);
    opened.push(socket);
    return socket;
  };
  try {
    const ada = await open('ada');
    const legacy = await open('ada', '/ws/notifications/');
    await ada.settle();
    assert.deepEqual(mine(ada), [{ type: 'online_users', users: [] }], 'nobody else online yet');

    const bob = await open('bob');
    await until(() => mine(ada).length === 2, "ada: bob's user_online");
    assert.deepEqual(mine(ada)[1], { type: 'user_online', user_id: 'bob', full_name: 'Bob' });
    await bob.settle();
    assert.deepEqual(mine(bob), [{ type: 'online_users', users: [{ user_id: 'ada', full_name: 'Ada Lovelace' }] }]);

    // A second socket of bob: its own snapshot, nothing new for ada; closing one of two neither.
    const bobAgain = await open('bob');
    await bobAgain.settle();
    assert.deepEqual(mine(bobAgain), mine(bob));
    await bob.close();
    await until(async () => (await unifiedSockets('bob')) === 1, "the server: bob's first socket closed");
    await ada.settle();
    assert.equal(mine(ada).length, 2, 'bob is still online');

    await bobAgain.close();
    await until(() => mine(ada).length === 3, "ada: bob's user_offline");
    assert.deepEqual(mine(ada)[2], { type: 'user_offline', user_id: 'bob' });
    for (const f of ada.presence) assert.ok(!('id' in f), `no id on a presence frame: ${JSON.stringify(f)}`);
    assert.deepEqual(await ada.settle(), [], 'no other frame');

    // The legacy endpoints know nothing of presence: no frames, and a legacy socket is not online.
    await legacy.settle();
    assert.deepEqual(legacy.presence, []);
    const legacyBob = await open('bob', '/ws/notifications/');
    await legacyBob.settle();
    const carol = await open('carol');
    await carol.settle();
    assert.deepEqual(mine(carol), [{ type: 'online_users', users: [{ user_id: 'ada', full_name: 'Ada Lovelace' }] }]);
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
});
