// The fault suite of issue #13: the release build in headless Chromium against the reliable
// server (tests/support/reliable-server.mjs), killed, restarted, cut off and fed garbage. Each
// test starts and stops its own servers on 127.0.0.1; waits poll generously, and the only timing
// in an assert is "never two sockets at once".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReliableServer } from '../support/reliable-server.mjs';
import { launchChromium, startStatic } from '../support/browser.mjs';
import { PAGE, freePort, openPage, sleep, spawnServer, until } from './lib/faults.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RECONNECT = { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: Infinity };
const LONG = { timeout: 240000 };

let web, browser;

before(async () => {
  web = await startStatic(root, { '/': PAGE });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await web?.close();
});

/** How `got` differs from 1..n: its length, repeats, ids missing, the first index out of order. */
function sequence(got, n) {
  const seen = new Set();
  let repeats = 0;
  let firstOutOfOrder = null;
  got.forEach((id, i) => {
    if (seen.has(id)) repeats++;
    seen.add(id);
    if (firstOutOfOrder === null && id !== i + 1) firstOutOfOrder = `index ${i}: ${got[i - 1]} then ${id}`;
  });
  let missing = 0;
  for (let k = 1; k <= n; k++) if (!seen.has(k)) missing++;
  return { length: got.length, repeats, missing, firstOutOfOrder };
}
const inOrder = (n) => ({ length: n, repeats: 0, missing: 0, firstOutOfOrder: null });

/** A temporary directory for a state file, removed by the returned function. */
function stateDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `faults-${name}-`));
  return { stateFile: join(dir, 'state.jsonl'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Makes `n` sends in the page, every other one sendAcked; the Promises' outcomes go to window.outcomes. */
function sendMany(page, n) {
  return page.evaluate((n) => {
    window.outcomes = [];
    for (let seq = 0; seq < n; seq++) {
      if (seq % 2 === 0) ctx.send({ type: 'msg', seq });
      else ctx.sendAcked({ type: 'msg', seq }).then(
        (ack) => outcomes.push({ seq, ok: true, ack }),
        (e) => outcomes.push({ seq, ok: false, error: String(e && e.message) }),
      );
    }
    return ctx.stats();
  }, n);
}

/** What the server received, as seqs, and how many carried a distinct client_id. */
function receivedOf(snapshot) {
  const seqs = snapshot.received.map((m) => m.seq);
  const ids = snapshot.received.filter((m) => typeof m.client_id === 'string').map((m) => m.client_id);
  return { seqs, acked: ids.length, distinct: new Set(ids).size };
}
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** Checks that every sendAcked Promise of `sendMany` resolved with the ack of its own frame. */
async function assertAcked(page, snapshot, n) {
  const outcomes = await page.evaluate(() => outcomes);
  const failed = outcomes.filter((o) => !o.ok);
  assert.deepEqual(failed, [], 'sendAcked Promises that rejected');
  assert.equal(outcomes.length, n / 2, 'every sendAcked Promise settled');
  const idOf = new Map(snapshot.received.filter((m) => m.client_id).map((m) => [m.seq, m.client_id]));
  for (const o of outcomes) {
    assert.equal(o.ack.type, 'ack', `seq ${o.seq} resolved with an ack frame`);
    assert.equal(o.ack.client_id, idOf.get(o.seq), `seq ${o.seq} resolved with the ack of its own client_id`);
  }
}

test('a. the server is SIGKILLed and restarted twice while it streams 10,000 ticks: each tick once, in order', LONG, async () => {
  const { stateFile, remove } = stateDir('a');
  const port = await freePort();
  let server = await spawnServer({ port, stateFile });
  const { page, context, errors, panics } = await openPage(browser, web);
  try {
    await page.evaluate(async ({ url, reconnect }) => {
      window.ctx = new RealtimeContext({ url, idKey: 'id', resume: true, heartbeat: false, reconnect });
      window.got = [];
      window.problems = [];
      ctx.on('tick', (m) => got.push(m.id));
      ctx.onError((e) => problems.push(e.kind));
      ctx.connect();
      await probe.until(() => ctx.state.status === 'open');
    }, { url: `${server.url}/ws?room=a`, reconnect: RECONNECT });
    await server.stream('a', 10000, 2, 3);
    const killedAt = [];
    for (const at of [2500, 6000]) {
      assert.ok(await until(async () => (await server.control('a')).history >= at, { everyMs: 10 }), `the stream reached ${at}`);
      await server.kill();
      await sleep(300);
      server = await spawnServer({ port, stateFile });
      killedAt.push((await server.control('a')).history);
    }
    assert.ok(killedAt.every((n) => n < 10000), `killed mid-stream, at ticks ${killedAt}`);
    await until(async () => (await page.evaluate(() => got.length)) >= 10000 && (await server.control('a')).history === 10000, { timeoutMs: 120000 });
    await sleep(500); // a late duplicate would show up here
    const result = await page.evaluate(() => ({ got, stats: ctx.stats(), problems, status: ctx.state.status }));
    assert.deepEqual(sequence(result.got, 10000), inOrder(10000), 'the ticks the listener got');
    assert.ok(result.stats.reconnects >= 2, `reconnected after each kill: ${JSON.stringify(result.stats)}`);
    assert.equal(result.status, 'open');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(panics, []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => ctx.free());
  } finally {
    await server.kill();
    await context.close();
    remove();
  }
});

test('b. 200 sends (every other one sendAcked) made before the server ever started: each arrives once, in order; every Promise resolves', LONG, async () => {
  const port = await freePort();
  const { page, context, errors, panics } = await openPage(browser, web);
  let server;
  try {
    await page.evaluate(({ url, reconnect }) => {
      window.ctx = new RealtimeContext({ url, ack: true, heartbeat: false, reconnect });
      ctx.connect();
    }, { url: `ws://127.0.0.1:${port}/ws?room=b`, reconnect: RECONNECT });
    const before = await sendMany(page, 200);
    assert.equal(before.queued, 200, 'all 200 wait in the queue');
    await sleep(300);
    server = await spawnServer({ port });
    await until(async () => (await server.control('b')).received.length >= 200 && (await page.evaluate(() => outcomes.length)) >= 100);
    await sleep(500);
    const snapshot = await server.control('b');
    assert.deepEqual(receivedOf(snapshot), { seqs: range(200), acked: 100, distinct: 100 }, 'what the server received');
    await assertAcked(page, snapshot, 200);
    const stats = await page.evaluate(() => ctx.stats());
    assert.equal(stats.queued, 0);
    assert.equal(stats.unacked, 0);
    assert.deepEqual(panics, []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => ctx.free());
  } finally {
    await server?.kill();
    await context.close();
  }
});

test('b. 200 sends (every other one sendAcked) made while the server is SIGKILLed: after its restart each arrives once, in order; every Promise resolves', LONG, async () => {
  const { stateFile, remove } = stateDir('b');
  const port = await freePort();
  let server = await spawnServer({ port, stateFile });
  const { page, context, errors, panics } = await openPage(browser, web);
  try {
    await page.evaluate(async ({ url, reconnect }) => {
      window.ctx = new RealtimeContext({ url, ack: true, heartbeat: false, reconnect });
      ctx.connect();
      await probe.until(() => ctx.state.status === 'open');
    }, { url: `${server.url}/ws?room=b2`, reconnect: RECONNECT });
    await server.kill();
    assert.ok(await page.evaluate(() => probe.until(() => ctx.state.status !== 'open')), 'the page saw the server go');
    await sendMany(page, 200);
    await sleep(300);
    server = await spawnServer({ port, stateFile });
    await until(async () => (await server.control('b2')).received.length >= 200 && (await page.evaluate(() => outcomes.length)) >= 100);
    await sleep(500);
    const snapshot = await server.control('b2');
    assert.deepEqual(receivedOf(snapshot), { seqs: range(200), acked: 100, distinct: 100 }, 'what the server received');
    await assertAcked(page, snapshot, 200);
    const stats = await page.evaluate(() => ctx.stats());
    assert.equal(stats.queued, 0);
    assert.equal(stats.unacked, 0);
    assert.deepEqual(panics, []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => ctx.free());
  } finally {
    await server.kill();
    await context.close();
    remove();
  }
});

test('c. the connection is cut every 200 ms for 10 s while ticks stream: one socket at a time, each tick once and in order, no timer, closure or socket left after disconnect()', LONG, async () => {
  const server = await startReliableServer();
  const room = server.room('c');
  const { page, context, errors, panics } = await openPage(browser, web);
  let cutter;
  try {
    const baseline = await page.evaluate(({ url, reconnect }) => {
      window.ctx = new RealtimeContext({ url, idKey: 'id', resume: true, heartbeat: false, reconnect });
      window.got = [];
      ctx.on('tick', (m) => got.push(m.id));
      return probe.counts();
    }, { url: `${server.url}/ws?room=c`, reconnect: RECONNECT });
    await page.evaluate(async () => { ctx.connect(); await probe.until(() => ctx.state.status === 'open'); });
    const N = 10000;
    room.stream(N, 1, 1);
    // Cut only once the page holds an id to resume from (a client that has seen none sends no
    // resume frame and starts wherever the stream is when it connects).
    assert.ok(await page.evaluate(() => probe.until(() => got.length > 0)), 'the first tick arrived');
    let cuts = 0;
    cutter = setInterval(() => { room.drop(); cuts++; }, 200);
    await sleep(10000);
    clearInterval(cutter);
    const streamed = room.history.length;
    await until(async () => room.history.length === N && (await page.evaluate(() => got.length)) >= N, { timeoutMs: 120000 });
    await sleep(500);
    const result = await page.evaluate(() => ({ got, stats: ctx.stats(), maxAttached: probe.maxAttached }));
    assert.ok(streamed < N, `the stream ran past the cuts (${streamed} of ${N} ticks after 10 s)`);
    assert.ok(room.total >= 20, `the socket was cut and reopened: ${cuts} cuts, ${room.total} connections`);
    assert.equal(room.maxOpen, 1, 'never two sockets open at once on the server');
    assert.equal(result.maxAttached, 1, 'never two sockets with handlers at once in the page');
    assert.deepEqual(sequence(result.got, N), inOrder(N), 'the ticks the listener got');

    await page.evaluate(() => ctx.disconnect());
    await page.evaluate((b) => probe.until(() => {
      const c = probe.counts();
      return c.closures === b.closures && c.timers === b.timers && c.sockets === b.sockets && c.attached === b.attached;
    }, 10000), baseline);
    const { memory: _m, ...now } = await page.evaluate(() => probe.counts());
    const { memory: _b, ...then } = baseline;
    assert.deepEqual(now, then, 'closures, pending timers and sockets after disconnect() as before connect()');
    assert.ok(await until(() => room.open === 0, { timeoutMs: 10000 }), 'the server saw the last socket close');
    assert.deepEqual(panics, []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => ctx.free());
  } finally {
    clearInterval(cutter);
    await context.close();
    await server.close();
  }
});

test('d. a reload with 50 unsent frames queued while the server is down: the next context with the same url and userKey delivers each once, in order', LONG, async () => {
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}/ws?room=d`;
  const options = { url, userKey: 'u1', ack: true, heartbeat: false, reconnect: RECONNECT };
  const { page, context, errors, panics } = await openPage(browser, web);
  let server;
  try {
    const queued = await page.evaluate((options) => {
      window.ctx = new RealtimeContext(options);
      ctx.connect();
      for (let seq = 0; seq < 50; seq++) {
        if (seq % 2 === 0) ctx.send({ type: 'msg', seq });
        else ctx.sendAcked({ type: 'msg', seq }).catch(() => {});
      }
      return ctx.stats().queued;
    }, options);
    assert.equal(queued, 50);
    await page.reload();
    await page.waitForFunction(() => window.ready);
    await page.evaluate((options) => {
      window.ctx = new RealtimeContext(options);
      ctx.connect();
    }, options);
    await sleep(300);
    server = await startReliableServer({ port });
    await until(() => server.room('d').received.length >= 50);
    await sleep(1000); // a second copy of anything would show up here
    const snapshot = server.room('d').snapshot();
    assert.deepEqual(receivedOf(snapshot), { seqs: range(50), acked: 25, distinct: 25 }, 'what the server received after the reload');
    // The server has every frame; its acks reach the page a moment later.
    const stats = await page.evaluate(async () => {
      await probe.until(() => ctx.stats().queued === 0 && ctx.stats().unacked === 0, 10000);
      return ctx.stats();
    });
    assert.equal(stats.queued, 0);
    assert.equal(stats.unacked, 0, 'the restored sendAcked frames were acked');
    assert.deepEqual(panics, []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => ctx.free());
  } finally {
    await context.close();
    await server?.close();
  }
});

// Each entry: the frame the server sends, the onError kinds it must cause (each one counted in
// malformedDropped), and what the "*" listener must see of it ("idt3" for {type: "idt", seq: 3}).
const deepArray = '['.repeat(10000) + ']'.repeat(10000);
const deepObject = '{"a":'.repeat(10000) + '1' + '}'.repeat(10000);
const MAX = 1048576;
const exactly = (type, length) => { const head = `{"type":"${type}","pad":"`; return head + 'x'.repeat(length - head.length - 2) + '"}'; };
const bad = (kinds, frames, binary = false) => frames.map((frame) => ({ frame, binary, kinds, seen: [] }));
const good = (frame, ...seen) => ({ frame: typeof frame === 'string' ? frame : JSON.stringify(frame), binary: false, kinds: [], seen });
const id = (type, seq, idText, ...seen) => ({ frame: `{"type":"${type}","seq":${seq},"id":${idText}}`, binary: false, kinds: [], seen });
const CORPUS = [
  ...bad(['invalid_json'], ['{"type":"tick","id":1', '{"type":', '[{"type":"a"},', '{"type":"x","n":1e', '"abc', '{"type":"x"}}', '', ' ', 'nul', '{"a":1,}', '{"type":"x"} {"type":"y"}']),
  ...bad(['binary_frame'], [Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from('{"type":"in-binary"}'), Buffer.alloc(0)], true),
  ...bad(['not_an_object'], ['5', '"text"', 'null', 'true', '[[]]', '[1]', deepArray]),
  ...bad(['missing_route_key'], ['{}', '{"type":5}', '{"type":null}', '{"type":{}}', '{"type":[]}', '{"type":true}', '{"type":1.5,"conversation_id":1}', deepObject]),
  { frame: '[{"type":5},{"type":"in-batch"},7]', binary: false, kinds: ['missing_route_key', 'not_an_object'], seen: ['in-batch'] },
  good('[]'),
  // Oversize: 10 MB of text, 2 MB of bytes, one code unit over the limit; at the limit, and
  // 600,000 code units that are 1.8 MB of UTF-8, are routed.
  ...bad(['oversize'], [exactly('big', 10 * MAX), exactly('over', MAX + 1)]),
  ...bad(['oversize'], [Buffer.alloc(2 * MAX, 0xff)], true),
  good(exactly('at-limit', MAX), 'at-limit'),
  good(`{"type":"wide","pad":"${'€'.repeat(600000)}"}`, 'wide'),
  good(`{"type":"deep","x":${deepArray},"y":${deepObject}}`, 'deep'),
  // Routed fields of the wrong type: routed by type, never malformed.
  good({ type: 'conv-object', conversation_id: {} }, 'conv-object'),
  good({ type: 'conv-array', conversation_id: [1] }, 'conv-array'),
  good({ type: 'conv-bool', conversation_id: true }, 'conv-bool'),
  good({ type: 'conv-null', conversation_id: null }, 'conv-null'),
  good({ type: 'new_message', conversation_id: {}, sender_name: 5, message: {} }, 'new_message'),
  good({ type: 'new_message', conversation_id: [], sender_name: null, message: ['x'] }, 'new_message'),
  good({ type: 'notification', notification: 5 }, 'notification'),
  good({ type: 'notification', notification: { id: {} } }, 'notification'),
  good({ type: 'ack', client_id: {} }, 'ack'),
  good({ type: 'ack', client_id: 5 }, 'ack'),
  good({ type: 'ack', client_id: 'never-sent' }, 'ack'),
  good({ type: 'ack' }, 'ack'),
  good({ type: 'resume', last_id: {} }, 'resume'),
  // Ids of every JSON type (idKey "id"): strings and finite numbers are ids (1 and "1" are one),
  // anything else is no id and always delivered; the same id of another type is another message.
  id('idt', 0, '1', 'idt0'), id('idt', 1, '"1"'), id('idt', 2, '1'), id('idother', 3, '1', 'idother3'),
  id('idt', 4, '1.5', 'idt4'), id('idt', 5, '1.5'), id('idt', 6, '"abc"', 'idt6'), id('idt', 7, '"abc"'),
  id('idt', 8, 'true', 'idt8'), id('idt', 9, 'true', 'idt9'), id('idt', 10, 'null', 'idt10'), id('idt', 11, 'null', 'idt11'),
  id('idt', 12, '{}', 'idt12'), id('idt', 13, '{"k":1}', 'idt13'), id('idt', 14, '[]', 'idt14'), id('idt', 15, '[1]', 'idt15'),
  id('idt', 16, '1e308', 'idt16'), id('idt', 17, '1e308'), id('idt', 18, '12345678901234567890', 'idt18'), id('idt', 19, '12345678901234567890'),
  id('idt', 20, '-0', 'idt20'), id('idt', 21, '0'), id('idt', 22, '""', 'idt22'), id('idt', 23, '1e400', 'idt23'), id('idt', 24, '1e400', 'idt24'),
  id('idt', 25, '-7', 'idt25'), id('idt', 26, '"-7"'),
];
const DUPLICATES = 8; // idt1, idt2, idt5, idt7, idt17, idt19, idt21, idt26

test('e. a garbage corpus from the server: no panic or trap, each malformed frame counted with its kind, oversize for 10 MB, the socket stays open', LONG, async () => {
  const server = await startReliableServer();
  const room = server.room('e');
  const { page, context, errors, panics } = await openPage(browser, web);
  try {
    await page.evaluate(async (url) => {
      window.ctx = new RealtimeContext({ url, idKey: 'id', ack: true, heartbeat: false });
      window.seen = [];
      window.problems = [];
      ctx.on('*', (m) => seen.push(m.type === 'idt' || m.type === 'idother' ? `${m.type}${m.seq}` : String(m.type)));
      ctx.onError((e) => problems.push(e.kind));
      ctx.connect();
      await probe.until(() => ctx.state.status === 'open');
    }, `${server.url}/ws?room=e`);
    assert.ok(await until(() => room.open === 1), 'the server has the socket');
    for (const { frame, binary } of CORPUS) room.send(frame, { binary });
    room.send('{"type":"end"}');
    assert.ok(await page.evaluate(() => probe.until(() => seen.includes('end'), 60000)), 'the frame after the corpus arrived');
    room.send('{"type":"after"}');
    assert.ok(await page.evaluate(() => probe.until(() => seen.includes('after'), 30000)), 'a normal message still arrives');
    const result = await page.evaluate(() => ({ seen, problems, stats: ctx.stats(), status: ctx.state.status }));
    const kinds = CORPUS.flatMap((c) => c.kinds);
    assert.deepEqual(panics, [], 'panics or traps');
    assert.deepEqual(result.problems, kinds, 'the onError kinds, in order');
    assert.equal(result.stats.malformedDropped, kinds.length, 'every malformed frame or element counted');
    assert.deepEqual(result.seen, [...CORPUS.flatMap((c) => c.seen), 'end', 'after'], 'what the "*" listener got, in order');
    assert.equal(result.stats.duplicatesDropped, DUPLICATES);
    assert.equal(result.status, 'open');
    assert.equal(room.total, 1, 'the socket stayed open: no reconnect');
    assert.deepEqual(errors, []);
    await page.evaluate(() => ctx.free());
  } finally {
    await context.close();
    await server.close();
  }
});

test('f. 10,000 on/off cycles and 1,000 connect/disconnect cycles leave wasm memory, closures, timers and sockets unchanged', LONG, async () => {
  const server = await startReliableServer();
  const { page, context, errors, panics } = await openPage(browser, web);
  try {
    const result = await page.evaluate(async (url) => {
      const ctx = new RealtimeContext({ url, heartbeat: false, reconnect: { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: Infinity } });
      const cb = () => {};
      const subscribeCycles = (n) => {
        for (let i = 0; i < n; i++) {
          ctx.on(`type${i % 100}`, cb)();
          ctx.onConversation(i % 100, cb)();
          const offs = [ctx.on('*', cb), ctx.onState(cb), ctx.onError(cb), ctx.onUnread(cb), ctx.onNotifications(cb), ctx.onNotificationClick(cb)];
          for (const off of offs) { off(); off(); }
        }
      };
      const connectCycles = async (n) => {
        for (let i = 0; i < n; i++) {
          ctx.connect();
          if (!(await probe.until(() => ctx.state.status === 'open', 10000))) return `cycle ${i}: not open (${ctx.state.status}, ${ctx.state.error})`;
          ctx.disconnect();
        }
        return null;
      };
      const settle = (b) => probe.until(() => { const c = probe.counts(); return c.closures === b.closures && c.timers === b.timers && c.sockets === b.sockets; }, 10000);
      // Warm-up: the allocator and the type table reach their working size first.
      subscribeCycles(1000);
      const subscribed0 = probe.counts();
      subscribeCycles(10000);
      const subscribed1 = probe.counts();
      const warm = await connectCycles(20);
      await settle(subscribed1);
      const connected0 = probe.counts();
      const failed = await connectCycles(1000);
      await settle(connected0);
      const connected1 = probe.counts();
      const stats = ctx.stats();
      ctx.free();
      return { subscribed0, subscribed1, warm, connected0, connected1, failed, stats };
    }, `${server.url}/ws?room=f`);
    assert.equal(result.warm, null);
    assert.equal(result.failed, null);
    assert.deepEqual(result.subscribed1, result.subscribed0, '10,000 on/off cycles: memory, closures, timers, sockets');
    assert.deepEqual(result.connected1, result.connected0, '1,000 connect/disconnect cycles: memory, closures, timers, sockets');
    assert.equal(server.room('f').total, 1020, 'every cycle opened one socket');
    assert.deepEqual(panics, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});
