// The demo app (www/) in headless Chromium against its own server, in both modes of the
// feature flag. Sockets are counted on the server, never in the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer } from '../../www/server.mjs';
import { control, launchChromium, openDemo, sockets, until, untilSockets } from './lib/demo.mjs';

const MODES = [
  { unified: false, name: 'legacy', one: { notifications: 1, friendRequests: 1, realtime: 0, total: 2 } },
  { unified: true, name: 'unified', one: { realtime: 1, notifications: 0, friendRequests: 0, total: 1 } },
];

let server, browser;

before(async () => {
  server = await startDemoServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the demo, runs `body(demo)`, then checks that the page logged no console error. */
async function withDemo(options, body) {
  const demo = await openDemo(browser, server, options);
  try {
    await body(demo);
    assert.deepEqual(demo.errors, [], 'console errors');
  } finally {
    await demo.close();
  }
}

/** Opens the demo for each of `users` (one browser context each), runs `body(demos)`, then checks that no page logged a console error. */
async function withDemos(users, options, body) {
  const demos = [];
  try {
    for (const user of users) demos.push(await openDemo(browser, server, { user, ...options }));
    await body(demos);
    demos.forEach((demo, i) => assert.deepEqual(demo.errors, [], `console errors of ${users[i]}`));
  } finally {
    await Promise.all(demos.map((demo) => demo.close()));
  }
}

const text = (page, testId) => page.getByTestId(testId).textContent();
/** The typing line of `page`'s chat when it reads exactly `line`. */
const typingLine = (page, line) => page.getByTestId('typing').filter({ hasText: new RegExp(`^${line}$`) });
/** `user`'s dot in `page` when it shows `state` (online or offline). */
const dot = (page, user, state) => page.locator(`[data-testid="online-${user}"].${state}`);

for (const mode of MODES) {
  test(`${mode.name}: ${mode.one.total} socket(s) per user; logout closes them`, async () => {
    const user = `${mode.name}-count`;
    await withDemo({ user, unified: mode.unified }, async ({ page }) => {
      await untilSockets(server, user, mode.one);
      await page.getByTestId('logout').click();
      await untilSockets(server, user, { total: 0 });
      await page.getByTestId('login').click();
      await untilSockets(server, user, mode.one);
    });
  });

  test(`${mode.name}: a server notification shows in the badge; mark-all-read reaches the server`, async () => {
    const user = `${mode.name}-notify`;
    await withDemo({ user, unified: mode.unified }, async ({ page }) => {
      await untilSockets(server, user, mode.one);
      await control(server, 'emit', { user, kind: 'notification' });
      await until(async () => (await page.getByTestId('notif-badge').textContent()) === '1', 'badge 1');
      await control(server, 'emit', { user, kind: 'notification' });
      await until(async () => (await page.getByTestId('notif-badge').textContent()) === '2', 'badge 2');
      await page.getByTestId('notif-toggle').click();
      assert.equal(await page.getByTestId('notif-item').count(), 2);
      await page.getByTestId('notif-mark-all').click();
      await page.getByTestId('notif-badge').waitFor({ state: 'detached' });
      await until(async () => (await control(server, `state?user=${user}`)).notifications.every((n) => n.read), 'server: all read');
    });
  });

  test(`${mode.name}: the friend-request panel refetches on updates and toasts on acceptance`, async () => {
    const user = `${mode.name}-friends`;
    await withDemo({ user, unified: mode.unified }, async ({ page }) => {
      await untilSockets(server, user, mode.one);
      await control(server, 'emit', { user, kind: 'friend_request' });
      await page.getByTestId('friend-request').waitFor();
      await control(server, 'emit', { user, kind: 'friend_accepted' });
      await page.getByTestId('toast').filter({ hasText: 'accepted your friend request' }).waitFor();
      await page.getByTestId('friend-request').getByRole('button', { name: 'Accept' }).click();
      await page.getByTestId('friend-request').waitFor({ state: 'detached' });
      assert.deepEqual((await control(server, `state?user=${user}`)).requests, []);
    });
  });
}

test('unified: exactly one socket while all three conversations are opened and switched', async () => {
  const user = 'unified-switch';
  await withDemo({ user, unified: true }, async ({ page }) => {
    await untilSockets(server, user, MODES[1].one);
    for (let round = 0; round < 3; round++) {
      for (const id of [1, 2, 3]) {
        await page.getByTestId(`conv-${id}`).click();
        await page.locator('.chat h2').filter({ hasText: await page.getByTestId(`conv-${id}`).textContent() }).waitFor();
        assert.deepEqual(await sockets(server, user), { ...MODES[1].one, opened: 1 });
      }
    }
  });
});

test('unified: a REST failure rolls the optimistic mark-all-read back and shows the error', async () => {
  const user = 'unified-rollback';
  const allow = [/status of 500/];
  await withDemo({ user, unified: true, allow }, async ({ page }) => {
    await untilSockets(server, user, MODES[1].one);
    await control(server, 'emit', { user, kind: 'notification', count: 2 });
    await until(async () => (await page.getByTestId('notif-badge').count()) && (await text(page, 'notif-badge')) === '2', 'badge 2');
    // The failing response is held until the optimistic update shows, then the call fails.
    await page.route('**/api/notifications/read-all', async (route) => {
      await page.getByTestId('notif-badge').waitFor({ state: 'detached' });
      await route.fulfill({ status: 500, body: 'boom' });
    });
    await page.getByTestId('notif-toggle').click();
    await page.getByTestId('notif-mark-all').click();
    await page.getByTestId('notif-error').waitFor();
    assert.equal(await text(page, 'notif-badge'), '2');
    assert.ok((await control(server, `state?user=${user}`)).notifications.every((n) => !n.read), 'server unchanged');
    await page.unroute('**/api/notifications/read-all');
    await page.getByTestId('notif-mark-all').click();
    await page.getByTestId('notif-badge').waitFor({ state: 'detached' });
    await page.getByTestId('notif-error').waitFor({ state: 'detached' });
    assert.ok((await control(server, `state?user=${user}`)).notifications.every((n) => n.read), 'server: all read');
  });
});

test('unified: a message in an inactive conversation notifies and counts; in the active one neither', async () => {
  const user = 'unified-unread';
  await withDemo({ user, unified: true }, async ({ page, notifications }) => {
    await untilSockets(server, user, MODES[1].one);
    assert.equal(await page.evaluate(() => Notification.permission), 'granted');
    await control(server, 'emit', { user, kind: 'message', conversationId: 2, text: 'to the inactive one' });
    await until(async () => (await page.getByTestId('conv-unread-2').count()) && (await text(page, 'conv-unread-2')) === '1', 'unread badge of 2');
    assert.equal(await text(page, 'total-unread'), '1');
    assert.deepEqual(await notifications(), [{ title: 'Grace', body: 'to the inactive one', tag: 'conversation-2' }]);

    await control(server, 'emit', { user, kind: 'message', conversationId: 1, text: 'to the active one' });
    // Frames arrive in order: once the next one's notification shows, the first was handled.
    await control(server, 'emit', { user, kind: 'message', conversationId: 3, text: 'sentinel' });
    await until(async () => (await notifications()).length === 2, 'the sentinel notification');
    assert.deepEqual((await notifications()).map((n) => n.tag), ['conversation-2', 'conversation-3']);
    await page.getByTestId('chat-message').filter({ hasText: 'to the active one' }).waitFor();
    assert.equal(await page.getByTestId('conv-unread-1').count(), 0);
    // The notification shows as the frame is handled; the badges at the next render, together.
    await until(async () => (await page.getByTestId('conv-unread-3').count()) && (await text(page, 'conv-unread-3')) === '1', 'unread badge of 3');
    assert.equal(await text(page, 'total-unread'), '2');

    await page.getByTestId('conv-2').click();
    await page.getByTestId('conv-unread-2').waitFor({ state: 'detached' });
    assert.equal(await text(page, 'total-unread'), '1');
  });
});

test('unified: after the server drops the socket the app reconnects by itself; messages sent meanwhile arrive once', async () => {
  const user = 'unified-drop';
  // While blocked the server refuses the upgrade, which Chromium reports on the console.
  const allow = [/WebSocket connection to .* failed/];
  await withDemo({ user, unified: true, allow }, async ({ page }) => {
    await untilSockets(server, user, MODES[1].one);
    await control(server, 'block', { user, blocked: true });
    await control(server, 'drop', { user });
    await page.getByTestId('banner').waitFor();
    const texts = ['first while offline', 'second while offline', 'third while offline'];
    for (const t of texts) {
      await page.getByTestId('chat-input').fill(t);
      await page.getByTestId('chat-send').click();
    }
    await page.getByTestId('chat-offline').waitFor();
    assert.equal((await sockets(server, user)).total, 0);
    await control(server, 'block', { user, blocked: false });
    await page.getByTestId('banner').waitFor({ state: 'detached', timeout: 20_000 });
    await untilSockets(server, user, MODES[1].one);
    for (const t of texts) await page.getByTestId('chat-message').filter({ hasText: t }).waitFor();
    const shown = await page.getByTestId('chat-message').allTextContents();
    const stored = (await control(server, `state?user=${user}`)).messages[1].map((m) => m.message);
    for (const t of texts) {
      assert.equal(shown.filter((s) => s.endsWith(t)).length, 1, `shown once: ${t}`);
      assert.equal(stored.filter((s) => s === t).length, 1, `received once: ${t}`);
    }
  });
});

test('unified: a close the client must not retry shows the banner; "Retry now" reconnects', async () => {
  const user = 'unified-close';
  await withDemo({ user, unified: true }, async ({ page }) => {
    await untilSockets(server, user, MODES[1].one);
    await control(server, 'close', { user, code: 4001 });
    await page.getByTestId('banner').filter({ hasText: 'unauthorized' }).waitFor();
    await untilSockets(server, user, { total: 0 });
    await page.getByTestId('banner-retry').click();
    await page.getByTestId('banner').waitFor({ state: 'detached' });
    await untilSockets(server, user, { ...MODES[1].one, opened: 2 });
  });
});

test('unified: who types shows in the others\' chat ("Ada and Bob are typing…") and goes after a pause or on send; the online dots follow the pages', async () => {
  const users = ['ada', 'bob', 'carol'];
  await withDemos(users, { unified: true }, async ([ada, bob, carol]) => {
    for (const user of users) await untilSockets(server, user, MODES[1].one);
    await dot(ada.page, 'bob', 'online').waitFor();
    await dot(ada.page, 'carol', 'online').waitFor();
    await dot(bob.page, 'ada', 'online').waitFor();
    await dot(carol.page, 'ada', 'online').waitFor();
    assert.equal(await ada.page.getByTestId('online-ada').count(), 0, 'no dot for oneself');

    // Everyone shows conversation 1. Ada, then Bob, starts typing; each stops after a pause.
    await ada.page.getByTestId('chat-input').fill('Hi');
    await typingLine(carol.page, 'Ada is typing…').waitFor();
    await typingLine(bob.page, 'Ada is typing…').waitFor();
    await bob.page.getByTestId('chat-input').fill('Hello');
    await typingLine(carol.page, 'Ada and Bob are typing…').waitFor();
    await typingLine(ada.page, 'Bob is typing…').waitFor();
    for (const { page } of [ada, bob, carol]) await page.getByTestId('typing').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await bob.page.getByTestId('chat-input').inputValue(), 'Hello', 'nothing was sent');

    // Sending ends the line too (Chat.jsx calls setTyping(false); the frame itself is checked in
    // tests/web/live.rs, without a race against the idle stop).
    await bob.page.getByTestId('chat-input').pressSequentially(' again', { delay: 50 });
    await typingLine(ada.page, 'Bob is typing…').waitFor();
    await bob.page.getByTestId('chat-send').click();
    await ada.page.getByTestId('typing').waitFor({ state: 'detached', timeout: 10_000 });
    await bob.page.getByTestId('chat-message').filter({ hasText: 'Hello again' }).waitFor();

    // A page that closes goes offline for the others.
    await carol.close();
    await dot(ada.page, 'carol', 'offline').waitFor();
    await dot(bob.page, 'carol', 'offline').waitFor();
    assert.equal(await dot(ada.page, 'bob', 'online').count(), 1);
    await bob.close();
    await dot(ada.page, 'bob', 'offline').waitFor();
  });
});

test('legacy: no typing line and no online dots; typing and sending work as before', async () => {
  await withDemos(['legacy-ada', 'legacy-bob'], { unified: false }, async ([ada, bob]) => {
    await untilSockets(server, 'legacy-ada', MODES[0].one);
    await untilSockets(server, 'legacy-bob', MODES[0].one);
    await bob.page.getByTestId('chat-input').fill('typed in legacy');
    await bob.page.getByTestId('chat-send').click();
    await bob.page.getByTestId('chat-message').filter({ hasText: 'typed in legacy' }).waitFor();
    for (const { page } of [ada, bob]) {
      assert.equal(await page.getByTestId('typing').count(), 0);
      assert.equal(await page.locator('[data-testid^="online-"]').count(), 0);
    }
  });
});
