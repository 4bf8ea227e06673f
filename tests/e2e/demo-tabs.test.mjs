// The demo app (www/, unified mode) in 3 pages of one browser context: the pages of one user
// share one socket (a leader tab owns it, the others follow over a BroadcastChannel), so the
// server counts 1 socket for the user, every tab shows the same unread badges, and reading a
// conversation in one tab clears its badge in all. Sockets are counted on the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer } from '../../www/server.mjs';
import { control, launchChromium, sockets, until, untilSockets } from './lib/demo.mjs';

const ONE = { realtime: 1, notifications: 0, friendRequests: 0, total: 1 };
const WAIT = 20_000;

let server, browser;

before(async () => {
  server = await startDemoServer({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the demo for `user` (unified) in `n` pages of one new browser context, one after the
 * other, each with its console errors recorded; waits until each is logged in. */
async function openTabs(user, n) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
  await context.grantPermissions(['notifications'], { origin: new URL(server.url).origin });
  const tabs = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.url}?user=${user}&unified=1`);
    await page.getByTestId('logout').waitFor();
    tabs.push({ page, errors });
  }
  return { tabs, close: () => context.close() };
}

/** The text of `testId` in `page`, or null when it is not shown (read at once: a badge may go
 * between a count and a read). */
async function shown(page, testId) {
  return (await page.getByTestId(testId).allTextContents())[0] ?? null;
}

/** What `testIds` show in each tab: one `{testId: text|null}` per tab. */
const badges = (tabs, testIds) =>
  Promise.all(tabs.map(async ({ page }) => Object.fromEntries(await Promise.all(testIds.map(async (id) => [id, await shown(page, id)])))));

/** Waits until every tab shows `expected` (`{testId: text|null}`); the failure names what each showed. */
async function untilEveryTab(tabs, expected, what) {
  let last;
  await until(async () => {
    last = await badges(tabs, Object.keys(expected));
    return last.every((b) => Object.entries(expected).every(([id, v]) => b[id] === v));
  }, () => `${what} in every tab: ${JSON.stringify(expected)} (last: ${JSON.stringify(last)})`, WAIT);
}

const CONVERSATION_BADGES = ['conv-unread-1', 'conv-unread-2', 'conv-unread-3', 'total-unread'];

test('unified, 3 tabs of one user: 1 socket on the server, the same unread badges in every tab; reading in one tab clears them all', async () => {
  const user = 'tabs-three';
  const { tabs, close } = await openTabs(user, 3);
  try {
    await untilSockets(server, user, ONE);
    // Every tab gets the frames of the shared socket: a notification shows in each bell.
    await control(server, 'emit', { user, kind: 'notification' });
    await untilEveryTab(tabs, { 'notif-badge': '1' }, 'the warm-up notification');

    // Each tab shows conversation 1 (the default); the messages go to conversation 3.
    for (const page of tabs.map((t) => t.page)) assert.equal(await page.locator('.conversations .selected').getAttribute('data-testid'), 'conv-1');
    await control(server, 'emit', { user, kind: 'message', conversationId: 3, count: 3 });
    await untilEveryTab(tabs, { 'conv-unread-3': '3', 'total-unread': '3' }, '3 unread in conversation 3');
    // Frames arrive in order: once the sentinel counts everywhere, the 3 were all handled.
    await control(server, 'emit', { user, kind: 'message', conversationId: 2, text: 'sentinel' });
    await untilEveryTab(tabs, { 'conv-unread-2': '1' }, 'the sentinel');
    const all = await badges(tabs, CONVERSATION_BADGES);
    const expected = { 'conv-unread-1': null, 'conv-unread-2': '1', 'conv-unread-3': '3', 'total-unread': '4' };
    assert.deepEqual(all, [expected, expected, expected], 'the same badges in every tab');
    assert.deepEqual(await sockets(server, user), { ...ONE, opened: 1 }, 'one socket for the 3 tabs, and never another');

    // Reading conversation 3 in the second tab clears its badge in all three.
    const reader = tabs[1].page;
    await reader.getByTestId('conv-3').click();
    await reader.locator('.chat h2').filter({ hasText: await reader.getByTestId('conv-3').locator('span').first().textContent() }).waitFor();
    await untilEveryTab(tabs, { 'conv-unread-3': null, 'total-unread': '1' }, 'conversation 3 read');
    const cleared = { 'conv-unread-1': null, 'conv-unread-2': '1', 'conv-unread-3': null, 'total-unread': '1' };
    assert.deepEqual(await badges(tabs, CONVERSATION_BADGES), [cleared, cleared, cleared], 'the same badges in every tab after reading');
    assert.deepEqual(await sockets(server, user), { ...ONE, opened: 1 }, 'still one socket');

    tabs.forEach(({ errors }, i) => assert.deepEqual(errors, [], `console errors in tab ${i + 1}`));
  } finally {
    await close();
  }
});
