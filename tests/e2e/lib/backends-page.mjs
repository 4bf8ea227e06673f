// Pages of the backend end-to-end tests: each app of a note is one page (its own browser
// context, notifications granted) that loads the release build from pkg/ through /js/index.js
// and drives RealtimeContexts by name. Shown browser notifications and constructed WebSockets
// are recorded in the page.
import assert from 'node:assert/strict';
import { until } from '../../backends/lib.mjs';

/** What a Rust panic or a wasm trap looks like, in the console, a page error or a thrown Error. */
const PANIC = /RuntimeError|unreachable|panicked at|recursive use of an object|null pointer passed to rust|already (mutably )?borrowed/i;

export const PAGE = `<!doctype html><script type="module">
  const RealNotification = window.Notification;
  window.shown = [];
  window.Notification = class extends RealNotification {
    constructor(title, options = {}) { super(title, options); window.shown.push({ title, body: options.body ?? null, tag: options.tag ?? null }); }
  };
  Object.defineProperty(window.Notification, 'permission', { get: () => RealNotification.permission });
  window.Notification.requestPermission = (...a) => RealNotification.requestPermission(...a);
  const RealSocket = window.WebSocket;
  window.socketsMade = [];
  window.WebSocket = class extends RealSocket {
    constructor(url, ...rest) { super(url, ...rest); window.socketsMade.push(new URL(url).pathname); }
  };
  const copy = (v) => JSON.parse(JSON.stringify(v ?? null));
  window.rc = {
    clients: {},
    open(name, options, { types = [], conversations = [], signals = [], connect = true, formatter = null } = {}) {
      const ctx = new window.RealtimeContext(options);
      const c = { ctx, log: [], states: [], errors: [] };
      ctx.onState((s) => c.states.push(s.status));
      ctx.onError((e) => c.errors.push(e.kind));
      for (const t of types) ctx.on(t, (m) => c.log.push({ on: t, m: copy(m) }));
      for (const id of conversations) ctx.onConversation(id, (m) => c.log.push({ on: 'conversation:' + id, m: copy(m) }));
      // signals: 'typing' logs onTyping({conversationId, users}) as 'onTyping', 'presence' onPresence(users) as 'onPresence'.
      if (signals.includes('typing')) ctx.onTyping((e) => c.log.push({ on: 'onTyping', m: copy(e) }));
      if (signals.includes('presence')) ctx.onPresence((users) => c.log.push({ on: 'onPresence', m: copy(users) }));
      if (formatter) ctx.setNotificationFormatter(new Function('m', 'return (' + formatter + ')(m)'));
      this.clients[name] = c;
      if (connect) ctx.connect();
      return true;
    },
    got(name, on) { return this.clients[name].log.filter((e) => e.on === on).map((e) => e.m); },
    state(name) { return copy(this.clients[name].ctx.state); },
    states(name) { return this.clients[name].states.slice(); },
    call(name, method, args) { return copy(this.clients[name].ctx[method](...args)); },
    async callAsync(name, method, args) { return copy(await this.clients[name].ctx[method](...args)); },
    get(name, prop) { return copy(this.clients[name].ctx[prop]); },
    free(name) { this.clients[name].ctx.free(); delete this.clients[name]; },
  };
  import('/js/index.js').then(async ({ default: init, RealtimeContext }) => {
    await init();
    window.RealtimeContext = RealtimeContext;
    window.ready = true;
  });
</script>`;

/** One app: a page in its own browser context with the notification permission granted. */
export async function openApp(browser, webUrl, name) {
  const context = await browser.newContext();
  await context.grantPermissions(['notifications'], { origin: webUrl });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`${name}: pageerror ${e.message}`));
  page.on('console', (m) => {
    if (PANIC.test(m.text()) || (m.type() === 'error' && !/WebSocket connection to|Failed to load resource/.test(m.text()))) errors.push(`${name}: console.${m.type()} ${m.text()}`);
  });
  await page.goto(webUrl + '/');
  await page.waitForFunction(() => window.ready === true);
  const ev = (fn, arg) => page.evaluate(fn, arg);
  const app = {
    name,
    page,
    errors,
    open: (client, options, listen = {}) => ev(([n, o, l]) => window.rc.open(n, o, l), [client, options, listen]),
    got: (client, on) => ev(([n, o]) => window.rc.got(n, o), [client, on]),
    state: (client) => ev((n) => window.rc.state(n), client),
    states: (client) => ev((n) => window.rc.states(n), client),
    call: (client, method, ...args) => ev(([n, m, a]) => window.rc.call(n, m, a), [client, method, args]),
    callAsync: (client, method, ...args) => ev(([n, m, a]) => window.rc.callAsync(n, m, a), [client, method, args]),
    get: (client, prop) => ev(([n, p]) => window.rc.get(n, p), [client, prop]),
    free: (client) => ev((n) => window.rc.free(n), client),
    shown: () => ev(() => window.shown.slice()),
    socketsMade: () => ev(() => window.socketsMade.slice()),
    /** Waits until `client`'s status is `status`; fails with the state it has. */
    async waitStatus(client, status, timeoutMs = 60000) {
      const ok = await until(async () => (await app.state(client)).status === status, { timeoutMs });
      assert.ok(ok, `${name}/${client}: status ${status} expected, state ${JSON.stringify(await app.state(client))}`);
    },
    /** Polls `client`'s `method(...args)` until `where(result)`; returns that result, fails with the last one. */
    async waitCall(client, method, args, where, timeoutMs = 60000) {
      let v;
      await until(async () => where(v = await app.call(client, method, ...args)), { timeoutMs });
      assert.ok(where(v), `${name}/${client}: ${method}(${args.map((a) => JSON.stringify(a)).join(', ')}) is ${JSON.stringify(v)}`);
      return v;
    },
    /** Waits until `client`'s listener `on` got at least `count` messages (matching `where`); returns them. */
    async waitGot(client, on, count = 1, where = () => true, timeoutMs = 60000) {
      let got = [];
      await until(async () => (got = (await app.got(client, on)).filter(where)).length >= count, { timeoutMs });
      assert.ok(got.length >= count, `${name}/${client}: ${count} message(s) on ${on} expected, got ${JSON.stringify(got)}`);
      return got;
    },
    close: () => context.close(),
  };
  return app;
}
