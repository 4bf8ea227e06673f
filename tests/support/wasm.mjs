// The release RealtimeContext (pkg/, through the package entry) loaded in Node from the .wasm
// bytes, and small helpers for tests that drive it without a socket.
import { readFileSync } from 'node:fs';
import init, { RealtimeContext } from '../../js/index.js';

await init(readFileSync(new URL('../../pkg/realtime_context_bg.wasm', import.meta.url)));

export { RealtimeContext };

/** An absolute URL (no `location` in Node) that is never connected to. */
export const URL_UNUSED = 'ws://127.0.0.1:9/unused';

/** A new idle context with `options` over an unused URL; the heartbeat is off unless given. */
export const context = (options = {}) => new RealtimeContext({ url: URL_UNUSED, heartbeat: false, ...options });

/** The message of what `fn` throws; fails the test when it throws nothing or no Error. */
export function thrown(fn, what = 'the call') {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof Error)) throw new Error(`${what} threw ${String(e)}, not an Error`);
    if (e instanceof WebAssembly.RuntimeError) throw new Error(`${what} trapped the wasm instance: ${e.message}`);
    return e.message;
  }
  throw new Error(`${what} threw nothing`);
}

/** The browser's CloseEvent, which Node 20 lacks. */
const CloseEventOr = globalThis.CloseEvent ?? class CloseEvent extends Event {
  constructor(type, { code = 1005, reason = '', wasClean = false } = {}) {
    super(type);
    this.code = code;
    this.reason = reason;
    this.wasClean = wasClean;
  }
};

/**
 * A stand-in for the browser's WebSocket, installed as `globalThis.WebSocket` for the length of
 * `body(sockets)`: `sockets` lists every one constructed, each with its `url`, the frames `sent`,
 * and `open()`, `receive(data)`, `drop(code)` to play the server; `closed` is set by `close()`.
 */
export async function withFakeSockets(body) {
  const sockets = [];
  class FakeSocket extends EventTarget {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    constructor(url) {
      super();
      this.url = String(url);
      this.readyState = 0;
      this.binaryType = 'blob';
      this.protocol = '';
      this.extensions = '';
      this.bufferedAmount = 0;
      this.sent = [];
      this.onopen = this.onmessage = this.onclose = this.onerror = null;
      sockets.push(this);
    }
    send(data) {
      if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
      this.sent.push(data);
    }
    close(code = 1005, reason = '') {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      this.closed = { code, reason };
      queueMicrotask(() => this.#fire(new CloseEventOr('close', { code, reason, wasClean: true })));
    }
    /** The server accepted: `open` fires. */
    open() {
      this.readyState = 1;
      this.#fire(new Event('open'));
    }
    /** The server sent the text frame `data` (or a binary one, given an ArrayBuffer). */
    receive(data) {
      this.#fire(new MessageEvent('message', { data }));
    }
    /** The connection was lost without a close frame (1006), or closed by the server with `code`. */
    drop(code = 1006) {
      this.readyState = 3;
      this.#fire(new CloseEventOr('close', { code, wasClean: code !== 1006 }));
    }
    #fire(event) {
      this.dispatchEvent(event);
      this['on' + event.type]?.(event);
    }
  }
  for (const [k, v] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) FakeSocket.prototype[k] = v;
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
  globalThis.WebSocket = FakeSocket;
  const hadCloseEvent = 'CloseEvent' in globalThis;
  globalThis.CloseEvent = CloseEventOr;
  try {
    return await body(sockets);
  } finally {
    if (!hadCloseEvent) delete globalThis.CloseEvent;
    if (saved) Object.defineProperty(globalThis, 'WebSocket', saved);
    else delete globalThis.WebSocket;
  }
}

/** Resolves after `ms` of real time (timers of the context run meanwhile). */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `cond()` holds (checked every 5 ms), or rejects after `ms`. */
export async function until(cond, ms = 5000, what = 'the condition') {
  for (const end = performance.now() + ms; !cond(); ) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
