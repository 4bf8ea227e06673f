// The REST half of the in-app notification store: each change is applied to the wasm store
// at once (optimistic), then confirmed by the provider's `api`; a rejected call puts the
// store back as it was and leaves the error in `hub.error`. Since that may also undo actions
// still in flight, the list is fetched again once none is, and applied only if no action
// began while it was on its way (else fetched again).

/**
 * The notification actions of `hub`, named as a hand-written NotificationContext names them.
 * Each returns a Promise of `true` (confirmed) or `false` (rolled back; see `hub.error`).
 * @param {import('./hub.js').Hub} hub
 */
export function createNotificationActions(hub) {
  // The server's list into the store of `ctx`, if that is still the hub's context; nothing,
  // and false, if `fresh()` no longer holds when the list comes.
  const load = async (ctx, fresh = () => true) => {
    const list = await hub.api.fetchNotifications?.();
    if (!fresh()) return false;
    if (list && ctx && hub.ctx === ctx) ctx.setNotifications(list);
    return true;
  };
  let busy = 0; // actions in flight
  let started = 0; // actions begun so far
  let resync = false; // a rollback is waiting for the server's list
  // The error stays shown: this refetch only brings back what the server holds.
  const refetch = async (ctx) => {
    resync = false;
    const at = started;
    if (await load(ctx, () => started === at && !busy)) return;
    if (busy) resync = true;
    else await refetch(ctx);
  };
  const optimistic = async (change, call) => {
    const ctx = hub.ctx;
    const before = ctx?.notifications();
    started++;
    busy++;
    if (ctx) change(ctx);
    try {
      await call();
      hub.setError(null);
      return true;
    } catch (error) {
      if (ctx && hub.ctx === ctx) {
        ctx.setNotifications(before);
        resync = true;
      }
      hub.setError(error);
      return false;
    } finally {
      if (!--busy && resync) refetch(ctx).catch(() => {});
    }
  };
  const fetchNotifications = async () => {
    try {
      await load(hub.ctx);
      hub.setError(null);
      return true;
    } catch (error) {
      hub.setError(error);
      return false;
    }
  };
  return {
    markAsRead: (id) => optimistic((ctx) => ctx.markNotificationRead(id), () => hub.api.markAsRead?.(id)),
    markAllAsRead: () => optimistic((ctx) => ctx.markAllNotificationsRead(), () => hub.api.markAllAsRead?.()),
    deleteNotification: (id) => optimistic((ctx) => ctx.removeNotification(id), () => hub.api.deleteNotification?.(id)),
    fetchNotifications,
    // The unread count is derived from the list, so refreshing it means refetching the list.
    fetchUnreadCount: fetchNotifications,
  };
}
