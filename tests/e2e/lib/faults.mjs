// Helpers of the fault suite: the reliable server as a child process (to SIGKILL it), a free
// port, polling, and a page that loads the release build with counters installed first.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../support/reliable-server.mjs', import.meta.url));

/** What a Rust panic or a wasm trap looks like, in the console, a page error or a thrown Error. */
export const PANIC = /RuntimeError|unreachable|panicked at|recursive use of an object|null pointer passed to rust|already (mutably )?borrowed/i;

export { freePort, sleep, until } from '../../support/wait.mjs';

/**
 * The reliable server as a child process on `port` with `stateFile`; resolves once it printed
 * READY. `kill()` SIGKILLs it and resolves when it is gone; `control(room)` and friends are its
 * HTTP control.
 */
export function spawnServer({ port, stateFile }) {
  const proc = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: String(port), STATE_FILE: stateFile ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => proc.once('exit', r));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.once('exit', (code) => reject(new Error(`reliable server exited (${code}) before READY: ${out}`)));
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /READY (ws:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (!m) return;
      const http = `http://127.0.0.1:${m[2]}`;
      const call = (path, method = 'GET') => fetch(http + path, { method }).then((r) => r.json());
      resolve({
        url: m[1],
        port: Number(m[2]),
        kill: () => { proc.kill('SIGKILL'); return exited; },
        control: (room) => call(`/control?room=${encodeURIComponent(room)}`),
        stream: (room, count, everyMs = 1, batch = 1) => call(`/control/stream?room=${encodeURIComponent(room)}&count=${count}&everyMs=${everyMs}&batch=${batch}`, 'POST'),
        drop: (room) => call(`/control/drop?room=${encodeURIComponent(room)}`, 'POST'),
      });
    });
  });
}

/**
 * The page: before the module loads, it counts (window.probe.counts()) the live wasm-bindgen
 * closures (CLOSURE_DTORS registrations of pkg/realtime_context.js: held value === unregister
 * token, shaped {a, b, cnt}; minus unregistrations and finalizations), the pending timers
 * (setTimeout/setInterval not yet fired or cleared), and the WebSockets with a handler attached
 * or not yet closed; it also keeps the highest number of sockets ever attached at once. Test code
 * in the page sleeps with window.probe.sleep (the unwrapped setTimeout), so it is never counted.
 */
export const PAGE = `<!doctype html><script type="module">
  const closures = new Set();
  const isClosureState = (held, token) => held !== null && typeof held === 'object' && held === token && 'a' in held && 'b' in held && 'cnt' in held;
  const NativeRegistry = FinalizationRegistry;
  const { register, unregister } = NativeRegistry.prototype;
  window.FinalizationRegistry = class extends NativeRegistry {
    constructor(cleanup) { super((held) => { closures.delete(held); cleanup(held); }); }
  };
  NativeRegistry.prototype.register = function (target, held, token) {
    if (isClosureState(held, token)) closures.add(token);
    return register.call(this, target, held, token);
  };
  NativeRegistry.prototype.unregister = function (token) {
    closures.delete(token);
    return unregister.call(this, token);
  };

  const timers = new Set();
  const native = { setTimeout, clearTimeout, setInterval, clearInterval };
  window.setTimeout = function (fn, ms, ...args) {
    const id = native.setTimeout.call(window, (...a) => { timers.delete(id); return typeof fn === 'function' ? fn.apply(this, a) : undefined; }, ms, ...args);
    timers.add(id);
    return id;
  };
  window.clearTimeout = function (id) { timers.delete(id); return native.clearTimeout.call(window, id); };
  window.setInterval = function (fn, ms, ...args) { const id = native.setInterval.call(window, fn, ms, ...args); timers.add(id); return id; };
  window.clearInterval = function (id) { timers.delete(id); return native.clearInterval.call(window, id); };

  const sockets = new Set();
  let maxAttached = 0;
  const NativeSocket = WebSocket;
  const attached = (ws) => ws.onopen !== null || ws.onmessage !== null || ws.onclose !== null || ws.onerror !== null || ws.__listeners > 0;
  const attachedNow = () => { let n = 0; for (const ws of sockets) if (attached(ws)) n++; return n; };
  const note = () => { maxAttached = Math.max(maxAttached, attachedNow()); };
  class CountedSocket extends NativeSocket {
    constructor(...args) { super(...args); this.__listeners = 0; sockets.add(this); }
    addEventListener(...args) { this.__listeners++; super.addEventListener(...args); note(); }
    removeEventListener(...args) { this.__listeners = Math.max(0, this.__listeners - 1); super.removeEventListener(...args); }
  }
  for (const h of ['onopen', 'onmessage', 'onclose', 'onerror']) {
    const d = Object.getOwnPropertyDescriptor(NativeSocket.prototype, h);
    Object.defineProperty(CountedSocket.prototype, h, { configurable: true, get() { return d.get.call(this); }, set(v) { d.set.call(this, v); note(); } });
  }
  window.WebSocket = CountedSocket;

  window.probe = {
    sleep: (ms) => new Promise((r) => native.setTimeout.call(window, r, ms)),
    async until(cond, timeoutMs = 30000) {
      const end = performance.now() + timeoutMs;
      while (!cond() && performance.now() < end) await window.probe.sleep(5);
      return cond();
    },
    counts() {
      for (const ws of [...sockets]) if (!attached(ws) && ws.readyState === NativeSocket.CLOSED) sockets.delete(ws);
      return {
        closures: closures.size,
        timers: timers.size,
        sockets: sockets.size,
        attached: attachedNow(),
        memory: window.wasm.memory.buffer.byteLength,
      };
    },
    get maxAttached() { return maxAttached; },
    resetMaxAttached() { maxAttached = attachedNow(); },
  };

  const { default: init, RealtimeContext } = await import('/js/index.js');
  window.wasm = await init();
  window.RealtimeContext = RealtimeContext;
  window.ready = true;
</script>`;

/** Records, for `page`, console errors and page errors in `errors`, and anything like a panic in `panics`. */
export function watch(page, errors = [], panics = []) {
  page.on('pageerror', (e) => {
    errors.push(e.message);
    if (PANIC.test(`${e.name}: ${e.message}\n${e.stack}`)) panics.push(`pageerror ${e.name}: ${e.message}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/WebSocket connection to|ERR_CONNECTION_REFUSED/.test(m.text())) errors.push(m.text());
    if (PANIC.test(m.text())) panics.push(`console.${m.type()}: ${m.text()}`);
  });
  return { errors, panics };
}

/** A fresh page (its own browser context) on the static server's '/', loaded and watched. */
export async function openPage(browser, web) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(web.url + '/');
  await page.waitForFunction(() => window.ready);
  return { page, context, ...seen };
}
