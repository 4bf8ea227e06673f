// Unread counts, the in-app store and real browser notifications (ported from tests/notifications.rs).
// webdriver.json grants the notification permission, so the browser constructs real `Notification`
// objects; a recording subclass lets the tests see them. Registered into tests/browser/suite.js.
import { SERVER, assert, assertEqual, context, test, throws, until } from './suite.js';

const real = globalThis.Notification;
const permission = () => (real ? real.permission : 'missing');

/** Replaces `Notification` with a subclass that records every notification shown; returns the record. */
function recordNotifications() {
  const shown = [];
  if (!real) return shown;
  globalThis.Notification = class extends real {
    constructor(title, options) {
      super(title, options);
      const entry = { title, body: this.body, tag: this.tag, closed: false, notification: this };
      this.addEventListener('close', () => { entry.closed = true; });
      const close = this.close.bind(this);
      this.close = () => { entry.closed = true; close(); };
      shown.push(entry);
    }
  };
  Object.defineProperty(globalThis.Notification, 'permission', { get: () => real.permission });
  return shown;
}

const removeNotificationApi = () => { delete globalThis.Notification; };
const restoreNotificationApi = () => { globalThis.Notification = real; };
const clickLast = (shown) => shown[shown.length - 1].notification.onclick();

/** The string field `key` of `obj` ('' where it is missing). */
const text = (obj, key) => (typeof obj[key] === 'string' ? obj[key] : '');

/** Connects and makes the server send `frames`; waits until `expect` messages were routed. */
async function deliver(ctx, frames, expect) {
  let seen = 0;
  const off = ctx.on('*', () => { seen += 1; });
  ctx.connect();
  await until('open', 3000, () => ctx.state.status === 'open');
  ctx.send({ cmd: 'emit', frames });
  await until('messages routed', 3000, () => seen >= expect);
  off();
}

const CHAT = [[
  { type: 'new_message', conversation_id: 1, sender_name: 'Ann', message: '<b>hi</b> from 1' },
  { type: 'new_message', conversation_id: '1', sender_name: 'Ann', message: 'again' },
  { type: 'new_message', conversation_id: 2, sender_name: 'Bob', message: 'from 2' },
  { type: 'typing', conversation_id: 2 },
]];

test('unread_counts_follow_the_active_conversation', async () => {
  const ctx = context({ url: `${SERVER}/ws`, heartbeat: false, notify: { types: ['new_message'] } });
  const changes = [];
  ctx.onUnread((e) => changes.push([e.conversationId, e.count, e.total]));
  ctx.setActiveConversation(2);
  await deliver(ctx, CHAT, 4);
  assertEqual([ctx.unreadCount(1), ctx.unreadCount('1')], [2, 2]);
  assertEqual(ctx.unreadCount(2), 0, 'the active conversation on a visible page stays read');
  assertEqual(ctx.totalUnread, 2);
  assertEqual(changes.length, 2);
  assertEqual(changes[1][0], 1, 'the id comes back as the server first sent it');
  assertEqual(changes[1][1], 2);
  ctx.setActiveConversation('1');
  assertEqual([ctx.unreadCount(1), ctx.totalUnread], [0, 0]);
  assertEqual(ctx.activeConversation, '1');
  assertEqual(changes[changes.length - 1][1], 0);
  assert(changes.every(([, count, total]) => typeof count === 'number' && typeof total === 'number'), 'counts and totals are numbers');
  ctx.setActiveConversation(null);
  assertEqual(ctx.activeConversation, null);
  throws('setActiveConversation(true)', () => ctx.setActiveConversation(true));
});

test('real_notifications_are_tagged_per_conversation_and_close_on_activate', async () => {
  assertEqual(permission(), 'granted', 'webdriver.json grants the notification permission');
  const shown = recordNotifications();
  try {
    const ctx = context({ url: `${SERVER}/ws`, heartbeat: false });
    const clicks = [];
    ctx.onNotificationClick((m) => clicks.push(m));
    ctx.setActiveConversation(2);
    await deliver(ctx, CHAT, 4);
    assertEqual(shown.length, 2, 'two for conversation 1, none for the active 2, none for typing');
    assertEqual(text(shown[0], 'title'), 'Ann');
    assertEqual(text(shown[0], 'body'), '<b>hi</b> from 1', 'text, never HTML');
    assertEqual(text(shown[0], 'tag'), 'conversation-1');
    assertEqual(text(shown[1], 'tag'), 'conversation-1', 'a burst replaces rather than stacks');
    clickLast(shown);
    assertEqual(clicks.length, 1);
    assertEqual(text(clicks[0], 'message'), 'again');
    ctx.setActiveConversation(1);
    await deliver(ctx, [{ type: 'new_message', conversation_id: 3, message: 'from 3' }], 1);
    ctx.setActiveConversation(1);
    const last = shown[2];
    assertEqual(last.closed, false, "conversation 3's notification stays open");
    ctx.setActiveConversation(3);
    assertEqual(last.closed, true, 'activating 3 closes its notification');
  } finally {
    restoreNotificationApi();
  }
});

test('a_formatter_shapes_or_suppresses_notifications', async () => {
  const shown = recordNotifications();
  try {
    const ctx = context({ url: `${SERVER}/ws`, heartbeat: false });
    ctx.setNotificationFormatter((m) => (text(m, 'message') === 'again' ? null : { title: 'Chat', body: text(m, 'message'), tag: 'all' }));
    await deliver(ctx, CHAT, 4);
    assertEqual(shown.map((e) => [text(e, 'title'), text(e, 'tag')]), [['Chat', 'all'], ['Chat', 'all']]);
    throws('setNotificationFormatter(1)', () => ctx.setNotificationFormatter(1));
  } finally {
    restoreNotificationApi();
  }
});

test('without_the_notification_api_unread_counts_still_work_and_nothing_throws', async () => {
  removeNotificationApi();
  try {
    const ctx = context({ url: `${SERVER}/ws`, heartbeat: false });
    let errors = 0;
    ctx.onError(() => { errors += 1; });
    assertEqual(await ctx.requestNotificationPermission(), 'unsupported');
    await deliver(ctx, CHAT, 4);
    assertEqual([ctx.unreadCount(1), ctx.unreadCount(2)], [2, 1]);
    assertEqual(errors, 0);
  } finally {
    restoreNotificationApi();
  }
});

test('the_in_app_store_merges_live_and_fetched_notifications', async () => {
  const ctx = context({ url: `${SERVER}/ws`, heartbeat: false, maxNotifications: 4 });
  let updates = 0;
  ctx.onNotifications(() => { updates += 1; });
  await deliver(ctx, [[
    { type: 'notification', notification: { id: 5, text: 'live 5' } },
    { type: 'notification', notification: { id: 6, text: 'live 6' } },
    { type: 'notification', notification: { id: 2, text: 'live 2' } },
  ]], 3);
  const ids = () => Array.from(ctx.notifications(), (n) => {
    const id = typeof n.id === 'number' ? String(n.id) : n.id;
    assert(typeof id === 'string', `a notification id is a number or a string, got ${JSON.stringify(n.id)}`);
    assert(typeof n.read === 'boolean', `read is a boolean, got ${JSON.stringify(n.read)}`);
    return [`${id}:${text(n, 'text')}`, n.read];
  });
  assertEqual(ids(), [['2:live 2', false], ['6:live 6', false], ['5:live 5', false]]);
  assert(ctx.notifications() === ctx.notifications(), 'the same snapshot until a change');
  ctx.setNotifications([{ id: '2', text: 'fetched 2', read: true }, { id: 1, text: 'fetched 1' }, { id: 0, text: 'fetched 0' }]);
  assertEqual(
    ids(),
    [['6:live 6', false], ['5:live 5', false], ['2:fetched 2', true], ['1:fetched 1', false]],
    'live ones missing from the fetch first; the fetched copy wins; at most maxNotifications',
  );
  assertEqual(ctx.unreadNotifications, 3);
  ctx.markNotificationRead(6);
  ctx.removeNotification('5');
  assertEqual(ids().slice(0, 2), [['6:live 6', true], ['2:fetched 2', true]]);
  ctx.markAllNotificationsRead();
  assertEqual(ctx.unreadNotifications, 0);
  throws('setNotifications(3)', () => ctx.setNotifications(3));
  throws('setNotifications with a non-object entry', () => ctx.setNotifications([{ id: 9 }, 'x']));
  assertEqual(ctx.unreadNotifications, 0, 'a refused list changes nothing');
  assertEqual(updates, 3 + 1 + 2 + 1);
});
