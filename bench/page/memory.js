// Figure 4 in the page: one router per page (no other router's objects on the heap), fed
// messages in small chunks made on the fly, then put through subscribe/unsubscribe cycles.
import { messageText, TYPES } from './messages.js';
import { createPlainContext } from './plain-router.js';
import { attachListeners } from './listeners.js';

let router; // {subscribe(type, cb), subscribeConversation(id, cb), feed(texts)}
let wasm = null;

/** Loads `kind` ('wasm' or 'plain') and attaches the benchmark's listeners. */
export async function setup(kind) {
  if (kind === 'wasm') {
    const pkg = await import('/js/index.js');
    wasm = await pkg.default();
    const ctx = new pkg.RealtimeContext({ url: 'ws://127.0.0.1:9/x', heartbeat: false });
    router = {
      subscribe: (t, cb) => ctx.on(t, cb),
      subscribeConversation: (id, cb) => ctx.onConversation(id, cb),
      feed: (texts) => { for (const t of texts) ctx.receive(t); },
    };
  } else {
    // Seed 002 has no conversations; a hand-written extension would key them in the same object.
    const ctx = createPlainContext();
    const event = { data: '' };
    router = {
      subscribe: ctx.subscribe,
      subscribeConversation: (id, cb) => ctx.subscribe('conversation:' + id, cb),
      feed: (texts) => { for (const t of texts) { event.data = t; ctx.onmessage(event); } },
    };
  }
  attachListeners(router.subscribe);
}

/** Routes `count` messages (message i is messageText(i % 200000)), 1,000 at a time. */
export function route(count) {
  for (let i = 0; i < count; i += 1000) {
    router.feed(Array.from({ length: Math.min(1000, count - i) }, (_, k) => messageText((i + k) % 200_000)));
  }
}

/** `count` mount/unmount cycles: a type listener and a listener on a new conversation id, both removed. */
export function cycles(count) {
  const cb = () => {};
  for (let i = 0; i < count; i++) {
    const offType = router.subscribe(TYPES[i % TYPES.length].type, cb);
    const offConversation = router.subscribeConversation(1_000_000 + i, cb);
    offType();
    offConversation();
  }
}

/** Bytes of the wasm linear memory (null without wasm). */
export const wasmBytes = () => (wasm ? wasm.memory.buffer.byteLength : null);
