// Network and visibility in a real page (the release build in headless Chromium): while the
// browser is offline no attempt is made; the `online` event retries at once from attempt 1; a
// hidden page with `pauseWhenHidden` closes its socket and reopens it when shown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../support/server.mjs';
import { RELEASE_PAGE, launchChromium, startStatic } from '../support/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

let server, web, browser;

before(async () => {
  server = await startServer();
  web = await startStatic(root, { '/': RELEASE_PAGE });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await web?.close();
  await server?.close();
});

async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(web.url + '/');
  await page.waitForFunction(() => window.ready);
  return { context, page };
}

test('offline, a dropped socket waits without attempts; back online it retries at once from attempt 1', async () => {
  const { context, page } = await newPage();
  const room = `offline-${Date.now()}`;
  await page.evaluate(async ({ ws, room }) => {
    window.ctx = new RealtimeContext({ url: `${ws}/ws?room=${room}`, heartbeat: false, reconnect: { initialDelayMs: 100, jitter: 0 } });
    ctx.connect();
    await until(() => ctx.state.status === 'open');
  }, { ws: server.url, room });
  await context.setOffline(true);
  await page.evaluate(() => until(() => navigator.onLine === false));
  // The server drops the socket while the browser is offline.
  for (const ws of [...serverSockets(room)]) ws.terminate();
  const offline = await page.evaluate(async () => {
    await until(() => ctx.state.status === 'reconnecting' && ctx.state.error?.startsWith('offline'));
    await new Promise((r) => setTimeout(r, 600)); // six first delays
    return { state: ctx.state, reconnects: ctx.stats().reconnects };
  });
  assert.equal(offline.state.nextRetryInMs, null);
  assert.equal(offline.reconnects, 0, 'no attempt was spent while offline');
  assert.equal(server.rooms.get(room).total, 1);
  await context.setOffline(false);
  const back = await page.evaluate(async () => {
    await until(() => ctx.state.status === 'open');
    const stats = ctx.stats();
    ctx.free();
    return stats;
  });
  assert.equal(back.reconnects, 1, 'one attempt, made when the browser came back online');
  assert.equal(server.rooms.get(room).total, 2);
  await context.close();
});

test('pauseWhenHidden closes the socket after the grace and reopens it when the page is shown', async () => {
  const { context, page } = await newPage();
  const room = `pause-${Date.now()}`;
  const result = await page.evaluate(async ({ ws, room }) => {
    let hidden = false;
    Object.defineProperty(document, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible') });
    const show = (h) => { hidden = h; document.dispatchEvent(new Event('visibilitychange')); };
    const ctx = new RealtimeContext({ url: `${ws}/ws?room=${room}`, heartbeat: false, pauseWhenHidden: true, hiddenGraceMs: 200 });
    ctx.connect();
    await until(() => ctx.state.status === 'open');
    show(true);
    await until(() => ctx.state.status === 'closed');
    const paused = ctx.state.error;
    ctx.send({ kept: 1 });
    show(false);
    await until(() => ctx.state.status === 'open');
    await until(() => ctx.stats().queued === 0);
    ctx.free();
    return { paused };
  }, { ws: server.url, room });
  assert.match(result.paused, /^paused/);
  assert.equal(server.rooms.get(room).total, 2, 'closed once while hidden, opened again when shown');
  await context.close();
});

/** The test server's open sockets of `room`. */
function* serverSockets(room) {
  yield* server.sockets(room);
}
