// The release build (pkg/) in headless Chromium against the real Django Channels backend of
// seeds 000-003 (tests/backends/django, served by daphne), configured with options alone, as
// docs/backends.md says. Run twice: with the in-memory channel layer (one daphne process), and
// with the Redis channel layer and TWO daphne processes, where every event is emitted through
// process A while the clients are connected to process B.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launchChromium, startStatic } from '../support/browser.mjs';
import {
  USER_IDS, ensureRedisServer, ensureVenv, freePort, http, prepareDjango, randomSecret, signJwt, sleep, startDaphne, startRedis, until, workDir,
} from '../backends/lib.mjs';
import { PAGE, openApp } from './lib/backends-page.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The options of each note's app (docs/backends.md) for the user of `token` and `userId`. */
export function noteOptions(ws, token, userId) {
  return {
    // 000: the unified consumer, with the delivery rules (numbered frames, resume, acks).
    '000': { url: `${ws}/ws/realtime/`, token, idKey: 'id', resume: true, ack: true },
    // 001: the inbox; a message's `type` is its kind ("TEXT"), so that is what counts as unread.
    '001': {
      url: `${ws}/ws/inbox/`, token, idKey: 'message_id', userId, // the inbox echoes the user's own messages
      notify: { types: ['TEXT'], titleKey: 'sender_name', bodyKey: 'message' },
      reconnect: { delaysMs: [500, 2000, 5000, 10000, 30000], maxAttempts: 10 },
    },
    // 002: the notifications socket; new_message has no conversation (nothing counts as unread),
    // and its title and body sit inside `from_user` and `message`.
    '002': { url: `${ws}/ws/notifications/`, token, notify: { types: ['new_message'], titleKey: 'from_user.username', bodyKey: 'message.content' } },
    // 003: frames routed by event_type; system_alert and new_conversation are the in-app notifications.
    '003': {
      url: `${ws}/ws/events/`, token, routeKey: 'event_type', idKey: 'id',
      notify: { types: ['new_message'], titleKey: 'sender', bodyKey: 'text' },
      notificationType: ['system_alert', 'new_conversation'],
      heartbeat: { ping: { event_type: 'ping' }, pongType: 'pong' },
    },
  };
}

const LISTEN = {
  '000': { types: ['notification', 'friend_request_update', 'new_message', '*'], conversations: [42, 43] },
  '001': { types: ['TEXT', 'error', 'typing'], conversations: [42, 43] },
  '002': { types: ['friend_request', 'friend_accepted', 'new_message'] },
  '003': { types: ['new_message', 'new_conversation', 'system_alert'], conversations: ['conv_1', 'conv_2'] },
};

function suite(mode) {
  describe(mode === 'redis' ? 'Redis channel layer, two daphne processes (emit through A, clients on B)' : 'in-memory channel layer, one daphne process', () => {
    const S = {}; // A: where events are emitted; B: where the clients connect (the same process in memory mode)
    const apps = {};
    let work, bin, env, web, browser, redis, tokens, secret;
    const emit = (to, frame, app = 'realtime') => http(S.A.http).post('/api/emit/', { to, app, frame });
    const statsOf = (server) => http(server.http).get('/api/debug/stats/');
    /** Waits until `server` counts a socket open for each "path user" key: a consumer accepts
     * before it joins its groups, and counts the socket once it has joined. */
    const joined = async (server, ...keys) => assert.ok(
      await until(async () => { const { open } = await statsOf(server); return keys.every((key) => open[key] >= 1); }, { timeoutMs: 30000 }),
      `${keys.join(', ')} joined`,
    );
    const opts = (note, who, server = S.B) => noteOptions(server.ws, tokens[who], USER_IDS[who])[note];

    async function startServers() {
      const portA = S.A?.port ?? await freePort();
      S.A = await startDaphne({ bin, port: portA, env, logFile: join(work.dir, 'daphne-a.log'), name: 'daphne A' });
      if (mode === 'redis') {
        const portB = S.B?.port ?? await freePort();
        S.B = await startDaphne({ bin, port: portB, env, logFile: join(work.dir, 'daphne-b.log'), name: 'daphne B' });
      } else {
        S.B = S.A;
      }
    }

    before(async () => {
      work = workDir(`django-${mode}`);
      ({ bin } = ensureVenv('django'));
      secret = randomSecret();
      env = { DJANGO_SECRET_KEY: secret, DJANGO_DB_PATH: join(work.dir, 'db.sqlite3') };
      if (mode === 'redis') {
        ensureRedisServer();
        redis = await startRedis({ dir: work.dir, logFile: join(work.dir, 'redis.log') });
        env.REDIS_URL = redis.url;
      }
      prepareDjango({ bin, env });
      await startServers();
      tokens = {};
      for (const who of ['ada', 'bob', 'cy']) tokens[who] = (await http(S.A.http).post('/api/token/', { username: who, password: 'pw' })).access;
      web = await startStatic(root, { '/': PAGE });
      browser = await launchChromium();
      for (const name of ['000', '001', '002', '003', 'bad']) apps[name] = await openApp(browser, web.url, name);
    });

    after(async () => {
      await browser?.close();
      await web?.close();
      await S.B?.stop();
      await S.A?.stop();
      await redis?.stop();
      work?.remove();
    });

    test('a valid token opens every endpoint; one socket per user on /ws/realtime/', async () => {
      for (const note of ['000', '001', '002', '003']) await apps[note].open('bob', opts(note, 'bob'), LISTEN[note]);
      await apps['000'].open('cy', opts('000', 'cy'), LISTEN['000']);
      for (const note of ['000', '001', '002', '003']) await apps[note].waitStatus('bob', 'open');
      await apps['000'].waitStatus('cy', 'open');
      await apps['000'].call('bob', 'setActiveConversation', 42);
      await joined(S.B, '/ws/realtime/ 2', '/ws/realtime/ 3');
      const stats = await statsOf(S.B);
      assert.equal(stats.open['/ws/realtime/ 2'], 1);
      assert.deepEqual(await apps['000'].socketsMade(), ['/ws/realtime/', '/ws/realtime/'], 'bob and cy: one socket each');
      if (mode === 'redis') assert.notEqual((await statsOf(S.A)).pid, stats.pid, 'two processes');
    });

    test('a bad token ends in closed + unauthorized, one handshake each, no reconnect loop', async () => {
      const now = Math.floor(Date.now() / 1000);
      const bad = {
        garbage: 'not-a-jwt',
        wrongKey: signJwt({ token_type: 'access', user_id: 2, exp: now + 600 }, 'another-secret'),
        expired: signJwt({ token_type: 'access', user_id: 2, iat: now - 7200, exp: now - 3600 }, secret),
        unknownUser: signJwt({ token_type: 'access', user_id: 999, exp: now + 600 }, secret),
        none: undefined,
      };
      const app = apps.bad;
      const before = (await statsOf(S.B)).attempts;
      const clients = [];
      for (const [kind, token] of Object.entries(bad)) clients.push([kind, '000', token]);
      for (const note of ['001', '002', '003']) clients.push([`garbage-${note}`, note, 'not-a-jwt']);
      for (const [name, note, token] of clients) {
        const options = { ...opts(note, 'bob'), token };
        if (token === undefined) delete options.token;
        await app.open(name, options, {});
      }
      for (const [name] of clients) {
        await app.waitStatus(name, 'closed');
        const { error } = await app.state(name);
        assert.ok(error?.startsWith('unauthorized'), `${name}: ${error}`);
      }
      await sleep(3000); // longer than any first retry delay of these options: a retry would show
      const attempts = (await statsOf(S.B)).attempts;
      for (const [path, n] of [['/ws/realtime/', 5], ['/ws/inbox/', 1], ['/ws/notifications/', 1], ['/ws/events/', 1]]) {
        assert.equal((attempts[path] ?? 0) - (before[path] ?? 0), n, `handshakes on ${path}`);
      }
      for (const [name] of clients) {
        assert.equal((await app.state(name)).status, 'closed', name);
        assert.ok(!(await app.states(name)).includes('reconnecting'), `${name} never retried`);
      }
    });

    test('000: notification and friend_request_update reach their listeners, the store and only their user', async () => {
      const app = apps['000'];
      await emit(2, { type: 'notification', notification: { id: 101, text: 'Ada commented on your post', notification_object_type: 'Post Comment' } });
      await emit(2, { type: 'friend_request_update', action: 'received', friend_request: { id: 7, from_user: { id: 3, username: 'cy' } }, count: 1 });
      const [n] = await app.waitGot('bob', 'notification');
      assert.equal(n.notification.id, 101);
      assert.equal(typeof n.id, 'number', 'numbered by the server');
      const [f] = await app.waitGot('bob', 'friend_request_update');
      assert.equal(f.action, 'received');
      assert.equal(f.count, 1);
      assert.equal(f.friend_request.id, 7);
      const store = await app.call('bob', 'notifications');
      assert.deepEqual(store.map((x) => [x.id, x.read]), [[101, false]]);
      assert.equal(await app.get('bob', 'unreadNotifications'), 1);
      // Cy's own notification arrives; Bob's never reached Cy.
      await emit(3, { type: 'notification', notification: { id: 201, text: 'for cy' } });
      await app.waitGot('cy', 'notification');
      assert.deepEqual((await app.got('cy', '*')).map((m) => m.notification?.id ?? m.type), [201]);
      assert.equal((await app.got('bob', 'notification')).length, 1);
    });

    test('001: sendMessage writes {conversation_id, message, type: "TEXT"}; routed by conversation; unread and a Notification for the inactive one only', async () => {
      const app = apps['001'];
      await app.call('bob', 'setActiveConversation', 42);
      // Ada's inbox gets her own messages back: with userId they count and notify nowhere.
      await app.open('ada', opts('001', 'ada', S.A), { conversations: [42, 43] });
      await app.waitStatus('ada', 'open');
      await app.call('ada', 'sendMessage', 42, 'in the open chat');
      await app.call('ada', 'sendMessage', 43, 'in another chat');
      const [in42] = await app.waitGot('bob', 'conversation:42');
      const [in43] = await app.waitGot('bob', 'conversation:43');
      assert.deepEqual([in42.message, in42.sender_name, in42.type, in42.conversation_id], ['in the open chat', 'Ada', 'TEXT', 42]);
      assert.equal(typeof in42.message_id, 'number');
      assert.deepEqual([in43.message, in43.conversation_id], ['in another chat', 43]);
      assert.equal((await app.got('bob', 'conversation:42')).length, 1);
      assert.equal((await app.got('bob', 'conversation:43')).length, 1);
      assert.equal(await app.call('bob', 'unreadCount', 42), 0);
      assert.equal(await app.call('bob', 'unreadCount', 43), 1);
      await app.waitGot('ada', 'conversation:43', 1, (m) => m.message === 'in another chat');
      assert.equal(await app.get('ada', 'totalUnread'), 0, 'her own messages');
      // What the server read from Ada's socket (on A): exactly 001's shape.
      const sent = (await statsOf(S.A)).frames.filter((f) => f.path === '/ws/inbox/' && f.user_id === 1).map((f) => JSON.parse(f.text)).filter((f) => f.type !== 'ping');
      assert.deepEqual(sent, [
        { conversation_id: 42, message: 'in the open chat', type: 'TEXT' },
        { conversation_id: 43, message: 'in another chat', type: 'TEXT' },
      ]);
      await until(async () => (await app.shown()).length >= 1);
      await sleep(500);
      assert.deepEqual(await app.shown(), [{ title: 'Ada', body: 'in another chat', tag: 'conversation-43' }]);
      // The unified app (000) got the same messages as new_message: its active conversation is 42.
      const unified = apps['000'];
      await unified.waitGot('bob', 'new_message', 1, (m) => m.message === 'in another chat');
      assert.equal(await unified.call('bob', 'unreadCount', 42), 0);
      const tags = (await unified.shown()).map((s) => s.tag);
      assert.ok(tags.includes('conversation-43') && !tags.includes('conversation-42'), JSON.stringify(tags));
    });

    test('001: setTyping writes {type: "typing", conversation_id, is_typing}; the other participants see the typist, the typist does not', async () => {
      const app = apps['001'];
      await app.open('adaTyping', { ...opts('001', 'ada', S.A), notify: false }, { types: ['typing', 'error'] });
      await app.waitStatus('adaTyping', 'open');
      assert.equal(await app.call('adaTyping', 'setTyping', 42, true), true, 'the start is written now');
      assert.deepEqual(await app.waitCall('bob', 'typingUsers', [42], (u) => u.length > 0), [1]);
      assert.equal(await app.call('adaTyping', 'setTyping', 42, false), true, 'the stop is written at once');
      assert.deepEqual(await app.waitCall('bob', 'typingUsers', [42], (u) => u.length === 0), []);
      const sent = (await statsOf(S.A)).frames.filter((f) => f.path === '/ws/inbox/' && f.user_id === 1).map((f) => JSON.parse(f.text)).filter((f) => f.type === 'typing');
      assert.deepEqual(sent, [{ type: 'typing', conversation_id: 42, is_typing: true }, { type: 'typing', conversation_id: 42, is_typing: false }]);
      assert.deepEqual(await app.got('bob', 'typing'), [
        { type: 'typing', conversation_id: 42, user_id: 1, is_typing: true },
        { type: 'typing', conversation_id: 42, user_id: 1, is_typing: false },
      ]);
      assert.deepEqual(await app.got('adaTyping', 'typing'), [], 'not sent back to the typist');
      assert.deepEqual(await app.got('adaTyping', 'error'), [], 'typing is no chat message');
      assert.deepEqual(await app.call('bob', 'typingUsers', 43), []);
      await app.free('adaTyping');
    });

    test('000: an acked send is applied once; frames emitted while disconnected come back on resume', async () => {
      const app = apps['000'];
      // Ada's unified socket is on process A: her message reaches Bob on B.
      await app.open('ada', { ...opts('000', 'ada', S.A), notify: false }, {});
      await app.waitStatus('ada', 'open');
      const ack = await app.callAsync('ada', 'sendAcked', { conversation_id: 43, message: 'acked hello', type: 'TEXT' });
      assert.equal(ack.type, 'ack');
      assert.match(ack.client_id, /^c/);
      const [m] = await app.waitGot('bob', 'conversation:43', 1, (x) => x.message === 'acked hello');
      assert.equal(m.sender_name, 'Ada');
      const history = await http(S.A.http).get('/api/conversations/43/messages/', tokens.bob);
      assert.equal(history.filter((x) => x.message === 'acked hello').length, 1);

      await app.call('bob', 'disconnect');
      await app.waitStatus('bob', 'closed');
      await emit(2, { type: 'notification', notification: { id: 102, text: 'while away 1' } });
      await emit(2, { type: 'notification', notification: { id: 103, text: 'while away 2' } });
      await app.call('bob', 'connect');
      await app.waitGot('bob', 'notification', 3);
      await sleep(500);
      assert.deepEqual((await app.got('bob', 'notification')).map((x) => x.notification.id), [101, 102, 103], 'in order, once each');
      const resumes = (await statsOf(S.B)).frames.filter((f) => f.path === '/ws/realtime/' && f.user_id === 2).map((f) => JSON.parse(f.text)).filter((f) => f.type === 'resume');
      assert.ok(resumes.length >= 1 && typeof resumes.at(-1).last_id === 'number', JSON.stringify(resumes));
    });

    test('002: friend_request, friend_accepted and new_message reach their listeners', async () => {
      const app = apps['002'];
      await emit(2, { type: 'friend_request', from_user: { id: 3, username: 'cy' } }, 'notifications');
      await emit(2, { type: 'friend_accepted', from_user: { id: 1, username: 'ada' } }, 'notifications');
      await http(S.A.http).post('/api/conversations/42/messages/', { message: 'over REST' }, tokens.ada);
      const [request] = await app.waitGot('bob', 'friend_request');
      assert.deepEqual(request.from_user, { id: 3, username: 'cy' });
      const [accepted] = await app.waitGot('bob', 'friend_accepted');
      assert.deepEqual(accepted.from_user, { id: 1, username: 'ada' });
      const [message] = await app.waitGot('bob', 'new_message', 1, (m) => m.message.content === 'over REST');
      assert.equal(message.from_user.username, 'ada');
      // No conversation id in 002's new_message: it notifies (title and body at dotted paths) and counts nowhere.
      await until(async () => (await app.shown()).some((s) => s.body === 'over REST'));
      assert.ok((await app.shown()).some((s) => s.title === 'ada' && s.body === 'over REST'));
      assert.equal(await app.get('bob', 'totalUnread'), 0);
      assert.equal((await app.got('bob', 'friend_request')).length, 1);
    });

    test('003: routed by event_type; unread and a Notification for the inactive conversation only; system_alert and new_conversation in the store', async () => {
      const app = apps['003'];
      await app.call('bob', 'setActiveConversation', 'conv_1');
      const at = new Date().toISOString();
      await emit(2, { event_type: 'new_message', id: 'msg_1', conversation_id: 'conv_1', text: 'hello one', sender: 'customer', timestamp: at }, 'events');
      await emit(2, { event_type: 'new_message', id: 'msg_2', conversation_id: 'conv_2', text: 'hello two', sender: 'customer', timestamp: at }, 'events');
      await emit(2, { event_type: 'new_conversation', id: 'conv_3', title: 'New conversation' }, 'events');
      await emit(2, { event_type: 'system_alert', id: 'alert_1', title: 'Maintenance tonight', content: 'at 22:00' }, 'events');
      await app.waitGot('bob', 'new_message', 2);
      const [one] = await app.waitGot('bob', 'conversation:conv_1');
      const [two] = await app.waitGot('bob', 'conversation:conv_2');
      assert.deepEqual([one.id, one.text], ['msg_1', 'hello one']);
      assert.deepEqual([two.id, two.text], ['msg_2', 'hello two']);
      const [conversation] = await app.waitGot('bob', 'new_conversation');
      assert.equal(conversation.id, 'conv_3');
      const [alert] = await app.waitGot('bob', 'system_alert');
      assert.equal(alert.title, 'Maintenance tonight');
      assert.equal(await app.call('bob', 'unreadCount', 'conv_1'), 0);
      assert.equal(await app.call('bob', 'unreadCount', 'conv_2'), 1);
      await until(async () => (await app.shown()).length >= 1);
      await sleep(500);
      assert.deepEqual(await app.shown(), [{ title: 'customer', body: 'hello two', tag: 'conversation-conv_2' }]);
      assert.deepEqual((await app.call('bob', 'notifications')).map((x) => x.id), ['alert_1', 'conv_3'], 'both types, newest first');
    });

    test('every client reconnects after the server process is killed and restarted on the same port', async () => {
      const notes = ['000', '001', '002', '003'];
      const sockets = Object.fromEntries(await Promise.all(notes.map(async (n) => [n, (await apps[n].socketsMade()).length])));
      await S.B.kill();
      for (const note of notes) await until(async () => (await apps[note].state('bob')).status !== 'open');
      if (mode === 'redis') {
        // B is down, A is up: this one waits in Redis for Bob's resume.
        await emit(2, { type: 'notification', notification: { id: 104, text: 'while B was down' } });
      }
      if (mode === 'redis') {
        S.B = await startDaphne({ bin, port: S.B.port, env, logFile: join(work.dir, 'daphne-b.log'), name: 'daphne B' });
      } else {
        await startServers();
      }
      for (const note of notes) await apps[note].waitStatus('bob', 'open', 90000);
      for (const note of notes) assert.ok((await apps[note].socketsMade()).length > sockets[note], `${note} made a new socket`);
      await joined(S.B, '/ws/realtime/ 2', '/ws/inbox/ 2', '/ws/notifications/ 2', '/ws/events/ 2');
      await emit(2, { type: 'notification', notification: { id: 105, text: 'after the restart' } });
      await emit(2, { type: 'friend_accepted', from_user: { id: 3, username: 'cy' } }, 'notifications');
      await emit(2, { event_type: 'system_alert', id: 'alert_2', title: 'back' }, 'events');
      await http(S.A.http).post('/api/conversations/43/messages/', { message: 'after the restart' }, tokens.ada);
      await apps['000'].waitGot('bob', 'notification', 1, (m) => m.notification.id === 105);
      await apps['001'].waitGot('bob', 'conversation:43', 1, (m) => m.message === 'after the restart');
      await apps['002'].waitGot('bob', 'friend_accepted', 1, (m) => m.from_user.username === 'cy');
      await apps['003'].waitGot('bob', 'system_alert', 1, (m) => m.id === 'alert_2');
      const ids = (await apps['000'].got('bob', 'notification')).map((x) => x.notification.id);
      assert.deepEqual(ids, mode === 'redis' ? [101, 102, 103, 104, 105] : [101, 102, 103, 105]);
    });

    if (mode === 'redis') {
      test('an event emitted through process A reaches a client on B, and one through B a client on A', async () => {
        const app = apps['000'];
        const [a, b] = await Promise.all([http(S.A.http).get('/api/health/'), http(S.B.http).get('/api/health/')]);
        assert.notEqual(a.pid, b.pid);
        const viaA = await http(S.A.http).post('/api/emit/', { to: 2, frame: { type: 'notification', notification: { id: 106, text: 'through A' } } });
        assert.equal(viaA.pid, a.pid);
        await app.waitGot('bob', 'notification', 1, (m) => m.notification.id === 106);
        await app.open('cyOnA', opts('000', 'cy', S.A), LISTEN['000']);
        await app.waitStatus('cyOnA', 'open');
        await joined(S.A, '/ws/realtime/ 3');
        const viaB = await http(S.B.http).post('/api/emit/', { to: 3, frame: { type: 'notification', notification: { id: 202, text: 'through B' } } });
        assert.equal(viaB.pid, b.pid);
        await app.waitGot('cyOnA', 'notification', 1, (m) => m.notification.id === 202);
        assert.equal((await statsOf(S.A)).open['/ws/realtime/ 3'], 1);
      });
    }

    test('no page error, panic or wasm trap in any app', async () => {
      for (const app of Object.values(apps)) assert.deepEqual(app.errors, [], app.name);
    });
  });
}

suite('memory');
suite('redis');
