// The options of `new RealtimeContext(options)` (the wasm build, in Node), against the cases of the
// Rust option tests (same names): every bad option throws an Error naming its key, and accepted
// options show in what the context does (routing, unread counts, the store, the queue, and the
// socket: a stand-in WebSocket records its URL and frames).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealtimeContext, URL_UNUSED, sleep, thrown, until, withFakeSockets } from './support/wasm.mjs';

const withUrl = (extra = {}) => ({ url: URL_UNUSED, ...extra });
const show = (value) => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};
const errorOf = (value) => thrown(() => new RealtimeContext(value), `new RealtimeContext(${show(value)})`);
const accepted = (value) => {
  const ctx = new RealtimeContext(value);
  assert.equal(ctx.state.status, 'idle');
  return ctx;
};

/** How many of `n` messages of `type` for conversation 7 the context counted as unread. */
function countsUnread(ctx, type, n = 1) {
  const before = ctx.unreadCount(7);
  for (let i = 0; i < n; i++) ctx.receive({ type, conversation_id: 7 });
  return ctx.unreadCount(7) - before;
}

/** How many notifications the store keeps after `n` live ones. */
function keeps(ctx, n) {
  for (let id = 1; id <= n; id++) ctx.receive({ type: 'notification', notification: { id } });
  return ctx.notifications().length;
}

/** How many sends the queue takes while not open, and what the next one throws. */
function queueLimit(ctx, max = 2000) {
  for (let n = 0; n < max; n++) {
    try {
      assert.equal(ctx.send({ n }), false, 'queued, not sent');
    } catch (e) {
      return [n, e.message];
    }
  }
  return [max, null];
}

test('defaults_match_the_documented_table', () => {
  const ctx = accepted({ url: URL_UNUSED });
  const { status, attempt, nextRetryInMs, error, since } = ctx.state;
  assert.deepEqual({ status, attempt, nextRetryInMs, error }, { status: 'idle', attempt: 0, nextRetryInMs: null, error: null });
  assert.equal(typeof since, 'number');
  // routeKey "type", conversationKey "conversation_id"
  const got = [];
  ctx.on('a', (m) => got.push('type ' + m.n));
  ctx.onConversation(7, (m) => got.push('conversation ' + m.n));
  ctx.receive({ type: 'a', n: 1 });
  ctx.receive({ type: 'b', conversation_id: 7, n: 2 });
  assert.deepEqual(got, ['type 1', 'conversation 2']);
  // notify.types ["new_message"]
  assert.equal(countsUnread(ctx, 'new_message'), 1);
  assert.equal(countsUnread(ctx, 'TEXT'), 0);
  // notificationType "notification", notificationKey "notification", maxNotifications 200
  ctx.receive({ type: 'notification', notification: { id: 'n1', text: 'hi' } });
  assert.deepEqual(ctx.notifications(), [{ id: 'n1', text: 'hi', read: false }]);
  assert.equal(keeps(ctx, 201), 200);
  // queue.maxMessages 1000
  assert.deepEqual(queueLimit(ctx), [1000, 'send: the queue is full (queue.maxMessages = 1000); the message was not sent']);
  assert.equal(ctx.stats().queued, 1000);
  ctx.free();
  // `true` and an explicit `undefined` are the same as absent.
  const same = accepted(withUrl({ reconnect: true, heartbeat: true, notify: true, queue: undefined, token: undefined }));
  assert.equal(countsUnread(same, 'new_message'), 1);
  assert.deepEqual(queueLimit(same), [1000, 'send: the queue is full (queue.maxMessages = 1000); the message was not sent']);
  same.free();
});

test('notify_options_merge_with_defaults_and_false_disables', () => {
  const ctx = accepted(withUrl({ notify: { types: ['TEXT', 'new_message'], icon: '/i.png' }, maxNotifications: 5 }));
  assert.equal(countsUnread(ctx, 'TEXT'), 1);
  assert.equal(countsUnread(ctx, 'new_message'), 1);
  assert.equal(countsUnread(ctx, 'other'), 0);
  assert.equal(keeps(ctx, 6), 5);
  ctx.free();
  const off = accepted(withUrl({ notify: false }));
  assert.equal(countsUnread(off, 'new_message'), 0);
  assert.equal(off.totalUnread, 0);
  off.free();
});

test('nested_options_given_in_part_keep_their_other_defaults', () => {
  // What a socket shows of them is in the stand-in socket tests below.
  const ctx = accepted(withUrl({ heartbeat: { intervalMs: 5000 }, reconnect: { maxAttempts: 3 } }));
  ctx.free();
  const partial = accepted(withUrl({ notify: { titleKey: 'from' } }));
  assert.equal(countsUnread(partial, 'new_message'), 1, 'notify.types keeps its default');
  partial.free();
});

test('false_disables_reconnect_and_heartbeat', async () => {
  await withFakeSockets(async (sockets) => {
    const ctx = accepted(withUrl({ reconnect: false, heartbeat: false }));
    ctx.connect();
    assert.equal(sockets.length, 1);
    sockets[0].open();
    assert.equal(ctx.state.status, 'open');
    await sleep(60);
    assert.deepEqual(sockets[0].sent, [], 'no ping');
    sockets[0].drop(1006);
    await sleep(20);
    assert.equal(ctx.state.status, 'closed', 'no retry');
    assert.equal(sockets.length, 1);
    ctx.free();
    // The defaults, for contrast: a lost connection is retried.
    const retrying = accepted(withUrl({ heartbeat: false }));
    retrying.connect();
    sockets[1].open();
    sockets[1].drop(1006);
    assert.equal(retrying.state.status, 'reconnecting');
    assert.equal(retrying.state.error, 'connection dropped with close code 1006');
    retrying.free();
  });
});

test('fixed_delay_schedule_and_infinite_attempts', async () => {
  await withFakeSockets(async (sockets) => {
    const ctx = accepted(withUrl({ heartbeat: false, reconnect: { delaysMs: [500, 2000, 5000], maxAttempts: Infinity } }));
    ctx.connect();
    sockets[0].open();
    sockets[0].drop(1006);
    const { status, nextRetryInMs } = ctx.state;
    assert.equal(status, 'reconnecting');
    // The first delay of the schedule; `jitter` defaults to 0 there.
    assert.ok(nextRetryInMs > 400 && nextRetryInMs <= 500, `nextRetryInMs ${nextRetryInMs}`);
    ctx.free();
  });
});

test('custom_keys_token_ping_and_queue', async () => {
  await withFakeSockets(async (sockets) => {
    const ctx = accepted(
      withUrl({
        token: 's3cret',
        tokenParam: 'access_token',
        routeKey: 'event_type',
        conversationKey: 'chat',
        heartbeat: { ping: { op: 'hb' }, pongType: 'hb_ack', intervalMs: 10 },
        queue: { maxMessages: 0 },
        connectTimeoutMs: 250,
        reconnect: { initialDelayMs: 60000, maxDelayMs: 60000 },
      }),
    );
    assert.deepEqual(queueLimit(ctx), [0, 'send: the queue is full (queue.maxMessages = 0); the message was not sent']);
    const routed = [];
    const problems = [];
    ctx.on('*', (m) => routed.push(m));
    ctx.onError((e) => problems.push(e.kind));
    ctx.receive({ event_type: 'x', n: 1 });
    ctx.receive({ type: 'x', n: 2 });
    assert.deepEqual(routed, [{ event_type: 'x', n: 1 }]);
    assert.deepEqual(problems, ['missing_route_key']);
    ctx.connect();
    assert.equal(new URL(sockets[0].url).searchParams.get('access_token'), 's3cret');
    assert.equal(new URL(sockets[0].url).searchParams.has('token'), false);
    // connectTimeoutMs: a socket not open by then is closed with 4000, and retried.
    await until(() => sockets[0].closed, 5000, 'the connect timeout');
    assert.equal(sockets[0].closed.code, 4000);
    assert.equal(ctx.state.status, 'reconnecting');
    ctx.retry();
    const socket = sockets.at(-1);
    socket.open();
    assert.equal(ctx.sendMessage(5, 'hi'), true);
    assert.deepEqual(JSON.parse(socket.sent[0]), { chat: 5, message: 'hi', type: 'TEXT' });
    assert.equal(Object.keys(JSON.parse(socket.sent[0]))[0], 'chat', 'the first key follows conversationKey');
    await until(() => socket.sent.includes('{"op":"hb"}'), 5000, 'the ping');
    // The pong type is consumed, never routed, and times the round trip.
    socket.receive('{"event_type":"hb_ack"}');
    assert.equal(routed.length, 1);
    assert.equal(typeof ctx.stats().lastRttMs, 'number');
    ctx.free();
  });
});

test('the token goes into the URL under tokenParam, "" included, and setToken changes it', async () => {
  await withFakeSockets(async (sockets) => {
    const urls = [];
    for (const extra of [{}, { token: 'abc' }, { token: '' }, { token: null }, { token: 'a b&c=d', tokenParam: 't' }]) {
      const ctx = accepted(withUrl({ heartbeat: false, ...extra }));
      ctx.connect();
      urls.push(sockets.at(-1).url);
      ctx.free();
    }
    assert.deepEqual(urls.slice(0, 4), [URL_UNUSED, URL_UNUSED + '?token=abc', URL_UNUSED + '?token=', URL_UNUSED]);
    assert.deepEqual([...new URL(urls[4]).searchParams], [['t', 'a b&c=d']], urls[4]);
    const ctx = accepted(withUrl({ heartbeat: false, token: 'old' }));
    ctx.setToken('new');
    ctx.connect();
    assert.equal(sockets.at(-1).url, URL_UNUSED + '?token=new');
    ctx.free();
  });
});

const BAD_CASES = [
  [null, '"options"'],
  [{}, '"url":'],
  [{ url: 1 }, '"url"'],
  [withUrl({ urll: 'x' }), '"urll": no such option'],
  [withUrl({ token: 5 }), '"token": a string or null'],
  [withUrl({ routeKey: '' }), '"routeKey": a non-empty string'],
  [withUrl({ connectTimeoutMs: -1 }), '"connectTimeoutMs"'],
  [withUrl({ connectTimeoutMs: '5000' }), '"connectTimeoutMs"'],
  [withUrl({ heartbeat: 1 }), '"heartbeat": an object, true or false'],
  [withUrl({ heartbeat: { intervalMs: 0.5 } }), '"heartbeat.intervalMs"'],
  [withUrl({ heartbeat: { timeout: 5 } }), '"heartbeat.timeout": no such option'],
  [withUrl({ heartbeat: { ping: 5 } }), '"heartbeat.ping": an object or a string'],
  [withUrl({ reconnect: { jitter: 2 } }), '"reconnect.jitter": a number from 0 to 1'],
  [withUrl({ reconnect: { maxAttempts: 0 } }), '"reconnect.maxAttempts"'],
  [withUrl({ reconnect: { multiplier: 0.5 } }), '"reconnect.multiplier"'],
  [withUrl({ reconnect: { initialDelayMs: 5000, maxDelayMs: 10 } }), '"reconnect.maxDelayMs"'],
  [withUrl({ reconnect: { delaysMs: [] } }), '"reconnect.delaysMs"'],
  [withUrl({ reconnect: { delaysMs: ['1'] } }), '"reconnect.delaysMs"'],
  [withUrl({ reconnect: { delaysMs: [1], multiplier: 2 } }), '"reconnect.multiplier": not to be given together'],
  [withUrl({ queue: { maxMessages: -3 } }), '"queue.maxMessages"'],
  [withUrl({ queue: true }), '"queue"'],
  [withUrl({ notify: { types: 'new_message' } }), '"notify.types": an array'],
  [withUrl({ notify: { types: [1] } }), '"notify.types"'],
  [withUrl({ notify: { icon: 1 } }), '"notify.icon"'],
  [withUrl({ notify: { title: 'x' } }), '"notify.title": no such option'],
  [withUrl({ maxNotifications: 0 }), '"maxNotifications"'],
  [withUrl({ notificationType: null }), '"notificationType"'],
];

test('every_bad_option_names_its_key_and_what_it_expects', () => {
  for (const [value, expected] of BAD_CASES) {
    const message = errorOf(value);
    assert.ok(message.includes(expected), `${JSON.stringify(message)} should contain ${JSON.stringify(expected)}`);
  }
});

test('errors_never_echo_the_token', () => {
  const message = errorOf(withUrl({ token: 's3cret', tokenParam: 1 }));
  assert.ok(!message.includes('s3cret'), message);
});

// Beyond the Rust tests: the whole message texts, and which error wins when several keys are bad.
test('messages are the Rust texts, first bad key in the Rust order', () => {
  const MS = 'a whole number of ms from 1 to 2147483647';
  const MS0 = 'a whole number of ms from 0 to 2147483647';
  const cases = [
    [undefined, 'options', 'the options must be a plain object'],
    [[], 'options', 'the options must be a plain object'],
    [() => {}, 'options', 'the options must be a plain object'],
    ['x', 'options', 'the options must be a plain object'],
    [{}, 'url', 'a ws:// or wss:// URL, or a path such as "/ws/realtime/"'],
    [{ url: '' }, 'url', 'a ws:// or wss:// URL, or a path such as "/ws/realtime/"'],
    // unknown keys first (in Object.entries order, even with an undefined value), then the url
    [{ url: 1, tokn: undefined, other: 1 }, 'tokn', 'no such option (check its spelling)'],
    [{ url: 1, token: 1 }, 'url', 'a ws:// or wss:// URL, or a path such as "/ws/realtime/"'],
    [withUrl({ maxNotifications: 0, token: 1 }), 'token', 'a string or null'],
    [withUrl({ tokenParam: '', connectTimeoutMs: 0 }), 'connectTimeoutMs', MS],
    [withUrl({ connectTimeoutMs: 2147483648 }), 'connectTimeoutMs', MS],
    [withUrl({ connectTimeoutMs: NaN }), 'connectTimeoutMs', MS],
    [withUrl({ heartbeat: null, reconnect: null }), 'reconnect', 'an object, true or false'],
    [withUrl({ reconnect: [] }), 'reconnect', 'an object, true or false'],
    [withUrl({ reconnect: { delay: 1 } }), 'reconnect.delay', 'no such option (check its spelling)'],
    [withUrl({ reconnect: { maxAttempts: -Infinity } }), 'reconnect.maxAttempts', 'a whole number ≥ 1, or Infinity'],
    [withUrl({ reconnect: { maxAttempts: 4294967296 } }), 'reconnect.maxAttempts', 'a whole number ≥ 1, or Infinity'],
    [withUrl({ reconnect: { maxAttempts: 0, delaysMs: [] } }), 'reconnect.maxAttempts', 'a whole number ≥ 1, or Infinity'],
    [withUrl({ reconnect: { delaysMs: [], maxDelayMs: 1, initialDelayMs: 1 } }), 'reconnect.initialDelayMs', 'not to be given together with delaysMs'],
    [withUrl({ reconnect: { delaysMs: null } }), 'reconnect.delaysMs', 'a non-empty array of whole ms from 0 to 2147483647'],
    [withUrl({ reconnect: { delaysMs: [1, , 2] } }), 'reconnect.delaysMs', 'a non-empty array of whole ms from 0 to 2147483647'],
    [withUrl({ reconnect: { delaysMs: [-1] } }), 'reconnect.delaysMs', 'a non-empty array of whole ms from 0 to 2147483647'],
    [withUrl({ reconnect: { delaysMs: [1], jitter: -0.1 } }), 'reconnect.jitter', 'a number from 0 to 1'],
    [withUrl({ reconnect: { initialDelayMs: 0.5 } }), 'reconnect.initialDelayMs', MS0],
    [withUrl({ reconnect: { maxDelayMs: -1 } }), 'reconnect.maxDelayMs', MS0],
    [withUrl({ reconnect: { initialDelayMs: 40000 } }), 'reconnect.maxDelayMs', 'a number ≥ initialDelayMs'],
    [withUrl({ reconnect: { multiplier: 101, jitter: 2 } }), 'reconnect.multiplier', 'a number from 1 to 100'],
    [withUrl({ reconnect: { multiplier: Infinity } }), 'reconnect.multiplier', 'a number from 1 to 100'],
    [withUrl({ reconnect: { jitter: NaN } }), 'reconnect.jitter', 'a number from 0 to 1'],
    [withUrl({ heartbeat: 'on', queue: 1 }), 'heartbeat', 'an object, true or false'],
    [withUrl({ heartbeat: { ping: [1], pongType: '' } }), 'heartbeat.ping', 'an object or a string'],
    [withUrl({ heartbeat: { ping: null } }), 'heartbeat.ping', 'an object or a string'],
    [withUrl({ heartbeat: { ping: () => 'x' } }), 'heartbeat.ping', 'an object or a string'],
    [withUrl({ heartbeat: { pongType: '', intervalMs: 0 } }), 'heartbeat.pongType', 'a non-empty string'],
    [withUrl({ heartbeat: { intervalMs: 0, timeoutMs: 0 } }), 'heartbeat.intervalMs', MS],
    [withUrl({ heartbeat: { timeoutMs: 2 ** 31 } }), 'heartbeat.timeoutMs', MS],
    [withUrl({ queue: false }), 'queue', 'an object'],
    [withUrl({ queue: null }), 'queue', 'an object'],
    [withUrl({ queue: { max: 1 } }), 'queue.max', 'no such option (check its spelling)'],
    [withUrl({ queue: { maxMessages: 1e9 + 1 }, tokenParam: '' }), 'queue.maxMessages', 'a whole number from 0 to 1000000000'],
    [withUrl({ tokenParam: '', queue: {} }), 'tokenParam', 'a non-empty string'],
    [withUrl({ routeKey: 1, notify: 1 }), 'routeKey', 'a non-empty string'],
    [withUrl({ conversationKey: null, notify: 1 }), 'conversationKey', 'a non-empty string'],
    [withUrl({ notify: 1, notificationType: '' }), 'notify', 'an object, true or false'],
    [withUrl({ notify: { types: ['a', ''] } }), 'notify.types', 'an array of non-empty strings'],
    [withUrl({ notify: { titleKey: '' } }), 'notify.titleKey', 'a non-empty string'],
    [withUrl({ notify: { bodyKey: 1 } }), 'notify.bodyKey', 'a non-empty string'],
    [withUrl({ notify: { icon: {} } }), 'notify.icon', 'a URL string or null'],
    [withUrl({ notificationType: '', notificationKey: '' }), 'notificationType', 'a non-empty string'],
    [withUrl({ notificationKey: 1, maxNotifications: 0 }), 'notificationKey', 'a non-empty string'],
    [withUrl({ maxNotifications: 1e6 + 1 }), 'maxNotifications', 'a whole number from 1 to 1000000'],
    [withUrl({ maxNotifications: 1.5 }), 'maxNotifications', 'a whole number from 1 to 1000000'],
    // The URL itself, checked after every other option: Node has no `location` for a path.
    [{ url: '/ws/realtime/' }, 'url', 'a path needs a page location to resolve against; give a ws:// or wss:// URL'],
    [{ url: 'ftp://127.0.0.1/x' }, 'url', 'expected a ws:// or wss:// URL, or a path such as "/ws/realtime/"'],
    [{ url: 'https://127.0.0.1/x' }, 'url', 'expected a ws:// or wss:// URL, or a path such as "/ws/realtime/"'],
    [{ url: '/ws/realtime/', maxNotifications: 0 }, 'maxNotifications', 'a whole number from 1 to 1000000'],
  ];
  for (const [value, key, expected] of cases) assert.equal(errorOf(value), `option "${key}": ${expected}`);
});

test('edge values the Rust rules accept', () => {
  const ctx = accepted(
    withUrl({
      token: '',
      connectTimeoutMs: 2147483647,
      reconnect: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1.5, jitter: 1, maxAttempts: 4294967295 },
      notify: { types: [], icon: '' },
      queue: { maxMessages: 1e9 },
      maxNotifications: 1e6,
      heartbeat: { ping: '' },
    }),
  );
  assert.equal(countsUnread(ctx, 'new_message'), 0, 'notify.types [] counts nothing');
  assert.equal(queueLimit(ctx, 1500)[1], null, 'a queue of 1e9 takes 1500');
  ctx.free();
  accepted(withUrl({ reconnect: { delaysMs: [0, 2147483647], jitter: 0.5 } })).free();
  accepted(withUrl({ reconnect: { maxAttempts: Infinity, jitter: 0 } })).free();
  // only own enumerable keys count, as with Object.entries on the Rust side
  accepted(Object.assign(Object.create({ bogus: 1 }), { url: 'wss://x' })).free();
  accepted(Object.defineProperty(withUrl(), 'hidden', { value: 1, enumerable: false })).free();
});

test('heartbeat.ping is the default text, a string as-is, or an object as JSON', async () => {
  const ping = { type: 'hb', at: { deep: { deeper: { deepest: [1, 'two'] } } } };
  const cases = [
    [undefined, '{"type":"ping"}'],
    [{}, '{"type":"ping"}'],
    [{ ping: 'PING' }, 'PING'],
    [{ ping: ' {not json' }, ' {not json'],
    [{ ping }, JSON.stringify(ping)],
    [{ ping: { op: 'hb' }, pongType: 'ack' }, '{"op":"hb"}'],
  ];
  await withFakeSockets(async (sockets) => {
    for (const [heartbeat, expected] of cases) {
      const ctx = accepted(withUrl({ heartbeat: { ...heartbeat, intervalMs: 10 } }));
      ctx.connect();
      const socket = sockets.at(-1);
      socket.open();
      await until(() => socket.sent.length > 0, 5000, `a ping for ${JSON.stringify(heartbeat)}`);
      assert.equal(socket.sent[0], expected);
      ctx.free();
    }
  });
});

test('heartbeat.ping that JSON.stringify cannot serialize is an error', () => {
  const SERIALIZE = 'option "heartbeat.ping": could not be serialized as JSON';
  const cycle = { type: 'ping' };
  cycle.self = cycle;
  assert.equal(errorOf(withUrl({ heartbeat: { ping: { type: 'ping', n: 1n } } })), SERIALIZE);
  assert.equal(errorOf(withUrl({ heartbeat: { ping: cycle } })), SERIALIZE);
  assert.equal(errorOf(withUrl({ heartbeat: { ping: { toJSON: () => undefined } } })), SERIALIZE);
  // checked after every other option, as the Rust shell serializes once parse() succeeded
  assert.equal(errorOf(withUrl({ heartbeat: { ping: cycle }, maxNotifications: 0 })), 'option "maxNotifications": a whole number from 1 to 1000000');
});

test('a token never appears in any error message', () => {
  const token = 'tok-3f9a7c-SECRET';
  const extra = [
    withUrl({ token: 1 }),
    withUrl({ token: [token] }),
    withUrl({ token: { token } }),
    { url: token, urll: token, token },
    { url: token, token },
    { url: 'ftp://x/' + token, token },
    withUrl({ token, heartbeat: { ping: { token, n: 1n } } }),
    withUrl({ token, heartbeat: { ping: Object.assign(JSON.parse(`{"k":"${token}"}`), { c: 1n }) } }),
    withUrl({ token, tokenParam: '' }),
    withUrl({ token, routeKey: token.length }),
  ];
  const cases = [...BAD_CASES.map(([value]) => (value && typeof value == 'object' ? { token, ...value } : value)), ...extra];
  for (const value of cases) {
    const message = errorOf(value);
    assert.ok(!message.includes(token) && !message.includes('SECRET'), message);
  }
});
