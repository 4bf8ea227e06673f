// One socket per user per browser: several pages of one browser context (headless Chromium,
// the release build) share the socket of a leader tab, elected through a Web Lock, over a
// BroadcastChannel; the reliable test server (history, resume) counts the sockets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startReliableServer } from '../support/reliable-server.mjs';
import { RELEASE_PAGE, launchChromium, startStatic } from '../support/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Records every browser notification the page shows.
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.shown = [];
  window.Notification = class extends Real { constructor(title, options) { super(title, options); window.shown.push(title); } };
  Object.defineProperty(window.Notification, 'permission', { get: () => Real.permission });
})();`;

let server, web, browser;

before(async () => {
  server = await startReliableServer();
  web = await startStatic(root, { '/': RELEASE_PAGE });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await web?.close();
  await server?.close();
});

/** `n` pages of one browser context, each with a context of `options` (url in the room) that
 * records the ticks it gets in `window.got`; the first page opened first. */
async function tabs(context, n, room, options = {}) {
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    await page.goto(web.url + '/');
    await page.waitForFunction(() => window.ready);
    await page.evaluate(({ url, options }) => {
      window.got = [];
      window.ctx = new RealtimeContext({ url, heartbeat: false, idKey: 'id', resume: true, ack: true, userKey: 'ada', reconnect: { initialDelayMs: 50, maxDelayMs: 500 }, ...options });
      ctx.on('tick', (m) => got.push(m.n));
      ctx.connect();
    }, { url: `${server.url}/?room=${room}`, options });
    pages.push(page);
  }
  for (const page of pages) await page.evaluate(() => until(() => ctx.state.status === 'open'));
  return pages;
}

const roles = (pages) => Promise.all(pages.map((p) => p.evaluate(() => ctx.stats().role)));
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('5 tabs: one socket on the server, one leader and 4 followers, a message reaches each tab once', async () => {
  const context = await browser.newContext();
  const pages = await tabs(context, 5, 'five');
  assert.deepEqual((await roles(pages)).sort(), ['follower', 'follower', 'follower', 'follower', 'leader']);
  await Promise.all(pages.map((p) => p.evaluate(() => until(() => ctx.stats().tabs === 5))));
  server.room('five').stream(20, 2);
  for (const page of pages) await page.evaluate(() => until(() => got.length >= 20));
  await new Promise((r) => setTimeout(r, 300));
  for (const page of pages) assert.deepEqual(await page.evaluate(() => got), range(1, 20));
  const r = server.room('five').snapshot();
  assert.equal(r.open, 1);
  assert.equal(r.maxOpen, 1);
  await context.close();
});

test('the leader tab closes during a burst of 1,000: a new leader takes over, still one socket, every tab gets every message once', async (t) => {
  const context = await browser.newContext();
  const pages = await tabs(context, 4, 'handover');
  const leaderAt = (await roles(pages)).indexOf('leader');
  const [leader] = pages.splice(leaderAt, 1);
  server.room('handover').stream(1000, 2, 2);
  await pages[0].evaluate(() => until(() => got.length >= 200));
  await leader.close();
  const took = await Promise.all(pages.map((p) => p.evaluate(async () => {
    const start = performance.now();
    await until(() => ctx.stats().role === 'leader' || (ctx.state.status === 'open' && ctx.stats().tabs === 3));
    return performance.now() - start;
  })));
  assert.equal((await roles(pages)).filter((r) => r === 'leader').length, 1);
  for (const page of pages) await page.evaluate(() => until(() => got.length >= 1000, 30000));
  await new Promise((r) => setTimeout(r, 300));
  for (const page of pages) assert.deepEqual(await page.evaluate(() => got), range(1, 1000));
  const r = server.room('handover').snapshot();
  // The closed page's socket may reach the server's close a moment after the new leader's
  // connect: what the tabs control is that only the leader ever opens one.
  assert.equal(r.total, 2, 'one socket for the first leader, one for the next: no other tab opened one');
  assert.equal(r.open, 1);
  t.diagnostic(`hand-over seen by the followers after ${took.map(Math.round).join(', ')} ms`);
  await context.close();
});

test('a send from each of 4 followers arrives at the server once, in order per tab', async () => {
  const context = await browser.newContext();
  const pages = await tabs(context, 5, 'sends');
  const followers = [];
  for (const [i, role] of (await roles(pages)).entries()) if (role === 'follower') followers.push(pages[i]);
  await Promise.all(followers.map((p, tab) => p.evaluate((tab) => { for (let k = 0; k < 10; k++) ctx.send({ tab, k }); }, tab)));
  const received = () => server.room('sends').snapshot().received.filter((m) => 'tab' in m);
  for (let i = 0; i < 300 && received().length < 40; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  const got = received();
  assert.equal(got.length, 40, 'each send once');
  for (let tab = 0; tab < 4; tab++) assert.deepEqual(got.filter((m) => m.tab === tab).map((m) => m.k), range(0, 9), `tab ${tab} in order`);
  await context.close();
});

test('a notification is raised once across tabs, and none while a visible tab shows the conversation; unread counts agree', async () => {
  const context = await browser.newContext();
  await context.grantPermissions(['notifications']);
  await context.addInitScript(RECORD_NOTIFICATIONS);
  const pages = await tabs(context, 3, 'notify');
  await Promise.all(pages.map((p) => p.evaluate(() => until(() => ctx.stats().tabs === 3))));
  const emit = (frames) => frames.forEach((f) => server.room('notify').send(JSON.stringify(f)));
  emit([{ type: 'new_message', conversation_id: 7, sender_name: 'Ann', message: 'hi', id: 'm1' }]);
  await Promise.all(pages.map((p) => p.evaluate(() => until(() => ctx.unreadCount(7) === 1))));
  await new Promise((r) => setTimeout(r, 200));
  const shown = await Promise.all(pages.map((p) => p.evaluate(() => window.shown.length)));
  assert.equal(shown.reduce((a, b) => a + b, 0), 1, `one notification in all: ${shown}`);
  // Tab 2 shows conversation 7: it is read everywhere, and the next message notifies nowhere.
  await pages[2].evaluate(() => ctx.setActiveConversation(7));
  await Promise.all(pages.map((p) => p.evaluate(() => until(() => ctx.unreadCount(7) === 0))));
  await new Promise((r) => setTimeout(r, 200));
  emit([{ type: 'new_message', conversation_id: 7, sender_name: 'Ann', message: 'again', id: 'm2' }, { type: 'tick', id: 't', n: 1 }]);
  await Promise.all(pages.map((p) => p.evaluate(() => until(() => got.length === 1))));
  await new Promise((r) => setTimeout(r, 200));
  const after = await Promise.all(pages.map((p) => p.evaluate(() => ({ shown: window.shown.length, unread: ctx.unreadCount(7), total: ctx.totalUnread }))));
  assert.deepEqual(after.map((a) => a.unread), [0, 0, 0]);
  assert.equal(after.reduce((a, b) => a + b.shown, 0), 1, 'none more');
  await context.close();
});

test('two users in two tabs of one browser context never see each other\'s messages', async () => {
  const context = await browser.newContext();
  const [ada] = await tabs(context, 1, 'users-ada', { userKey: 'ada' });
  const [bob] = await tabs(context, 1, 'users-bob', { userKey: 'bob' });
  assert.deepEqual([await ada.evaluate(() => ctx.stats().role), await bob.evaluate(() => ctx.stats().role)], ['leader', 'leader']);
  server.room('users-ada').stream(5, 2);
  await ada.evaluate(() => until(() => got.length === 5));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await bob.evaluate(() => got), []);
  assert.equal(server.room('users-ada').snapshot().open + server.room('users-bob').snapshot().open, 2);
  await context.close();
});

test('logoutEverywhere() in one tab disconnects every tab of the user', async () => {
  const context = await browser.newContext();
  const pages = await tabs(context, 3, 'logout');
  await pages[1].evaluate(() => ctx.logoutEverywhere());
  for (const page of pages) await page.evaluate(() => until(() => ctx.state.status === 'closed'));
  for (let i = 0; i < 100 && server.room('logout').snapshot().open > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(server.room('logout').snapshot().open, 0);
  await context.close();
});

test('sends made in every tab while the leader hands over arrive once, in order per tab', async () => {
  const context = await browser.newContext();
  const pages = await tabs(context, 4, 'handover-sends');
  const leaderAt = (await roles(pages)).indexOf('leader');
  const [leader] = pages.splice(leaderAt, 1);
  await leader.close();
  // At once, before any follower may know who leads now: plain sends and acknowledged ones.
  await Promise.all(pages.map((p, tab) => p.evaluate((tab) => {
    window.acks = [];
    for (let k = 0; k < 10; k++) ctx.send({ tab, k });
    for (let k = 10; k < 20; k++) acks.push(ctx.sendAcked({ tab, k }));
  }, tab)));
  const received = () => server.room('handover-sends').snapshot().received.filter((m) => 'tab' in m);
  for (let i = 0; i < 500 && received().length < 60; i++) await new Promise((r) => setTimeout(r, 20));
  await Promise.all(pages.map((p) => p.evaluate(() => Promise.all(acks))));
  await new Promise((r) => setTimeout(r, 300));
  const got = received();
  for (let tab = 0; tab < 3; tab++) assert.deepEqual(got.filter((m) => m.tab === tab).map((m) => m.k), range(0, 19), `tab ${tab}: once each, in order`);
  await context.close();
});
