// Figure 2 in the page: one round over a real socket. Clock sync first (NTP-style, over the
// same socket and router, the sample with the smallest round trip wins), then the server
// streams n messages and the first listener of each type records now - send time.
import init, { RealtimeContext } from '/js/index.js';
import { WebSocket as PartySocketWebSocket } from '/bench/tmp/partysocket.js';
import { TYPES } from './messages.js';
import { createPlainContext } from './plain-router.js';

const clock = () => performance.timeOrigin + performance.now();
let sink = 0; // what the non-recording listeners touch
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(cond, ms) {
  for (const end = performance.now() + ms; !cond(); await sleep(5)) {
    if (performance.now() > end) throw new Error('timed out');
  }
}

// Each transport: connect, then {subscribe(type, cb), send(obj), close()}.
const TRANSPORTS = {
  wasm: (url) => viaContext({ url, heartbeat: false }),
  plain: (url) => viaSocket(new WebSocket(url)),
  partysocket: (url) => viaSocket(new PartySocketWebSocket(url)),
};

async function viaContext(options) {
  await init();
  const ctx = new RealtimeContext(options);
  ctx.connect();
  await until(() => ctx.state.status === 'open', 5000);
  return { subscribe: (t, cb) => ctx.on(t, cb), send: (o) => ctx.send(o), close: () => ctx.free() };
}

async function viaSocket(ws) {
  const ctx = createPlainContext();
  ws.onmessage = ctx.onmessage;
  await until(() => ws.readyState === 1, 5000);
  return { subscribe: ctx.subscribe, send: (o) => ws.send(JSON.stringify(o)), close: () => ws.close() };
}

/** Offset (server clock - page clock) from `count` pings; the one with the smallest RTT wins. */
async function sync(t, count) {
  let reply = null;
  const off = t.subscribe('sync_reply', (m) => { reply = { ...m, r: clock() }; });
  let best = { rtt: Infinity, offset: 0 };
  for (let k = 0; k < count; k++) {
    reply = null;
    t.send({ type: 'sync', c: clock() });
    await until(() => reply, 2000);
    const rtt = reply.r - reply.c;
    if (rtt < best.rtt) best = { rtt, offset: reply.s - (reply.c + reply.r) / 2 };
  }
  off();
  return best;
}

/** Streams n messages at `rate`/s through `kind`; returns the delays (ms) indexed by seq. */
export async function round(kind, url, n, rate) {
  const t = await TRANSPORTS[kind](url);
  try {
    const before = await sync(t, 30);
    const delays = new Float64Array(n).fill(NaN);
    let received = 0;
    for (const { type, listeners } of TYPES) {
      t.subscribe(type, (m) => { delays[m.seq] = clock() + before.offset - m.t; received++; });
      for (let k = 1; k < listeners; k++) t.subscribe(type, (m) => { sink += m.seq; });
    }
    t.send({ type: 'start', n, rate });
    await until(() => received >= n, (n / rate) * 1000 + 10_000);
    const after = await sync(t, 30);
    return { delays: Array.from(delays), offset: before.offset, drift: after.offset - before.offset, rtt: before.rtt };
  } finally {
    t.close();
  }
}
