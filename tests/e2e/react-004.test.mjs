// Seed 004's components, unchanged, on realtime-context/react's feature hooks in headless Chromium
// against 004's real FastAPI backend (tests/backends/fastapi under uvicorn): Bob's page is the React
// app (tests/e2e/fixtures/seed-004) on the user-level socket; Ada and Cy are plain contexts. Every
// hook gets its channel's frames over the one socket, typing and presence come from the wasm
// context's sets, 004's send frame reaches the server, and a server restart shows as offline users
// and ended typists, then as the users back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { launchChromium, startStatic } from '../support/browser.mjs';
import { USER_IDS, http, startFastapiApp, startUvicorn, until } from '../backends/lib.mjs';
import { PAGE, openApp } from './lib/backends-page.mjs';
import { serveFixture } from './lib/fixture.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

let work, bin, secret, server, api, tokens, web, fixture, browser, others, bob;
const env = () => ({ JWT_SECRET: secret, DB_PATH: join(work.dir, 'messages.sqlite3') });
const emit = (channel, message, user_ids) => api.post('/api/emit', { channel, message, user_ids });
/** 004's user-level options (docs/backends.md), as the fixture's provider has them. */
const options = (who) => ({ url: `${server.ws}/ws/realtime`, token: tokens[who], userId: USER_IDS[who], conversationKey: 'chat_id', idKey: 'message_id', messageFrame: { textKey: 'content', type: 'message' } });

/** What Bob's components recorded (`window.fixture`), without their functions. */
const record = () => bob.page.evaluate(() => JSON.parse(JSON.stringify(window.fixture)));
/** Waits until `where(record)` holds; fails with the last record. */
async function waitRecord(where, what, timeoutMs = 30000) {
  let last;
  const ok = await until(async () => where(last = await record()), { timeoutMs });
  assert.ok(ok, `${what}: ${JSON.stringify(last)}`);
  return last;
}

before(async () => {
  ({ work, bin, secret, server, api, tokens } = await startFastapiApp('react-004'));
  web = await startStatic(root, { '/': PAGE });
  fixture = await serveFixture('seed-004');
  browser = await launchChromium();
  others = await openApp(browser, web.url, 'others');
  await others.open('ada', options('ada'), { types: ['new_message'] });
  await others.waitStatus('ada', 'open');
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/WebSocket connection to/.test(m.text()) && errors.push(m.text()));
  await page.addInitScript(() => {
    const Real = window.WebSocket;
    window.socketsMade = [];
    window.WebSocket = class extends Real {
      constructor(url, ...rest) { super(url, ...rest); window.socketsMade.push(new URL(url).pathname); }
    };
  });
  await page.goto(`${fixture.url}/index.html?ws=${encodeURIComponent(`${server.ws}/ws/realtime`)}&token=${tokens.bob}&user=${USER_IDS.bob}&chat=5`);
  bob = { page, errors };
});

after(async () => {
  await browser?.close();
  await fixture?.close();
  await web?.close();
  await server?.stop();
  work?.remove();
});

test("004's components connect once and learn who is online from the snapshot and from user_online", async () => {
  await waitRecord((r) => r.seen.connections && r.seen.chat?.isConnected, 'connected');
  assert.deepEqual(await bob.page.evaluate(() => window.socketsMade), ['/ws/realtime'], 'one socket for every component');
  // Ada was online first: the snapshot names her.
  assert.deepEqual((await waitRecord((r) => r.calls.online.length >= 1, 'Ada online')).calls.online, [['online', 1, 'Ada Lovelace']]);
  await others.open('cy', options('cy'));
  await waitRecord((r) => r.calls.online.length >= 2, 'Cy online');
  await others.free('cy');
  // A callback records its call at once; the component shows the change on its next render.
  const { calls, seen } = await waitRecord((r) => r.calls.online.length >= 3 && !r.seen.online.includes(3), 'Cy offline');
  assert.deepEqual(calls.online, [['online', 1, 'Ada Lovelace'], ['online', 3, 'Cy Young'], ['offline', 3]]);
  assert.deepEqual(seen.online, [1]);
});

test('connections, notifications and feed get their frames from the one socket', async () => {
  const post = { id: 1, userId: 1, content: 'Check out my new research!' };
  await emit('connections', { type: 'connection_request', request_id: 1, from_user_id: 1, from_user_name: 'Ada Lovelace' }, [2]);
  await emit('connections', { type: 'connection_accepted', user_id: 3 }, [2]);
  await emit('notifications', { type: 'comment_on_post', user_name: 'Ada Lovelace', post_id: 1 }, [2]);
  await emit('feed', { type: 'new_post', post });
  await emit('feed', { type: 'new_comment', comment: { id: 7, postId: 1 } });
  const { calls } = await waitRecord((r) => r.calls.comments.length >= 1, 'the feed');
  assert.deepEqual(calls.requests, [1]);
  assert.deepEqual(calls.accepted, [3]);
  assert.deepEqual(calls.toasts, ['Ada Lovelace commented on your post']);
  assert.deepEqual(calls.posts, [post]);
  assert.deepEqual(calls.comments, [{ id: 7, postId: 1 }]);
});

test("the chat: Ada's typing starts and stops by itself, messages both ways in 004's frames", async () => {
  await others.call('ada', 'setTyping', 5, true);
  await waitRecord((r) => r.seen.chat.typists.includes(1), 'Ada typing');
  const { calls } = await waitRecord((r) => r.seen.chat.typists.length === 0, "Ada's stop after 2 s idle");
  assert.deepEqual(calls.typing, [[1, true], [1, false]]);

  await bob.page.evaluate(() => window.fixture.seen.chat.sendMessage('Hello!'));
  const [got] = await others.waitGot('ada', 'new_message', 1, (m) => m.content === 'Hello!');
  assert.deepEqual([got.chat_id, got.sender_id], [5, 2]);
  const frames = (await api.get('/api/debug/stats')).frames.filter((f) => f.user_id === 2 && !f.text.includes('"ping"'));
  assert.deepEqual(frames.map((f) => JSON.parse(f.text)), [{ type: 'message', content: 'Hello!', chat_id: 5 }], "004's frame on the wire");
  await others.call('ada', 'sendMessage', 5, 'Hi Bob');
  const { seen } = await waitRecord((r) => r.seen.chat.messages.some((m) => m.content === 'Hi Bob'), "Ada's message");
  assert.deepEqual(seen.chat.messages.map((m) => [m.sender_id, m.content]), [[2, 'Hello!'], [1, 'Hi Bob']], 'the echo of his own, then hers');
});

test('a server restart: everyone offline and no typist while down, back after the reconnect', async () => {
  await others.call('ada', 'setTyping', 5, true);
  // Ada's own stop (2 s idle) or the kill ends her typing: either comes after this record.
  const { calls: before } = await waitRecord((r) => r.seen.chat.typists.includes(1), 'Ada typing');
  await server.kill();
  const down = await waitRecord((r) => !r.seen.chat.isConnected && r.seen.online.length === 0 && r.seen.chat.typists.length === 0, 'down');
  assert.deepEqual(down.calls.online.slice(before.online.length), [['offline', 1]]);
  assert.deepEqual(down.calls.typing.slice(before.typing.length), [[1, false]]);
  server = await startUvicorn({ bin, port: server.port, env: env(), logFile: join(work.dir, 'uvicorn.log') });
  api = http(server.http);
  const back = await waitRecord((r) => r.seen.chat.isConnected && r.seen.online.includes(1), 'back', 90000);
  assert.deepEqual(back.calls.online.slice(before.online.length), [['offline', 1], ['online', 1, 'Ada Lovelace']]);
  // Attempts made while uvicorn was down count as sockets made: check the kind, and the server's count.
  assert.ok((await bob.page.evaluate(() => window.socketsMade)).every((path) => path === '/ws/realtime'), 'only the user-level socket');
  assert.equal((await api.get('/api/debug/stats')).sockets['online 2'], 1, "the server holds one socket of Bob's");
  assert.deepEqual([...bob.errors, ...others.errors], []);
});
