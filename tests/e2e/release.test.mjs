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

/** What a Rust panic or a wasm trap looks like, in the console, a page error or a thrown Error. */
const PANIC = /RuntimeError|unreachable|panicked at|recursive use of an object|null pointer passed to rust|already (mutably )?borrowed/i;

let server, web, browser, page, errors, panics;

/** Records, for `page`, console errors and page errors in `errors`, and anything like a panic in `panics`. */
function watch(page, errors, panics) {
  page.on('pageerror', (e) => {
    errors.push(e.message);
    if (PANIC.test(`${e.name}: ${e.message}\n${e.stack}`)) panics.push(`pageerror ${e.name}: ${e.message}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/WebSocket connection to/.test(m.text())) errors.push(m.text());
    if (PANIC.test(m.text())) panics.push(`console.${m.type()}: ${m.text()}`);
  });
}

before(async () => {
  server = await startServer();
  web = await startStatic(root, { '/': PAGE });
  browser = await launchChromium();
  page = await browser.newPage();
  errors = [];
  panics = [];
  watch(page, errors, panics);
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

// Runs last: it also checks that nothing before it panicked in the shared page.
test('no input traps the release build: garbage frames, bad arguments, throwing callbacks, use after free()', async () => {
  const context = await browser.newContext();
  await context.grantPermissions(['notifications'], { origin: web.url });
  const fresh = await context.newPage();
  const pageErrors = [];
  const pagePanics = [];
  watch(fresh, pageErrors, pagePanics);
  await fresh.goto(web.url + '/');
  await fresh.waitForFunction(() => window.ready);
  const result = await fresh.evaluate(async (ws) => {
    const until = async (cond) => { for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10)); return cond(); };
    const outcomes = []; // [what, 'ok' | 'Error: message' | 'not an Error: ...']
    const describe = (e) => {
      if (!(e instanceof Error)) { try { return `not an Error: ${String(e)}`; } catch { return 'not an Error'; } }
      return `${e.name}: ${e.message}`;
    };
    const attempt = (what, fn) => {
      try { fn(); outcomes.push([what, 'ok']); } catch (e) { outcomes.push([what, describe(e)]); }
    };
    const cb = () => {};
    const cyclic = {}; cyclic.self = cyclic;
    const hostile = new Proxy({}, { get() { throw new Error('hostile get'); }, ownKeys() { throw new Error('hostile keys'); }, getPrototypeOf() { throw new Error('hostile proto'); } });
    const url = `${ws}/ws`;

    // Options no context can be built from.
    for (const [what, options] of [
      ['no options', undefined], ['hostile options', hostile], ['a throwing getter', { get url() { throw new Error('getter'); } }],
      ['url as an object', { url: { toString() { throw new Error('toString'); } } }], ['url as a symbol', { url: Symbol('u') }],
      ['a hostile nested option', { url, reconnect: hostile }], ['a hostile ping', { url, heartbeat: { ping: hostile } }],
      ['a huge delay list', { url, reconnect: { delaysMs: new Array(100000).fill(1) } }], ['bigint', { url, connectTimeoutMs: 10n }],
      ['notify types hostile', { url, notify: { types: hostile } }], ['a url of 1 MB', { url: 'ws://127.0.0.1:9/' + 'x'.repeat(1 << 20) }],
    ]) attempt(`new RealtimeContext(${what})`, () => new RealtimeContext(options).free());

    const ctx = new RealtimeContext({ url, heartbeat: false });
    const seen = [];
    const problems = [];
    ctx.on('*', (m) => seen.push(m.type));
    ctx.onError((e) => problems.push(e.kind));
    ctx.onError(() => { throw new Error('an error listener that throws'); });
    ctx.onConversation(5, cb);
    ctx.onNotifications(cb);
    ctx.onUnread(cb);
    // Listeners that throw, re-enter and unsubscribe while a message is dispatched.
    ctx.on('boom', () => { throw new Error('listener'); });
    ctx.on('boom', () => { throw 5; });
    ctx.on('boom', () => { throw Symbol('s'); });
    ctx.on('boom', () => { throw { toString() { throw new Error('unprintable'); } }; });
    ctx.on('boom', () => { throw null; });
    let nested = 0;
    ctx.on('nest', () => { if (nested++ < 50) ctx.receive({ type: 'nest' }); });
    ctx.on('churn', () => { const off = ctx.on('churn', cb); off(); off(); ctx.onConversation(9, cb)(); ctx.setActiveConversation(9); ctx.markRead(9); ctx.send({ type: 'echo' }); ctx.stats(); });
    const offSelf = ctx.on('self', () => offSelf());
    // Browser notifications are allowed here, so formatters run: bad ones must not trap.
    const formatters = [() => { throw new Error('formatter'); }, () => 5, () => ({ title: 5 }), () => ({ title: 'x', body: {}, icon: 1, tag: [] }), () => undefined, () => hostile, () => ({ get title() { throw new Error('title'); } })];
    ctx.connect();
    await until(() => ctx.state.status === 'open');

    // Garbage from the server.
    const frames = [
      'garbage', '', '{', 'null', '1', '"text"', '[]', '[[]]', '[1,[2],null,"x"]', '{"type":5}', '{"type":null}', '{}', '{"type":{}}',
      '{"type":"x","conversation_id":{"a":1}}', '{"type":"new_message","conversation_id":1e308}', '{"type":"new_message","conversation_id":-1e308}',
      '{"type":"new_message","conversation_id":12345678901234567890}', '{"type":"new_message","conversation_id":-0}',
      `{"type":"new_message","conversation_id":"${'x'.repeat(100000)}"}`, '{"type":"new_message","conversation_id":[1]}',
      '{"type":"new_message","conversation_id":true}', '{"type":"new_message","conversation_id":null}', '{"type":"new_message","conversation_id":1.5}',
      '{"type":"new_message","conversation_id":"\\ud800","sender_name":"\\udfff","message":"\\u0000"}', '{"type":"\\ud800"}',
      '{"type":"notification","notification":null}', '{"type":"notification","notification":5}', '{"type":"notification","notification":{"id":{"x":1}}}',
      '{"type":"notification","notification":{"id":1e308}}', '{"type":"notification","notification":{"id":"1"}}', '{"type":"notification","notification":{"id":[]}}',
      '{"type":"pong"}', '{"type":"ping"}', '['.repeat(3000) + ']'.repeat(3000), `[${'{"type":"burst"},'.repeat(2000)}{"type":"burst"}]`,
      '{"type":"boom"}', '{"type":"nest"}', '{"type":"churn","conversation_id":9}', '{"type":"self"}', '{"type":"self"}',
    ];
    ctx.send({ cmd: 'binary' });
    ctx.send({ cmd: 'emit', frames });
    ctx.send({ cmd: 'emit', frames: [{ type: 'end' }] });
    await until(() => seen.includes('end'));
    for (const [i, formatter] of formatters.entries()) {
      attempt(`setNotificationFormatter(bad formatter ${i})`, () => ctx.setNotificationFormatter(formatter));
      ctx.send({ cmd: 'emit', frames: [{ type: 'new_message', conversation_id: 77, sender_name: 'a', message: 'b' }, { type: `formatted ${i}` }] });
      await until(() => seen.includes(`formatted ${i}`));
    }
    attempt('setNotificationFormatter(null)', () => ctx.setNotificationFormatter(null));

    // Bad arguments to every method.
    const calls = {
      'on(1, cb)': () => ctx.on(1, cb), "on('x', 'nope')": () => ctx.on('x', 'nope'), 'on()': () => ctx.on(), 'on(hostile, cb)': () => ctx.on(hostile, cb),
      'onConversation({}, cb)': () => ctx.onConversation({}, cb), 'onConversation(NaN, cb)': () => ctx.onConversation(NaN, cb),
      'onConversation(1, null)': () => ctx.onConversation(1, null), 'onConversation(hostile, cb)': () => ctx.onConversation(hostile, cb),
      'onState(5)': () => ctx.onState(5), 'onError(null)': () => ctx.onError(null), 'onUnread({})': () => ctx.onUnread({}),
      'onNotifications()': () => ctx.onNotifications(), "onNotificationClick('x')": () => ctx.onNotificationClick('x'),
      'onState(a throwing callback)': () => ctx.onState(() => { throw new Error('state listener'); }),
      'send()': () => ctx.send(), 'send(5)': () => ctx.send(5), 'send(1n)': () => ctx.send(1n), 'send(Symbol())': () => ctx.send(Symbol('s')),
      'send(cyclic)': () => ctx.send(cyclic), 'send(throwing toJSON)': () => ctx.send({ toJSON() { throw new Error('toJSON'); } }),
      'send(hostile)': () => ctx.send(hostile), "send('\\ud800')": () => ctx.send('\ud800'),
      "sendMessage(NaN, 'x')": () => ctx.sendMessage(NaN, 'x'), 'sendMessage(1, 5)': () => ctx.sendMessage(1, 5),
      "sendMessage({}, 'x')": () => ctx.sendMessage({}, 'x'), "sendMessage(1, 'x', 5)": () => ctx.sendMessage(1, 'x', 5),
      "sendMessage(1, 'x', hostile)": () => ctx.sendMessage(1, 'x', hostile), 'sendMessage()': () => ctx.sendMessage(),
      'setToken(5)': () => ctx.setToken(5), 'setToken({})': () => ctx.setToken({}), 'setToken(hostile)': () => ctx.setToken(hostile),
      'setActiveConversation({})': () => ctx.setActiveConversation({}), 'setActiveConversation(Symbol())': () => ctx.setActiveConversation(Symbol('s')),
      'setActiveConversation(1e308)': () => ctx.setActiveConversation(1e308), 'setActiveConversation(-0)': () => ctx.setActiveConversation(-0),
      'unreadCount(Symbol())': () => ctx.unreadCount(Symbol('s')), 'unreadCount({})': () => ctx.unreadCount({}), 'unreadCount(hostile)': () => ctx.unreadCount(hostile),
      'unreadCount(1e308)': () => ctx.unreadCount(1e308), 'markRead([])': () => ctx.markRead([]), 'markRead()': () => ctx.markRead(),
      'receive()': () => ctx.receive(), 'receive(5)': () => ctx.receive(5), 'receive(Symbol())': () => ctx.receive(Symbol('s')), 'receive(null)': () => ctx.receive(null),
      "receive('{')": () => ctx.receive('{'), 'receive([[]])': () => ctx.receive([[]]), 'receive({type: 5})': () => ctx.receive({ type: 5 }),
      'receive(hostile)': () => ctx.receive(hostile), 'receive([hostile])': () => ctx.receive([hostile]),
      'receive(a throwing getter)': () => ctx.receive({ get type() { throw new Error('getter'); } }),
      'receive(a throwing conversation getter)': () => ctx.receive({ type: 'new_message', get conversation_id() { throw new Error('getter'); } }),
      'receive(a hostile notification)': () => ctx.receive({ type: 'notification', notification: hostile }),
      "setNotifications('x')": () => ctx.setNotifications('x'), 'setNotifications([1])': () => ctx.setNotifications([1]), 'setNotifications(null)': () => ctx.setNotifications(null),
      'setNotifications([{id: Symbol()}])': () => ctx.setNotifications([{ id: Symbol('s') }]), 'setNotifications([hostile])': () => ctx.setNotifications([hostile]),
      'setNotifications(hostile)': () => ctx.setNotifications(hostile), 'setNotifications([a throwing id getter])': () => ctx.setNotifications([{ get id() { throw new Error('id'); } }]),
      'markNotificationRead({})': () => ctx.markNotificationRead({}), 'markNotificationRead(hostile)': () => ctx.markNotificationRead(hostile),
      'removeNotification(undefined)': () => ctx.removeNotification(undefined), 'removeNotification(Symbol())': () => ctx.removeNotification(Symbol('s')),
      'setNotificationFormatter(5)': () => ctx.setNotificationFormatter(5), "setNotificationFormatter('x')": () => ctx.setNotificationFormatter('x'),
      'requestNotificationPermission()': () => ctx.requestNotificationPermission(),
    };
    for (const [what, fn] of Object.entries(calls)) attempt(what, fn);

    // Still working after all that.
    ctx.receive({ type: 'alive' });
    ctx.send({ cmd: 'emit', frames: [{ type: 'alive-socket' }] });
    await until(() => seen.includes('alive-socket'));
    const alive = { seen: seen.includes('alive') && seen.includes('alive-socket'), status: ctx.state.status, stats: ctx.stats() };

    // free() inside every kind of callback: safe, nothing runs after it, later use throws.
    const freedIn = {};
    for (const subscribe of ['onState', 'onError', 'onUnread', 'onNotifications', 'on', 'onConversation']) {
      const c = new RealtimeContext({ url, heartbeat: false });
      const later = [];
      const free = () => { c.free(); try { c.stats(); later.push('stats() after free()'); } catch (e) { later.push(describe(e)); } };
      let first = true;
      if (subscribe === 'onState') c.onState(() => { if (first) first = false; else free(); });
      else if (subscribe === 'on') c.on('new_message', free);
      else if (subscribe === 'onConversation') c.onConversation(3, free);
      else c[subscribe](free);
      if (subscribe === 'on' || subscribe === 'onConversation') c.on('new_message', () => later.push('a listener called after free()'));
      try {
        if (subscribe === 'onState') c.connect();
        else if (subscribe === 'onError') c.receive('{');
        else if (subscribe === 'onNotifications') c.receive({ type: 'notification', notification: { id: 1 } });
        else c.receive({ type: 'new_message', conversation_id: 3 });
      } catch (e) { later.push(`the call that freed threw ${describe(e)}`); }
      freedIn[subscribe] = later;
    }
    const dead = new RealtimeContext({ url, heartbeat: false });
    dead.free();
    attempt('free() twice', () => dead.free());
    const args = {
      setToken: ['t'], onState: [cb], send: ['x'], sendMessage: [1, 'x'], on: ['x', cb], onConversation: [1, cb], onError: [cb],
      receive: ['{"type":"x"}'], setActiveConversation: [1], unreadCount: [1], markRead: [1], onUnread: [cb], setNotificationFormatter: [null],
      onNotificationClick: [cb], setNotifications: [[]], markNotificationRead: [1], removeNotification: [1], onNotifications: [cb],
    };
    const afterFree = {};
    const proto = Object.getOwnPropertyDescriptors(Object.getPrototypeOf(dead));
    for (const [name, d] of Object.entries(proto)) {
      if (name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
      try {
        const v = d.get ? d.get.call(dead) : d.value.apply(dead, args[name] ?? []);
        afterFree[name] = v instanceof Promise ? 'returned a Promise' : 'no error';
      } catch (e) { afterFree[name] = describe(e); }
    }
    await new Promise((r) => setTimeout(r, 200));
    ctx.free();
    return { outcomes, problems: [...new Set(problems)].sort(), alive, freedIn, afterFree };
  }, server.url);

  const trapped = result.outcomes.filter(([, o]) => PANIC.test(o) || o.startsWith('not an Error'));
  assert.deepEqual(trapped, [], 'calls that trapped, panicked or threw no Error');
  assert.deepEqual(pagePanics, [], 'panics or traps in the console or as page errors');
  assert.deepEqual(panics, [], 'panics or traps in the page of the other tests');
  assert.deepEqual(pageErrors, [], 'console errors or page errors');
  assert.equal(result.alive.seen, true, 'the context still routes');
  assert.equal(result.alive.status, 'open', 'the socket stayed open');
  // 'notification': the formatters that threw or returned garbage ran (the permission is granted).
  for (const kind of ['binary_frame', 'invalid_json', 'not_an_object', 'missing_route_key', 'listener_threw', 'notification']) assert.ok(result.problems.includes(kind), `reported ${kind}: ${result.problems}`);
  for (const [subscribe, later] of Object.entries(result.freedIn)) {
    assert.deepEqual(later, ['Error: RealtimeContext: used after free()'], `free() inside ${subscribe}: no listener runs after it, later use throws`);
  }
  const USED = 'Error: RealtimeContext: used after free()';
  const notThrowing = Object.entries(result.afterFree).filter(([, o]) => o !== USED);
  assert.deepEqual(notThrowing, [], 'every member but free() throws after free()');
  assert.ok(Object.keys(result.afterFree).length >= 25, `members tried after free(): ${Object.keys(result.afterFree)}`);
  await context.close();
});
