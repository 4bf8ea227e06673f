// js/options.js against the cases of src/core/options_tests.rs (same names), plus heartbeat.ping and the token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOptions as parse } from '../js/options.js';

const withUrl = (extra = {}) => ({ url: '/ws/realtime/', ...extra });
const errorOf = (value) => {
  try {
    parse(value);
  } catch (e) {
    assert.ok(e instanceof Error, 'throws an Error');
    return e.message;
  }
  assert.fail(`no error for ${JSON.stringify(value)}`);
};

const DEFAULT_RECONNECT = { delaysMs: null, initialDelayMs: 500, maxDelayMs: 30000, multiplier: 2, jitter: 0.3, maxAttempts: 10 };
const DEFAULT_HEARTBEAT = { intervalMs: 25000, timeoutMs: 10000, ping: '{"type":"ping"}', pongType: 'pong' };

test('defaults_match_the_documented_table', () => {
  assert.deepEqual(parse(withUrl()), {
    url: '/ws/realtime/',
    token: null,
    tokenParam: 'token',
    routeKey: 'type',
    conversationKey: 'conversation_id',
    connectTimeoutMs: 5000,
    reconnect: DEFAULT_RECONNECT,
    heartbeat: DEFAULT_HEARTBEAT,
    queueMax: 1000,
    notify: { types: ['new_message'], titleKey: 'sender_name', bodyKey: 'message', icon: null },
    notificationType: 'notification',
    notificationKey: 'notification',
    maxNotifications: 200,
  });
  // `true` and an explicit `undefined` are the same as absent.
  assert.deepEqual(parse(withUrl({ reconnect: true, heartbeat: true, notify: true, queue: undefined, token: undefined })), parse(withUrl()));
});

test('notify_options_merge_with_defaults_and_false_disables', () => {
  const o = parse(withUrl({ notify: { types: ['TEXT', 'new_message'], icon: '/i.png' }, maxNotifications: 5 }));
  assert.deepEqual(o.notify.types, ['TEXT', 'new_message']);
  assert.deepEqual([o.notify.titleKey, o.notify.icon], ['sender_name', '/i.png']);
  assert.equal(o.maxNotifications, 5);
  assert.equal(parse(withUrl({ notify: false })).notify, null);
});

test('nested_options_given_in_part_keep_their_other_defaults', () => {
  const o = parse(withUrl({ heartbeat: { intervalMs: 5000 }, reconnect: { maxAttempts: 3 } }));
  assert.deepEqual([o.heartbeat.intervalMs, o.heartbeat.timeoutMs], [5000, 10000]);
  assert.equal(o.heartbeat.pongType, 'pong');
  assert.deepEqual(o.reconnect, { ...DEFAULT_RECONNECT, maxAttempts: 3, jitter: 0.3 });
});

test('false_disables_reconnect_and_heartbeat', () => {
  const o = parse(withUrl({ reconnect: false, heartbeat: false }));
  // pongType lives in `heartbeat`, so it goes with it.
  assert.deepEqual([o.reconnect, o.heartbeat], [null, null]);
});

test('fixed_delay_schedule_and_infinite_attempts', () => {
  const o = parse(withUrl({ reconnect: { delaysMs: [500, 2000, 5000], maxAttempts: Infinity } }));
  assert.deepEqual(o.reconnect, { delaysMs: [500, 2000, 5000], initialDelayMs: null, maxDelayMs: null, multiplier: null, jitter: 0, maxAttempts: Infinity });
});

test('custom_keys_token_ping_and_queue', () => {
  const o = parse(
    withUrl({
      token: 's3cret',
      tokenParam: 'access_token',
      routeKey: 'event_type',
      heartbeat: { ping: { op: 'hb' }, pongType: 'hb_ack' },
      queue: { maxMessages: 0 },
      connectTimeoutMs: 250,
    }),
  );
  assert.deepEqual([o.token, o.tokenParam], ['s3cret', 'access_token']);
  assert.equal(o.routeKey, 'event_type');
  assert.equal(o.heartbeat.ping, '{"op":"hb"}');
  assert.equal(o.heartbeat.pongType, 'hb_ack');
  assert.deepEqual([o.queueMax, o.connectTimeoutMs], [0, 250]);
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
  ];
  for (const [value, key, expected] of cases) assert.equal(errorOf(value), `option "${key}": ${expected}`);
});

test('edge values the Rust rules accept', () => {
  const o = parse(
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
  assert.equal(o.token, '');
  assert.equal(o.connectTimeoutMs, 2147483647);
  assert.deepEqual(o.reconnect, { delaysMs: null, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1.5, jitter: 1, maxAttempts: 4294967295 });
  assert.deepEqual(o.notify, { types: [], titleKey: 'sender_name', bodyKey: 'message', icon: '' });
  assert.deepEqual([o.queueMax, o.maxNotifications, o.heartbeat.ping], [1e9, 1e6, '']);
  assert.deepEqual(parse(withUrl({ reconnect: { delaysMs: [0, 2147483647], jitter: 0.5 } })).reconnect.delaysMs, [0, 2147483647]);
  // only own enumerable keys count, as with Object.entries on the Rust side
  assert.equal(parse(Object.assign(Object.create({ bogus: 1 }), { url: 'wss://x' })).url, 'wss://x');
});

test('heartbeat.ping is the default text, a string as-is, or an object as JSON', () => {
  assert.equal(parse(withUrl()).heartbeat.ping, '{"type":"ping"}');
  assert.equal(parse(withUrl({ heartbeat: {} })).heartbeat.ping, '{"type":"ping"}');
  assert.equal(parse(withUrl({ heartbeat: { ping: 'PING' } })).heartbeat.ping, 'PING');
  assert.equal(parse(withUrl({ heartbeat: { ping: ' {not json' } })).heartbeat.ping, ' {not json');
  const ping = { type: 'hb', at: { deep: { deeper: { deepest: [1, 'two'] } } } };
  assert.equal(parse(withUrl({ heartbeat: { ping } })).heartbeat.ping, JSON.stringify(ping));
  assert.deepEqual(parse(withUrl({ heartbeat: { ping: { op: 'hb' }, pongType: 'ack' } })).heartbeat, {
    intervalMs: 25000,
    timeoutMs: 10000,
    ping: '{"op":"hb"}',
    pongType: 'ack',
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
