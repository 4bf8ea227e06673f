// Figure 4 in the page: one router per page (no other router's objects on the heap), connected
// to a fake WebSocket (fake-socket.js) and fed messages through its `onmessage` in small chunks
// made on the fly, then put through subscribe/unsubscribe cycles and reconnects.
import { socketsMade, socketsTo } from './fake-socket.js';
import { messageText, TYPES } from './messages.js';
import { createPlainContext } from './plain-router.js';
import { attachListeners } from './listeners.js';

// {subscribe(type, cb), subscribeConversation(id, cb), connect(), reconnect(), status()}
let router;
let host;
let wasm = null;

/** Resolves once `ready()` is true, checking after each of the client's state changes. */
function when(subscribe, ready) {
  return new Promise((resolve) => {
    let off = null;
    let done = false;
    off = subscribe(() => {
      if (done || !ready()) return;
      done = true;
      off?.(); // null when called at once, inside subscribe: removed below
      resolve();
    });
    if (done) off();
  });
}

/** Loads `kind` ('wasm' or 'plain'), connects it and attaches the benchmark's listeners. */
export async function setup(kind) {
  if (kind === 'wasm') {
    const pkg = await import('/js/index.js');
    wasm = await pkg.default();
    host = 'rt-memory.bench.invalid';
    const ctx = new pkg.RealtimeContext({ url: `ws://${host}/ws/realtime/` }); // the default options
    const open = () => when((cb) => ctx.onState(cb), () => ctx.state.status === 'open');
    router = {
      subscribe: (t, cb) => ctx.on(t, cb),
      subscribeConversation: (id, cb) => ctx.onConversation(id, cb),
      connect: () => { ctx.connect(); return open(); },
      // The server drops the connection; "Retry now" instead of waiting out the backoff.
      async reconnect() {
        socketsTo(host)[0].drop(1006);
        await when((cb) => ctx.onState(cb), () => ctx.state.status === 'reconnecting');
        ctx.retry();
        await open();
      },
      status: () => ctx.state.status,
    };
  } else {
    // Seed 002 has no conversations; a hand-written extension would key them in the same object.
    // Its socket reconnects on close, as seed 002's does (here at once instead of after 3 s).
    host = 'plain-memory.bench.invalid';
    const ctx = createPlainContext();
    let opened = null; // resolves the promise of the next open
    const nextOpen = () => new Promise((resolve) => (opened = resolve));
    const connect = () => {
      const ws = new WebSocket(`ws://${host}/ws/realtime/`);
      ws.onmessage = ctx.onmessage;
      ws.onopen = () => opened?.();
      ws.onclose = connect;
    };
    router = {
      subscribe: ctx.subscribe,
      subscribeConversation: (id, cb) => ctx.subscribe('conversation:' + id, cb),
      connect() {
        const open = nextOpen();
        connect();
        return open;
      },
      async reconnect() {
        const open = nextOpen();
        socketsTo(host)[0].drop(1006);
        await open;
      },
      status: () => (socketsTo(host)[0]?.readyState === 1 ? 'open' : 'not open'),
    };
  }
  attachListeners(router.subscribe);
  await router.connect();
  return router.status();
}

/** Routes `count` messages (message i is messageText(i % 200000)) through the socket, 1,000 at a time. */
export function route(count) {
  const event = { data: '' };
  for (let i = 0; i < count; i += 1000) {
    const texts = Array.from({ length: Math.min(1000, count - i) }, (_, k) => messageText((i + k) % 200_000));
    const ws = socketsTo(host)[0];
    for (const text of texts) {
      event.data = text;
      ws.onmessage(event);
    }
  }
  return router.status();
}

let cycled = 0;
/** `count` mount/unmount cycles: a type listener and a listener on a new conversation id, both removed. */
export function cycles(count) {
  const cb = () => {};
  for (let i = 0; i < count; i++, cycled++) {
    const offType = router.subscribe(TYPES[i % TYPES.length].type, cb);
    const offConversation = router.subscribeConversation(1_000_000 + cycled, cb);
    offType();
    offConversation();
  }
}

/**
 * `count` reconnects: the server drops the socket (1006) and the client opens a new one (the
 * package: "Retry now" once it is reconnecting, which cancels its backoff timer); 10 messages
 * are routed on each new socket. Counts the sockets made, and those left open (1).
 */
export async function reconnects(count) {
  const before = socketsMade(host);
  for (let i = 0; i < count; i++) {
    await router.reconnect();
    route(10);
  }
  return { reconnects: socketsMade(host) - before, sockets: socketsTo(host).length, status: router.status() };
}

/** Bytes of the wasm linear memory (null without wasm). */
export const wasmBytes = () => (wasm ? wasm.memory.buffer.byteLength : null);
