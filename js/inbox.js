// The in-app notification store: newest first, at most `max`, never the same id twice. Keys
// are ids in their normal form (see keys.js), so `123` and `"123"` are one notification.

/** The store of one context. Each item is `{key, value, read, live}`. */
export class Inbox {
  /** An empty store that keeps at most `max` notifications. */
  constructor(max) {
    this.max = max;
    this.items = [];
  }

  /**
   * A notification arrived on the socket: it goes first; a repeat of a stored id replaces that
   * item's value in place and keeps its read flag. The oldest beyond `max` are dropped.
   */
  addLive(key, value, read) {
    const item = this.items.find((i) => i.key === key);
    if (item) {
      item.value = value;
      return;
    }
    this.items.unshift({ key, value, read, live: true });
    this.items.length = Math.min(this.items.length, this.max);
  }

  /**
   * A list fetched over REST (`[{key, value, read}]`, newest first) replaces the store: for an
   * id in the list, the fetched copy and its read flag win; live items missing from the list
   * are kept, ahead of it, newest first; items of an earlier fetch missing from it are gone.
   */
  setFetched(list) {
    const fetched = new Map();
    for (const { key, value, read } of list) if (!fetched.has(key)) fetched.set(key, { key, value, read, live: false });
    this.items = this.items.filter((i) => i.live && !fetched.has(i.key)).concat([...fetched.values()]).slice(0, this.max);
  }

  /** Marks one read; false if it was unknown or already read. */
  markRead(key) {
    const item = this.items.find((i) => i.key === key);
    if (!item || item.read) return false;
    item.read = true;
    return true;
  }

  /** Marks every one read; false if none was unread. */
  markAllRead() {
    const unread = this.items.filter((i) => !i.read);
    for (const item of unread) item.read = true;
    return unread.length > 0;
  }

  /** Removes one; false if it was unknown. */
  remove(key) {
    const before = this.items.length;
    this.items = this.items.filter((i) => i.key !== key);
    return this.items.length !== before;
  }

  /** How many are unread. */
  get unread() {
    return this.items.filter((i) => !i.read).length;
  }
}
