// The optimised release build (pkg/ after wasm-opt, and the JS shell) loaded in a plain
// ES-module page, driven through the public JS surface against the real test server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer } from '../support/server.mjs';
import { launchChromium, startStatic } from '../support/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = `<!doctype html><script type="module">
  import init, { RealtimeContext } from '/js/index.js';
  await init();
  window.RealtimeContext = RealtimeContext;
  window.ready = true;
</script>`;

let server, web, browser, page, errors;

before(async () => {
  server = await startServer();
  web = await startStatic(root, { '/': PAGE });
  browser = await launchChromium();
  page = await browser.newPage();
  errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/WebSocket connection to/.test(m.text()) && errors.push(m.text()));
  await page.goto(web.url + '/');
  await page.waitForFunction(() => window.ready);
});

after(async () => {
  await browser?.close();
  await web?.close();
  await server?.close();
});

test('routes messages through the release build and survives free() inside a listener', async () => {
  const result = await page.evaluate(async (ws) => {
    const until = async (cond) => { for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10)); return cond(); };
    const ctx = new RealtimeContext({ url: `${ws}/ws`, heartbeat: false });
    const got = [];
    const off = ctx.on('note', (m) => got.push(m.n));
    ctx.on('*', (m) => got.push('*' + m.type));
    ctx.onConversation('5', (m) => got.push('c' + m.n));
    ctx.connect();
    await until(() => ctx.state.status === 'open');
    ctx.send({ cmd: 'emit', frames: [[{ type: 'note', n: 1, conversation_id: 5 }, 'garbage'], 'nope', { type: 'note', n: 2 }] });
    await until(() => got.length >= 5);
    off(); off();
    ctx.send({ cmd: 'emit', frames: [{ type: 'note', n: 3 }] });
    await until(() => got.length >= 6);
    const stats = ctx.stats();
    let calledAfterFree = 0;
    ctx.on('bye', () => ctx.free());
    ctx.on('bye', () => calledAfterFree++);
    ctx.send({ cmd: 'emit', frames: [{ type: 'bye' }, { type: 'bye' }] });
    await until(() => got.includes('*bye'));
    await new Promise((r) => setTimeout(r, 100));
    let threwAfterFree = false;
    try { ctx.connect(); } catch { threwAfterFree = true; }
    return { got, stats, calledAfterFree, threwAfterFree };
  }, server.url);
  // Listener order is the order of subscription; after free() nothing more is called.
  assert.deepEqual(result.got, [1, '*note', 'c1', 2, '*note', '*note', '*bye']);
  assert.equal(result.stats.malformedDropped, 2, "the 'garbage' batch element and the 'nope' frame");
  assert.equal(result.calledAfterFree, 0);
  assert.equal(result.threwAfterFree, true, 'a freed context throws instead of trapping');
  assert.deepEqual(errors, []);
});

test('bad options throw an Error naming the key, from JS', async () => {
  const messages = await page.evaluate(() => [
    { url: 'ws://127.0.0.1:9/x', heartbeat: { intervalMs: -1 } },
    { url: 'ws://127.0.0.1:9/x', reconnect: 'often' },
    { url: 'ftp://127.0.0.1/x' },
    { url: 'ws://127.0.0.1:9/x', unknownKey: 1 },
  ].map((o) => { try { new RealtimeContext(o); return 'no error'; } catch (e) { return `${e instanceof Error}:${e.message}`; } }));
  assert.match(messages[0], /^true:.*heartbeat\.intervalMs/);
  assert.match(messages[1], /^true:.*reconnect/);
  assert.match(messages[2], /^true:.*url/);
  assert.match(messages[3], /^true:.*unknownKey/);
});
