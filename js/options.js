// Validates the RealtimeContext options and fills in their defaults. Keys are checked in a
// fixed order and the first bad one throws, naming its key.

/** The longest time span an option (or a timer) may have: 2^31 - 1 ms. */
export const MAX_MS = 2147483647;
const MS = 'a whole number of ms from 1 to ' + MAX_MS;
const MS0 = 'a whole number of ms from 0 to ' + MAX_MS;
const FRACTION = 'a number from 0 to 1';

const fail = (key, expected) => {
  throw new Error(`option "${key}": ${expected}`);
};
const isText = (v) => typeof v == 'string' && v != '';
const isTextOrNull = (v) => v === null || typeof v == 'string';
const whole = (min, max) => (v) => Number.isInteger(v) && v >= min && v <= max;
const within = (min, max) => (v) => typeof v == 'number' && v >= min && v <= max;
// An options object: any object but an array or a function (class instances included).
const isObject = (v) => !!v && typeof v == 'object' && !Array.isArray(v) && !(v instanceof Function);

// One level of the options object (own enumerable keys; undefined = absent), which must hold only `known` keys.
const level = (value, path, known, expected = 'an object, true or false') => {
  if (!isObject(value)) fail(path || 'options', path ? expected : 'the options must be a plain object');
  const entries = new Map(Object.entries(value));
  const key = (name) => (path ? path + '.' + name : name);
  for (const name of entries.keys()) if (!known.split(' ').includes(name)) fail(key(name), 'no such option (check its spelling)');
  const get = (name) => entries.get(name);
  const bad = (name, expected) => fail(key(name), expected);
  const pick = (name, fallback, ok, expected) => {
    const v = get(name);
    return v === undefined ? fallback : ok(v) ? v : bad(name, expected);
  };
  return [get, bad, pick, (name, fallback) => pick(name, fallback, isText, 'a non-empty string')];
};

const reconnect = ([get, bad, pick]) => {
  const maxAttempts =
    get('maxAttempts') === Infinity ? Infinity : pick('maxAttempts', 10, whole(1, 4294967295), 'a whole number ≥ 1, or Infinity');
  const delays = get('delaysMs');
  if (delays !== undefined) {
    for (const name of ['initialDelayMs', 'maxDelayMs', 'multiplier'])
      if (get(name) !== undefined) bad(name, 'not to be given together with delaysMs');
    const list = Array.isArray(delays) && [...delays];
    if (!list || !list.length || !list.every(whole(0, MAX_MS))) bad('delaysMs', 'a non-empty array of whole ms from 0 to ' + MAX_MS);
    return { delaysMs: list, initialDelayMs: null, maxDelayMs: null, multiplier: null, jitter: pick('jitter', 0, within(0, 1), FRACTION), maxAttempts };
  }
  const initialDelayMs = pick('initialDelayMs', 500, whole(0, MAX_MS), MS0);
  const maxDelayMs = pick('maxDelayMs', 30000, whole(0, MAX_MS), MS0);
  if (maxDelayMs < initialDelayMs) bad('maxDelayMs', 'a number ≥ initialDelayMs');
  return {
    delaysMs: null,
    initialDelayMs,
    maxDelayMs,
    multiplier: pick('multiplier', 2, within(1, 100), 'a number from 1 to 100'),
    jitter: pick('jitter', 0.3, within(0, 1), FRACTION),
    maxAttempts,
  };
};

// `ping` stays as given here; readOptions turns it into text once everything else passed.
const heartbeat = ([get, bad, pick, text]) => {
  const ping = get('ping');
  if (ping !== undefined && typeof ping != 'string' && !isObject(ping)) bad('ping', 'an object or a string');
  return { ping, pongType: text('pongType', 'pong'), intervalMs: pick('intervalMs', 25000, whole(1, MAX_MS), MS), timeoutMs: pick('timeoutMs', 10000, whole(1, MAX_MS), MS) };
};

const notify = ([get, bad, pick, text]) => {
  const types = get('types');
  const list = types === undefined ? ['new_message'] : Array.isArray(types) && [...types];
  if (!list || !list.every(isText)) bad('types', 'an array of non-empty strings');
  return { types: list, titleKey: text('titleKey', 'sender_name'), bodyKey: text('bodyKey', 'message'), icon: pick('icon', null, isTextOrNull, 'a URL string or null') };
};

/**
 * Validates the `new RealtimeContext(options)` object (see the README's "Options") and fills in every default.
 * Throws `Error('option "KEY": WHAT IT EXPECTS')` for the first bad key, in a fixed order; no
 * message ever contains an option's value, so never the token.
 *
 * @param {unknown} options
 * @returns {{
 *   url: string, token: string | null, tokenParam: string, routeKey: string, conversationKey: string,
 *   connectTimeoutMs: number,
 *   reconnect: null | { delaysMs: number[] | null, initialDelayMs: number | null, maxDelayMs: number | null,
 *     multiplier: number | null, jitter: number, maxAttempts: number },
 *   heartbeat: null | { intervalMs: number, timeoutMs: number, ping: string, pongType: string },
 *   queueMax: number,
 *   notify: null | { types: string[], titleKey: string, bodyKey: string, icon: string | null },
 *   notificationType: string, notificationKey: string, maxNotifications: number,
 * }} `maxAttempts` may be `Infinity`; `heartbeat.ping` is the text to send.
 */
export function readOptions(options) {
  const [get, bad, pick, text] = level(
    options,
    '',
    'url token tokenParam routeKey conversationKey reconnect connectTimeoutMs heartbeat queue notify notificationType notificationKey maxNotifications',
  );
  // `false` disables; absent or `true` is the same as `{}` (`queue` takes neither).
  const nested = (name, known, read, toggles = true) => {
    const v = get(name);
    return toggles && v === false ? null : read(level(v === undefined || (toggles && v === true) ? {} : v, name, known, toggles ? undefined : 'an object'));
  };
  const url = get('url');
  if (!isText(url)) bad('url', 'a ws:// or wss:// URL, or a path such as "/ws/realtime/"');
  // Keys are checked in the order they are written here.
  const o = {
    url,
    token: pick('token', null, isTextOrNull, 'a string or null'),
    connectTimeoutMs: pick('connectTimeoutMs', 5000, whole(1, MAX_MS), MS),
    reconnect: nested('reconnect', 'initialDelayMs maxDelayMs multiplier jitter maxAttempts delaysMs', reconnect),
    heartbeat: nested('heartbeat', 'intervalMs timeoutMs ping pongType', heartbeat),
    queueMax: nested('queue', 'maxMessages', (q) => q[2]('maxMessages', 1000, whole(0, 1e9), 'a whole number from 0 to 1000000000'), false),
    tokenParam: text('tokenParam', 'token'),
    routeKey: text('routeKey', 'type'),
    conversationKey: text('conversationKey', 'conversation_id'),
    notify: nested('notify', 'types titleKey bodyKey icon', notify),
    notificationType: text('notificationType', 'notification'),
    notificationKey: text('notificationKey', 'notification'),
    maxNotifications: pick('maxNotifications', 200, whole(1, 1e6), 'a whole number from 1 to 1000000'),
  };
  const hb = o.heartbeat;
  if (hb) {
    const ping = hb.ping;
    hb.ping = ping === undefined ? '{"type":"ping"}' : typeof ping == 'string' ? ping : toJson(ping);
    if (typeof hb.ping != 'string') fail('heartbeat.ping', 'could not be serialized as JSON');
  }
  return o;
}

/** `value` as JSON text; undefined when stringifying threw (a cycle, a BigInt) or gave nothing (a toJSON returning undefined). */
export function toJson(value) {
  try {
    return JSON.stringify(value);
  } catch {}
}
