// Browser notifications with the permission NOT granted (headless Chromium's default answer
// to a request is a denial): no Notification is constructed, nothing throws, unread counts
// still work. Uses the optimised release pkg/ against the real test server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../support/server.mjs';
import { launchChromium, startStatic } from '../support/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = `<!doctype html><script type="module">
  const Real = window.Notification;
  window.constructed = 0;
  window.Notification = class extends Real { constructor(t, o) { super(t, o); window.constructed++; } };
  Object.defineProperty(window.Notification, 'permission', { get: () => Real.permission });
  window.Notification.requestPermission = (...a) => Real.requestPermission(...a);
  import('/js/index.js').then(async ({ default: init, RealtimeContext }) => {
    await init();
    window.RealtimeContext = RealtimeContext;
    window.ready = true;
  });
</script>`;

let server, web, browser;
before(async () => {
  server = await startServer();
  web = await startStatic(root, { '/': PAGE });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await web?.close();
  await server?.close();
});

test('without permission, no notification is shown and unread counts still work', async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(web.url + '/');
  await page.waitForFunction(() => window.ready);
  const result = await page.evaluate(async (ws) => {
    const ctx = new RealtimeContext({ url: `${ws}/ws`, heartbeat: false });
    const answer = await ctx.requestNotificationPermission();
    let seen = 0;
    ctx.on('new_message', () => seen++);
    ctx.connect();
    for (let i = 0; i < 1000 && ctx.state.status !== 'open'; i++) await new Promise((r) => setTimeout(r, 10));
    ctx.send({ cmd: 'emit', frames: [{ type: 'new_message', conversation_id: 4, message: 'hi' }] });
    for (let i = 0; i < 1000 && seen < 1; i++) await new Promise((r) => setTimeout(r, 10));
    return { answer, permission: Notification.permission, unread: ctx.unreadCount(4), constructed: window.constructed };
  }, server.url);
  assert.equal(result.answer, 'denied');
  assert.equal(result.permission, 'denied');
  assert.equal(result.unread, 1);
  assert.equal(result.constructed, 0);
  assert.deepEqual(errors, []);
});
