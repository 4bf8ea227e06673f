// Figure 1 in the page: the same messages fed to each client through its own socket path, one
// timed round at a time. Every client connects to a fake WebSocket (fake-socket.js, installed
// on globalThis before any client loads) and completes its handshake with the fake server; a
// round then calls that socket's `onmessage({data})` with one frame per message, in the
// client's own wire format, as the browser would.
import { socketsTo } from './fake-socket.js';
import init, { RealtimeContext } from '/js/index.js';
import { io, Centrifuge, PhoenixSocket } from '/bench/tmp/competitors.js';
import { messageText, TYPES } from './messages.js';
import { createPlainContext } from './plain-router.js';
import { attachListeners } from './listeners.js';

// Every CHUNK frames the round yields one task (a MessageChannel message), so work a client
// defers to microtasks or later tasks (socket.io, centrifuge) runs inside the timed round, and
// no client piles up more than CHUNK frames of it.
const CHUNK = 5000;
const PHOENIX_TOPIC = 'user:42';
const CENTRIFUGE_CHANNEL = 'personal:42';

let texts = [];
let types = [];
const variants = {};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(cond, what, ms = 10_000) {
  for (const end = performance.now() + ms; !cond(); await sleep(2)) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}
const port = new MessageChannel();
/** Resolves in a later task: every microtask queued before it has run. */
const hop = () => new Promise((resolve) => { port.port1.onmessage = resolve; port.port2.postMessage(0); });

/** The one open socket the client made to `host`. */
function theSocket(host) {
  const list = socketsTo(host);
  if (list.length !== 1 || list[0].readyState !== 1) throw new Error(`${host}: ${list.length} sockets, expected 1 open`);
  return list[0];
}

/** A flat copy of a string built by concatenation, so no router pays for flattening it. */
const flat = (s) => JSON.parse(JSON.stringify(s));

// Each variant: {protocol, host, counter, socket, alive(): bool}. `counter` counts listener calls.

function viaPlainSocket(host, onmessage) {
  const ws = new WebSocket(`ws://${host}/ws/realtime/`);
  ws.onmessage = onmessage;
  return ws;
}

async function parseOnlyVariant() {
  const host = 'parse.bench.invalid';
  const counter = { calls: 0, sum: 0 };
  viaPlainSocket(host, (event) => { counter.sum += JSON.parse(event.data).seq; });
  await until(() => socketsTo(host)[0]?.readyState === 1, host);
  return { protocol: 'json', host, counter, alive: () => true };
}

async function plainVariant() {
  const host = 'plain.bench.invalid';
  const ctx = createPlainContext();
  const counter = attachListeners(ctx.subscribe);
  viaPlainSocket(host, ctx.onmessage);
  await until(() => socketsTo(host)[0]?.readyState === 1, host);
  return { protocol: 'json', host, counter, alive: () => true };
}

/** The package with `options` over its defaults (heartbeat, reconnect, notify… all on). */
async function packageVariant(host, options) {
  const ctx = new RealtimeContext({ url: `ws://${host}/ws/realtime/`, ...options });
  const counter = attachListeners((type, cb) => ctx.on(type, cb));
  ctx.connect();
  await until(() => ctx.state.status === 'open', host);
  return { protocol: 'json', host, counter, alive: () => ctx.state.status === 'open', ctx };
}

async function socketIoVariant() {
  const host = 'socketio.bench.invalid';
  const socket = io(`ws://${host}`, { transports: ['websocket'] });
  const counter = attachListeners((type, cb) => socket.on(type, cb));
  await until(() => socket.connected, host);
  return { protocol: 'socketio', host, counter, alive: () => socket.connected };
}

/**
 * Centrifuge as its docs have an app do it: one subscription to the user's personal channel,
 * whose publication handler routes `ctx.data` by type (through the plain router's own listener
 * table, so the routing is the same code as the plain-JS router's).
 */
async function centrifugeVariant() {
  const host = 'centrifuge.bench.invalid';
  const client = new Centrifuge(`ws://${host}/connection/websocket`);
  const router = createPlainContext();
  const counter = attachListeners(router.subscribe);
  const sub = client.newSubscription(CENTRIFUGE_CHANNEL);
  sub.on('publication', (ctx) => {
    const data = ctx.data;
    (router.listeners[data.type] || []).forEach((cb) => cb(data));
  });
  sub.subscribe();
  client.connect();
  await until(() => sub.state === 'subscribed', host);
  return { protocol: 'centrifuge', host, counter, alive: () => client.state === 'connected' && sub.state === 'subscribed' };
}

/** Centrifuge with a subscription per message type (channel `<type>:42`): the library routes. */
async function centrifugeByTypeVariant() {
  const host = 'centrifuge-types.bench.invalid';
  const client = new Centrifuge(`ws://${host}/connection/websocket`);
  const subs = new Map();
  const counter = attachListeners((type, cb) => {
    if (!subs.has(type)) subs.set(type, client.newSubscription(`${type}:42`));
    subs.get(type).on('publication', (ctx) => cb(ctx.data));
  });
  for (const sub of subs.values()) sub.subscribe();
  client.connect();
  await until(() => [...subs.values()].every((s) => s.state === 'subscribed'), host);
  return { protocol: 'centrifugeByType', host, counter, alive: () => client.state === 'connected' };
}

async function phoenixVariant() {
  const host = 'phoenix.bench.invalid';
  const socket = new PhoenixSocket(`ws://${host}/socket`);
  socket.connect();
  const channel = socket.channel(PHOENIX_TOPIC, {});
  const counter = attachListeners((type, cb) => channel.on(type, cb));
  channel.join();
  await until(() => channel.state === 'joined', host);
  return { protocol: 'phoenix', host, counter, alive: () => socket.isConnected() && channel.state === 'joined' };
}

/**
 * The frame carrying message `text` (of `type`) in each protocol, a flat string of its own (the
 * app's JSON protocol too: a copy of the text).
 */
const FRAMES = {
  json: (text) => flat(text),
  socketio: (text, type) => flat(`42["${type}",${text}]`),
  centrifuge: (text) => flat(`{"push":{"channel":"${CENTRIFUGE_CHANNEL}","pub":{"data":${text}}}}`),
  centrifugeByType: (text, type) => flat(`{"push":{"channel":"${type}:42","pub":{"data":${text}}}}`),
  phoenix: (text, type, joinRef) => flat(`[${JSON.stringify(joinRef)},null,"${PHOENIX_TOPIC}","${type}",${text}]`),
};

const FACTORIES = {
  parse: parseOnlyVariant,
  plain: plainVariant,
  wasm: () => packageVariant('rt.bench.invalid', {}),
  wasmQuiet: () => packageVariant('rt-quiet.bench.invalid', { notify: false }),
  socketio: socketIoVariant,
  centrifuge: centrifugeVariant,
  centrifugeByType: centrifugeByTypeVariant,
  phoenix: phoenixVariant,
};

/** Connects one client per name in `names` and builds the `count` messages. */
export async function setup(count, names) {
  await init();
  texts = Array.from({ length: count }, (_, i) => messageText(i));
  types = texts.map((t) => JSON.parse(t).type);
  for (const name of names) {
    const v = await FACTORIES[name]();
    v.socket = theSocket(v.host);
    if (v.protocol === 'phoenix') v.joinRef = v.socket.server.joins.get(PHOENIX_TOPIC);
    variants[name] = v;
  }
  await sleep(50); // let every handshake's last reply land
  return names;
}

let prepared = null; // {name, list}: the frames of the next round

/**
 * Makes the frames of `name`'s next round: the first `count` messages (default: all), each as a
 * frame of its wire format. They are made anew for each round and dropped after it, so the page
 * holds one set of frames at a time and every round runs on a heap of the same size.
 */
export function prepare(name, count = texts.length) {
  const v = variants[name];
  const make = FRAMES[v.protocol];
  const list = new Array(count);
  for (let i = 0; i < count; i++) list[i] = make(texts[i], types[i], v.joinRef);
  prepared = { name, list };
}

/** Feeds the prepared frames to `name` once; returns the ms taken and the listener calls made. */
export async function round(name) {
  if (prepared?.name !== name) throw new Error(`round(${name}): prepare(${name}) first`);
  const { list } = prepared;
  prepared = null;
  const count = list.length;
  const v = variants[name];
  const ws = v.socket;
  globalThis.gc?.();
  const event = { data: '' }; // one reused event object: no allocation charged to any client
  const before = v.counter.calls;
  const want = expectedCalls(count);
  const t0 = performance.now();
  for (let i = 0; i < count; ) {
    for (const end = Math.min(count, i + CHUNK); i < end; i++) {
      event.data = list[i];
      ws.onmessage(event);
    }
    await hop();
  }
  // Deferred work still queued (none for a synchronous client) finishes inside the timing.
  for (let k = 0; k < 100 && name !== 'parse' && v.counter.calls - before < want; k++) await hop();
  const ms = performance.now() - t0;
  if (!v.alive() || socketsTo(v.host).length !== 1 || socketsTo(v.host)[0] !== ws || ws.readyState !== 1) {
    throw new Error(`${name}: the client left its socket during the round`);
  }
  return { ms, messages: count, calls: v.counter.calls - before, expected: want, sent: ws.sent };
}

const expected = new Map();
/** Listener calls that routing the first `count` messages should make (1-2 per message, by type). */
function expectedCalls(count) {
  if (!expected.has(count)) {
    const per = Object.fromEntries(TYPES.map((t) => [t.type, t.listeners]));
    let n = 0;
    for (let i = 0; i < count; i++) n += per[JSON.parse(texts[i]).type];
    expected.set(count, n);
  }
  return expected.get(count);
}

/** The mix of the messages built: per type its count and listeners, and the frames per yield. */
export function mix() {
  const count = Object.fromEntries(TYPES.map((t) => [t.type, 0]));
  for (const t of texts) count[JSON.parse(t).type]++;
  return { chunk: CHUNK, types: TYPES.map((t) => ({ type: t.type, listeners: t.listeners, messages: count[t.type], share: count[t.type] / texts.length })) };
}
