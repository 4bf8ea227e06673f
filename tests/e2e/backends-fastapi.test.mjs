// The release build (pkg/) in headless Chromium against seed 004's real FastAPI backend
// (tests/backends/fastapi, served by uvicorn): its ConnectionManager behind the original
// per-channel endpoints (/ws/{channel}?token=, one socket each) and the user-level endpoint
// (/ws/realtime?token=, one socket in every channel of the user), configured with options alone
// as docs/backends.md says.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launchChromium, startStatic } from '../support/browser.mjs';
import { USER_IDS, ensureRedisServer, freePort, http, signJwt, sleep, startFastapiApp, startRedis, startUvicorn, until } from '../backends/lib.mjs';
import { PAGE, openApp } from './lib/backends-page.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** 004's options (docs/backends.md): the user-level socket, and the old per-channel ones. */
export function userLevelOptions(ws, token) {
  return {
    url: `${ws}/ws/realtime`, token,
    conversationKey: 'chat_id', idKey: 'message_id',
    notify: { types: ['new_message'], titleKey: 'sender_name', bodyKey: 'content' },
    messageFrame: { textKey: 'content', type: 'message' }, // sendMessage(chatId, text) → {chat_id, content, type: "message"}
  };
}
export function channelOptions(ws, token, channel) {
  return { url: `${ws}/ws/${channel}`, token, conversationKey: 'chat_id', notify: false };
}

const EVENTS = ['new_message', 'typing', 'connection_request', 'connection_accepted', 'comment_on_post', 'new_post', 'new_comment', 'user_online', 'user_offline'];
const CHANNELS = {
  chat5: ['messages/5', ['new_message', 'typing']],
  connections: ['connections', ['connection_request', 'connection_accepted']],
  notifications: ['notifications', ['comment_on_post']],
  feed: ['feed', ['new_post', 'new_comment']],
  online: ['online', ['user_online', 'user_offline']],
};

let work, bin, server, web, browser, tokens, secret, api;
const scaled = {}; // redis, A, B of the several-process test
const F = { clients: [] }; // server, api and the open [app, client] pairs of the typing, presence and receipt tests
const apps = {};
const env = () => ({ JWT_SECRET: secret, DB_PATH: join(work.dir, 'messages.sqlite3') });
const stats = () => api.get('/api/debug/stats');
const emit = (channel, message, user_ids) => api.post('/api/emit', { channel, message, user_ids });
const sentBy = async (path, userId, on = api) => (await on.get('/api/debug/stats')).frames.filter((f) => f.path === path && f.user_id === userId).map((f) => JSON.parse(f.text)).filter((f) => f.type !== 'ping');

before(async () => {
  ({ work, bin, secret, server, api, tokens } = await startFastapiApp('fastapi'));
  web = await startStatic(root, { '/': PAGE });
  browser = await launchChromium();
  for (const name of ['user', 'channels', 'others', 'bad']) apps[name] = await openApp(browser, web.url, name);
});

after(async () => {
  await browser?.close();
  await web?.close();
  await server?.stop();
  await F.server?.stop();
  await scaled.B?.stop();
  await scaled.A?.stop();
  await scaled.redis?.stop();
  work?.remove();
});

test('the user-level endpoint is one socket in every channel; the per-channel endpoints one socket each', async () => {
  await apps.user.open('bob', userLevelOptions(server.ws, tokens.bob), { types: [...EVENTS, '*'], conversations: [5, 7] });
  for (const [name, [channel, types]] of Object.entries(CHANNELS)) {
    await apps.channels.open(name, channelOptions(server.ws, tokens.bob, channel), { types: [...types, '*'], conversations: name === 'chat5' ? [5] : [] });
  }
  await apps.user.waitStatus('bob', 'open');
  for (const name of Object.keys(CHANNELS)) await apps.channels.waitStatus(name, 'open');
  assert.deepEqual(await apps.user.socketsMade(), ['/ws/realtime']);
  assert.equal((await apps.channels.socketsMade()).length, 5);
  const { sockets } = await stats();
  for (const channel of ['connections', 'notifications', 'feed', 'online', 'messages_5']) assert.equal(sockets[`${channel} 2`], 2, `${channel}: the user-level socket and the per-channel one`);
  assert.equal(sockets['messages_7 2'], 1, 'chat 7: only the user-level socket');
  await apps.user.call('bob', 'setActiveConversation', 5);
});

test('a bad token ends in closed + unauthorized (1008 after accept), one handshake each, no reconnect loop', async () => {
  const now = Math.floor(Date.now() / 1000);
  const bad = {
    garbage: 'not-a-jwt',
    wrongKey: signJwt({ sub: '2', exp: now + 600 }, 'another-secret'),
    expired: signJwt({ sub: '2', iat: now - 7200, exp: now - 3600 }, secret),
    unknownUser: signJwt({ sub: '999', exp: now + 600 }, secret),
    none: undefined,
  };
  const app = apps.bad;
  const before = (await stats()).attempts;
  const clients = Object.entries(bad).map(([kind, token]) => [kind, userLevelOptions(server.ws, token)]);
  clients.push(['chat', channelOptions(server.ws, 'not-a-jwt', 'messages/5')], ['feed', channelOptions(server.ws, 'not-a-jwt', 'feed')]);
  for (const [name, options] of clients) {
    if (options.token === undefined) delete options.token;
    await app.open(name, options, {});
  }
  for (const [name] of clients) {
    await app.waitStatus(name, 'closed');
    const { error } = await app.state(name);
    assert.ok(error?.startsWith('unauthorized'), `${name}: ${error}`);
  }
  await sleep(3000); // longer than the first retry delay: a retry would show
  const attempts = (await stats()).attempts;
  for (const [path, n] of [['/ws/realtime', 5], ['/ws/messages/5', 1], ['/ws/feed', 1]]) {
    assert.equal((attempts[path] ?? 0) - (before[path] ?? 0), n, `handshakes on ${path}`);
  }
  for (const [name] of clients) {
    assert.equal((await app.state(name)).status, 'closed');
    assert.ok(!(await app.states(name)).includes('reconnecting'), `${name} never retried`);
  }
});

test("each of 004's events reaches its listener on the user-level socket and on its channel's socket only", async () => {
  await emit('connections', { type: 'connection_request', request_id: 1, from_user_id: 1, from_user_name: 'Ada Lovelace' }, [2]);
  await emit('connections', { type: 'connection_accepted', user_id: 3, full_name: 'Cy Young' }, [2]);
  await emit('notifications', { type: 'comment_on_post', user_name: 'Ada Lovelace', post_id: 9 }, [2]);
  await emit('feed', { type: 'new_post', post: { id: 1, userId: 1, content: 'Check out my new research!', timestamp: '2024-01-01T12:00:00' } });
  await emit('feed', { type: 'new_comment', comment: { id: 3, postId: 1, content: 'Nice' } });
  await apps.others.open('cy', channelOptions(server.ws, tokens.cy, 'online'), {});
  await apps.others.waitStatus('cy', 'open');
  for (const [client, app] of [['bob', apps.user], ['online', apps.channels]]) await app.waitGot(client, 'user_online', 1, (m) => m.user_id === 3);
  await apps.others.free('cy');
  for (const [client, app] of [['bob', apps.user], ['online', apps.channels]]) await app.waitGot(client, 'user_offline', 1, (m) => m.user_id === 3);

  const [request] = await apps.user.waitGot('bob', 'connection_request');
  assert.deepEqual(request, { type: 'connection_request', request_id: 1, from_user_id: 1, from_user_name: 'Ada Lovelace' });
  assert.equal((await apps.user.waitGot('bob', 'connection_accepted'))[0].user_id, 3);
  assert.equal((await apps.user.waitGot('bob', 'comment_on_post'))[0].post_id, 9);
  assert.equal((await apps.user.waitGot('bob', 'new_post'))[0].post.id, 1);
  assert.equal((await apps.user.waitGot('bob', 'new_comment'))[0].comment.id, 3);
  assert.equal((await apps.user.got('bob', 'user_online'))[0].full_name, 'Cy Young');

  for (const [name, [, types]] of Object.entries(CHANNELS)) {
    if (name === 'chat5') continue;
    for (const type of types) await apps.channels.waitGot(name, type);
    const seen = new Set((await apps.channels.got(name, '*')).map((m) => m.type));
    assert.deepEqual([...seen].sort(), [...types].sort(), `${name} got only its channel's events`);
  }
  assert.deepEqual(await apps.channels.got('chat5', '*'), []);
});

test('chat: {type: "message", content} on /ws/messages/5; routed by chat_id; unread and a Notification for the inactive chat only', async () => {
  const app = apps.user;
  await apps.others.open('ada', channelOptions(server.ws, tokens.ada, 'messages/5'), { types: ['new_message'] });
  await apps.others.waitStatus('ada', 'open');
  await apps.others.call('ada', 'send', { type: 'message', content: 'hi five' });
  await apps.others.call('ada', 'send', { type: 'typing', is_typing: true });
  await api.post('/api/chats/7/messages', { content: 'hi seven' }, tokens.ada);

  const [five] = await app.waitGot('bob', 'conversation:5');
  assert.deepEqual([five.type, five.content, five.chat_id, five.sender_id, five.sender_name], ['new_message', 'hi five', 5, 1, 'Ada Lovelace']);
  const [seven] = await app.waitGot('bob', 'conversation:7');
  assert.deepEqual([seven.content, seven.chat_id], ['hi seven', 7]);
  const [typing] = await app.waitGot('bob', 'typing');
  assert.deepEqual(typing, { type: 'typing', chat_id: 5, user_id: 1, is_typing: true });
  // The per-channel socket of chat 5 gets chat 5 only.
  await apps.channels.waitGot('chat5', 'typing');
  assert.deepEqual((await apps.channels.got('chat5', 'new_message')).map((m) => m.content), ['hi five']);
  assert.deepEqual(await sentBy('/ws/messages/5', 1), [{ type: 'message', content: 'hi five' }, { type: 'typing', is_typing: true }]);

  assert.equal(await app.call('bob', 'unreadCount', 5), 0);
  assert.equal(await app.call('bob', 'unreadCount', 7), 1);
  await until(async () => (await app.shown()).length >= 1);
  await sleep(500);
  assert.deepEqual(await app.shown(), [{ title: 'Ada Lovelace', body: 'hi seven', tag: 'conversation-7' }]);
  assert.deepEqual(await apps.channels.shown(), [], 'per-channel sockets: notify off');
});

test('send on the user-level socket: {type: "message", chat_id, content} reaches the chat', async () => {
  await apps.others.open('cy7', channelOptions(server.ws, tokens.cy, 'messages/7'), { types: ['new_message'] });
  await apps.others.waitStatus('cy7', 'open');
  await apps.user.call('bob', 'send', { type: 'message', chat_id: 7, content: 'from one socket' });
  const [got] = await apps.others.waitGot('cy7', 'new_message', 1, (m) => m.content === 'from one socket');
  assert.deepEqual([got.chat_id, got.sender_id], [7, 2]);
  assert.deepEqual(await sentBy('/ws/realtime', 2), [{ type: 'message', chat_id: 7, content: 'from one socket' }]);
  await apps.user.waitGot('bob', 'conversation:7', 1, (m) => m.content === 'from one socket'); // the server echoes to the sender
  assert.deepEqual((await apps.others.got('ada', 'new_message')).map((m) => m.content), ['hi five'], 'chat 5 only');
});

test('every client reconnects after the server process is killed and restarted on the same port', async () => {
  const clients = [['bob', apps.user], ...Object.keys(CHANNELS).map((name) => [name, apps.channels])];
  await server.kill();
  for (const [name, app] of clients) await until(async () => (await app.state(name)).status !== 'open');
  server = await startUvicorn({ bin, port: server.port, env: env(), logFile: join(work.dir, 'uvicorn.log') });
  for (const [name, app] of clients) await app.waitStatus(name, 'open', 90000);
  await emit('connections', { type: 'connection_request', request_id: 2, from_user_id: 3, from_user_name: 'Cy Young' }, [2]);
  await api.post('/api/chats/5/messages', { content: 'after the restart' }, tokens.ada);
  await apps.user.waitGot('bob', 'connection_request', 1, (m) => m.request_id === 2);
  await apps.channels.waitGot('connections', 'connection_request', 1, (m) => m.request_id === 2);
  await apps.user.waitGot('bob', 'conversation:5', 1, (m) => m.content === 'after the restart');
  await apps.channels.waitGot('chat5', 'new_message', 1, (m) => m.content === 'after the restart');
  assert.equal((await stats()).sockets['messages_7 2'], 1, 'the user-level socket joined its channels again');
});

test('several processes: with REDIS_URL, a broadcast through uvicorn A reaches a client on uvicorn B, and back', async () => {
  ensureRedisServer();
  scaled.redis = await startRedis({ dir: work.dir, logFile: join(work.dir, 'redis.log') });
  const env2 = { JWT_SECRET: secret, DB_PATH: join(work.dir, 'scaled.sqlite3'), REDIS_URL: scaled.redis.url };
  scaled.A = await startUvicorn({ bin, port: await freePort(), env: env2, logFile: join(work.dir, 'uvicorn-a.log'), name: 'uvicorn A' });
  scaled.B = await startUvicorn({ bin, port: await freePort(), env: env2, logFile: join(work.dir, 'uvicorn-b.log'), name: 'uvicorn B' });
  const [A, B] = [http(scaled.A.http), http(scaled.B.http)];
  const [a, b] = [await A.get('/api/health'), await B.get('/api/health')];
  assert.notEqual(a.pid, b.pid);
  assert.ok(a.redis && b.redis);
  const app = await openApp(browser, web.url, 'scaled');
  apps.scaled = app;
  await app.open('bobOnB', userLevelOptions(scaled.B.ws, tokens.bob), { types: ['connection_request', 'new_post'], conversations: [7] });
  await app.open('cyOnA', channelOptions(scaled.A.ws, tokens.cy, 'feed'), { types: ['new_post'] });
  await app.waitStatus('bobOnB', 'open');
  await app.waitStatus('cyOnA', 'open');
  assert.equal((await A.post('/api/emit', { channel: 'connections', user_ids: [2], message: { type: 'connection_request', request_id: 9, from_user_id: 3, from_user_name: 'Cy Young' } })).pid, a.pid);
  await app.waitGot('bobOnB', 'connection_request', 1, (m) => m.request_id === 9);
  await A.post('/api/chats/7/messages', { content: 'posted on A' }, tokens.ada);
  await app.waitGot('bobOnB', 'conversation:7', 1, (m) => m.content === 'posted on A');
  assert.equal((await B.post('/api/emit', { channel: 'feed', message: { type: 'new_post', post: { id: 2 } } })).pid, b.pid);
  await app.waitGot('cyOnA', 'new_post', 1, (m) => m.post.id === 2);
  await app.waitGot('bobOnB', 'new_post', 1, (m) => m.post.id === 2);
  await sleep(500);
  assert.equal((await app.got('bobOnB', 'connection_request')).length, 1, 'once, not once per process');
  assert.equal((await app.got('cyOnA', 'new_post')).length, 1);
});

// Typing, presence and read receipts: Ada (1) and Bob (2), the members of chat 5, each in a page of
// their own, on a uvicorn of their own, where nobody else is online.

const startFeatures = (port) => startUvicorn({
  bin, port, env: { JWT_SECRET: secret, DB_PATH: join(work.dir, 'features.sqlite3') }, logFile: join(work.dir, 'uvicorn-features.log'), name: 'uvicorn features',
});

/** Ada's and Bob's pages with no context open, nobody connected to the features server. */
async function features() {
  if (!F.server) {
    F.server = await startFeatures(await freePort());
    F.api = http(F.server.http);
  }
  apps.ada ??= await openApp(browser, web.url, 'ada');
  apps.bob ??= await openApp(browser, web.url, 'bob');
  for (const [app, client] of F.clients.splice(0)) await app.free(client);
  const idle = await until(async () => Object.keys((await F.api.get('/api/debug/stats')).sockets).length === 0);
  assert.ok(idle, 'the last test left sockets open');
}

/** `who`'s context `client` on the user-level endpoint (004's options and `extra`), open and in its channels. */
async function openAs(who, client, extra = {}, listen = {}) {
  const app = apps[who];
  await app.open(client, { ...userLevelOptions(F.server.ws, tokens[who]), ...extra }, listen);
  F.clients.push([app, client]);
  await app.waitStatus(client, 'open');
  assert.ok(await until(async () => (await F.api.get('/api/debug/stats')).sockets[`messages_5 ${USER_IDS[who]}`] >= 1), `${who} joined chat 5`);
  return app;
}

test('typing: setTyping(5, true) writes {type: "typing", chat_id: 5, is_typing: true}, one start per throttle; the other member sees it; the stop goes out by itself', async () => {
  await features();
  const ada = await openAs('ada', 'typing', {}, { signals: ['typing'] });
  const bob = await openAs('bob', 'typing', {}, { signals: ['typing'] });
  const typingSent = async () => (await sentBy('/ws/realtime', 2, F.api)).filter((f) => f.type === 'typing');
  const before = (await typingSent()).length;

  assert.equal(await bob.call('typing', 'setTyping', 5, true), true, 'the start is written now');
  assert.equal(await bob.call('typing', 'setTyping', 5, true), false, 'a repeat right after writes nothing');
  assert.deepEqual(await ada.waitCall('typing', 'typingUsers', [5], (u) => u.length > 0), [2]);
  const [seen] = await ada.waitGot('typing', 'onTyping');
  assert.deepEqual([String(seen.conversationId), seen.users], ['5', [2]]);
  assert.deepEqual(await bob.call('typing', 'typingUsers', 5), [], 'the server does not echo the typist');
  assert.deepEqual(await bob.got('typing', 'onTyping'), []);

  // No more setTyping: after typing.idleMs the stop is written by itself, and Ada's list empties.
  let sent = [];
  await until(async () => (sent = (await typingSent()).slice(before)).length >= 2, { timeoutMs: 30000 });
  assert.deepEqual(sent, [{ type: 'typing', chat_id: 5, is_typing: true }, { type: 'typing', chat_id: 5, is_typing: false }], 'one start, then one stop');
  assert.deepEqual(await ada.waitCall('typing', 'typingUsers', [5], (u) => u.length === 0), []);
  assert.deepEqual((await ada.got('typing', 'onTyping')).map((e) => [String(e.conversationId), e.users]), [['5', [2]], ['5', []]]);
  assert.deepEqual(await ada.call('typing', 'typingUsers', 7), [], 'another chat: nobody');
});

test('presence: user_online, user_offline and the online_users snapshot feed onlineUsers(); cleared while not open, built again on reconnect', async () => {
  await features();
  const ada = await openAs('ada', 'presence', {}, { signals: ['presence'] });
  const bob = await openAs('bob', 'presence', {}, { signals: ['presence'] });
  assert.deepEqual(await ada.waitCall('presence', 'onlineUsers', [], (u) => u.includes(2)), [2], 'user_online of bob');
  assert.equal(await ada.call('presence', 'isOnline', 2), true);
  assert.deepEqual((await ada.got('presence', 'onPresence')).at(-1), [2]);
  // Ada was online before Bob connected: only the snapshot tells him.
  assert.deepEqual(await bob.waitCall('presence', 'onlineUsers', [], (u) => u.length > 0), [1], 'the snapshot');
  assert.deepEqual((await bob.got('presence', 'onPresence'))[0], [1], "bob's first online set is the snapshot's");
  assert.equal(await bob.call('presence', 'isOnline', 1), true);
  assert.equal(await bob.call('presence', 'isOnline', 3), false);

  await bob.call('presence', 'disconnect');
  await bob.waitStatus('presence', 'closed');
  assert.deepEqual(await bob.call('presence', 'onlineUsers'), [], "bob's own set: cleared when his connection closed");
  assert.deepEqual(await ada.waitCall('presence', 'onlineUsers', [], (u) => !u.includes(2)), [], 'user_offline of bob');
  assert.equal(await ada.call('presence', 'isOnline', 2), false);
  assert.deepEqual((await ada.got('presence', 'onPresence')).at(-1), []);
  await bob.call('presence', 'connect');
  await ada.waitCall('presence', 'onlineUsers', [], (u) => u.includes(2));

  // The server process dies: both sets clear as the connections drop, and are built again once
  // both are back (whoever reconnects second learns of the other from the snapshot).
  await F.server.kill();
  for (const app of [ada, bob]) await until(async () => (await app.state('presence')).status !== 'open');
  assert.deepEqual(await ada.call('presence', 'onlineUsers'), []);
  assert.deepEqual(await bob.call('presence', 'onlineUsers'), []);
  F.server = await startFeatures(F.server.port);
  F.api = http(F.server.http);
  for (const app of [ada, bob]) await app.waitStatus('presence', 'open', 90000);
  assert.deepEqual(await ada.waitCall('presence', 'onlineUsers', [], (u) => u.length > 0), [2]);
  assert.deepEqual(await bob.waitCall('presence', 'onlineUsers', [], (u) => u.length > 0), [1]);

  // Ada alone reconnects while Bob stays online: no user_online of his comes, the snapshot has him.
  await ada.call('presence', 'disconnect');
  await ada.waitStatus('presence', 'closed');
  assert.deepEqual(await ada.call('presence', 'onlineUsers'), []);
  assert.deepEqual((await ada.got('presence', 'onPresence')).at(-1), []);
  await ada.call('presence', 'connect');
  assert.deepEqual(await ada.waitCall('presence', 'onlineUsers', [], (u) => u.length > 0), [2]);
  assert.deepEqual((await ada.got('presence', 'onPresence')).at(-1), [2]);
});

test('read receipts: markRead(5) writes {type: "read", chat_id: 5, last_id: <message_id>} once; the other member gets it with user_id', async () => {
  await features();
  const ada = await openAs('ada', 'receipts', { readReceipts: true }, { types: ['read'] });
  const bob = await openAs('bob', 'receipts', { readReceipts: true }, { types: ['read'], conversations: [5] });
  const readsBy = async (userId) => (await sentBy('/ws/realtime', userId, F.api)).filter((f) => f.type === 'read');
  const [adaBefore, bobBefore] = [(await readsBy(1)).length, (await readsBy(2)).length];

  await ada.call('receipts', 'sendMessage', 5, 'read me');
  const [message] = await bob.waitGot('receipts', 'conversation:5', 1, (m) => m.content === 'read me');
  assert.equal(typeof message.message_id, 'number');
  assert.equal(await bob.call('receipts', 'unreadCount', 5), 1, 'chat 5 is not active: unread until read');

  await bob.call('receipts', 'markRead', 5);
  const [receipt] = await ada.waitGot('receipts', 'read');
  assert.deepEqual(receipt, { type: 'read', chat_id: 5, user_id: 2, last_id: message.message_id });
  await bob.call('receipts', 'markRead', 5); // no newer message since: nothing to send
  // Bob's next frame reaching the server means a receipt of that markRead would have too.
  await bob.call('receipts', 'send', { type: 'marker' });
  assert.ok(await until(async () => (await sentBy('/ws/realtime', 2, F.api)).some((f) => f.type === 'marker')));
  assert.deepEqual((await readsBy(2)).slice(bobBefore), [{ type: 'read', chat_id: 5, last_id: message.message_id }], 'one receipt');
  assert.deepEqual((await readsBy(1)).slice(adaBefore), [], "ada read nothing: her own message's echo in a chat she is not looking at");
  assert.deepEqual(await ada.got('receipts', 'read'), [receipt]);
  assert.deepEqual(await bob.got('receipts', 'read'), [], 'not sent back to the reader');
});

test("own messages: with userId, the server's echo of Bob's message reaches his listener but counts and notifies nowhere", async () => {
  await features();
  const bob = await openAs('bob', 'own', { userId: USER_IDS.bob }, { conversations: [5] });
  await openAs('bob', 'ownUnset', {}, { conversations: [5] });
  const ada = await openAs('ada', 'own', { notify: false });
  const shownBefore = (await bob.shown()).length;
  await bob.call('own', 'sendMessage', 5, 'my own');
  for (const client of ['own', 'ownUnset']) await bob.waitGot(client, 'conversation:5', 1, (m) => m.content === 'my own');
  assert.equal(await bob.call('own', 'unreadCount', 5), 0, 'his own message, chat 5 not active');
  assert.equal(await bob.call('ownUnset', 'unreadCount', 5), 1, 'without userId the echo counts');
  await ada.call('own', 'sendMessage', 5, 'hers');
  for (const client of ['own', 'ownUnset']) await bob.waitGot(client, 'conversation:5', 1, (m) => m.content === 'hers');
  assert.equal(await bob.call('own', 'unreadCount', 5), 1, "Ada's message counts");
  const shown = (await bob.shown()).slice(shownBefore).map((n) => n.body).sort();
  assert.deepEqual(shown, ['hers', 'hers', 'my own'], 'his own only from the context without userId');
});

test('no page error, panic or wasm trap in any app', async () => {
  for (const app of Object.values(apps)) assert.deepEqual(app.errors, [], app.name);
});
