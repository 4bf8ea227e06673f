// Figure 1 in the page: the same JSON texts fed to each router, one timed round at a time.
import init, { RealtimeContext } from '/js/index.js';
import { messageText, TYPES } from './messages.js';
import { createPlainContext } from './plain-router.js';
import { attachListeners } from './listeners.js';

const URL_UNUSED = 'ws://127.0.0.1:9/x'; // resolved by the constructor, never connected
let texts = [];
const variants = {};

function wasmVariant(options) {
  const ctx = new RealtimeContext({ url: URL_UNUSED, heartbeat: false, ...options });
  const counter = attachListeners((type, cb) => ctx.on(type, cb));
  return { counter, feed(list, n) { for (let i = 0; i < n; i++) ctx.receive(list[i]); } };
}

function plainVariant() {
  const ctx = createPlainContext();
  const counter = attachListeners(ctx.subscribe);
  const event = { data: '' }; // one reused event object: no allocation charged to the plain router
  return { counter, feed(list, n) { for (let i = 0; i < n; i++) { event.data = list[i]; ctx.onmessage(event); } } };
}

function parseOnlyVariant() {
  const counter = { calls: 0, sum: 0 };
  return { counter, feed(list, n) { for (let i = 0; i < n; i++) counter.sum += JSON.parse(list[i]).seq; } };
}

/** Builds the texts and one router per variant. */
export async function setup(count) {
  await init();
  texts = Array.from({ length: count }, (_, i) => messageText(i));
  variants.parse = parseOnlyVariant();
  variants.plain = plainVariant();
  variants.wasm = wasmVariant({});
  variants.wasmQuiet = wasmVariant({ notify: false });
  return Object.keys(variants);
}

/** Feeds the first `count` texts (default: all) to `name` once; returns the ms taken and the listener calls made. */
export function round(name, count = texts.length) {
  const v = variants[name];
  globalThis.gc?.();
  const before = v.counter.calls;
  const t0 = performance.now();
  v.feed(texts, count);
  const ms = performance.now() - t0;
  return { ms, messages: count, calls: v.counter.calls - before, expected: expectedCalls(count) };
}

const expected = new Map();
/** Listener calls that routing the first `count` texts should make (1-2 per message, by type). */
function expectedCalls(count) {
  if (!expected.has(count)) {
    const per = Object.fromEntries(TYPES.map((t) => [t.type, t.listeners]));
    let n = 0;
    for (let i = 0; i < count; i++) n += per[JSON.parse(texts[i]).type];
    expected.set(count, n);
  }
  return expected.get(count);
}
