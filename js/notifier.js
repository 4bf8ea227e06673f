// Browser notifications: formatted from a message, tagged per conversation so that a burst
// replaces rather than stacks, closed when their conversation becomes active.

/** How many shown notifications keep their click handler; older ones are closed. */
const MAX_SHOWN = 50;

// `Notification.permission` costs tens of µs in Chromium, so it is read when a context is made
// or the page becomes visible, and followed through the Permissions API in between.
let granted = false;
let watching = false;
const read = () => {
  granted = typeof Notification === 'function' && Notification.permission === 'granted';
};

/** Whether notifications may be shown now. */
export const permitted = () => granted && typeof Notification === 'function';

/** Reads the permission again and starts following its changes. */
export function refreshPermission() {
  read();
  if (!watching) {
    watching = true;
    globalThis.navigator?.permissions?.query({ name: 'notifications' }).then((s) => s.addEventListener('change', read), () => {});
  }
}

/** `Notification.requestPermission()`, or `"unsupported"` without the API. */
export function requestPermission() {
  if (typeof Notification !== 'function') return Promise.resolve('unsupported');
  return Promise.resolve(Notification.requestPermission()).then((answer) => {
    read();
    return answer;
  });
}

const text = (obj, key) => (typeof obj[key] === 'string' ? obj[key] : undefined);

/** Raises and tracks the browser notifications of one context. */
export class Notifier {
  /**
   * A notifier formatting messages with the `notify` option's keys; `onClick(message)` runs
   * when one of its notifications is clicked.
   */
  constructor({ titleKey, bodyKey, icon }, onClick) {
    refreshPermission();
    this.onClick = onClick;
    this.titleKey = titleKey;
    this.bodyKey = bodyKey;
    this.icon = icon ?? undefined;
    this.formatter = null;
    this.shown = [];
  }

  /**
   * Shows `message` of conversation `id` (undefined: none) unless the formatter returns null;
   * call it only when `permitted()`. Throws what a throwing formatter or `Notification` threw.
   */
  show(message, id) {
    const key = id === undefined ? undefined : String(id);
    const content = this.content(message, key);
    if (!content) return;
    const options = {};
    for (const field of ['body', 'icon', 'tag']) if (content[field] !== undefined) options[field] = content[field];
    const notification = new Notification(content.title, options);
    notification.onclick = () => {
      globalThis.focus?.();
      notification.close();
      this.onClick(message);
    };
    if (content.tag !== undefined) this.shown = this.shown.filter((s) => s.tag !== content.tag);
    if (this.shown.length >= MAX_SHOWN) this.shown.shift().notification.close();
    this.shown.push({ key, tag: content.tag, notification });
  }

  /** Closes the notifications shown for conversation `key` (its text form). */
  closeConversation(key) {
    this.shown = this.shown.filter((s) => {
      if (s.key !== key) return true;
      s.notification.close();
      return false;
    });
  }

  /** Detaches every click handler: nothing is called after `free()`. */
  dispose() {
    for (const s of this.shown) s.notification.onclick = null;
    this.shown = [];
  }

  /** The formatter's fields, or the defaults; null when the formatter returned null. */
  content(message, key) {
    const tag = key === undefined ? undefined : 'conversation-' + key;
    if (!this.formatter) {
      return { title: text(message, this.titleKey) ?? 'New message', body: text(message, this.bodyKey), icon: this.icon, tag };
    }
    const made = this.formatter(message);
    if (made == null) return null;
    return { title: text(made, 'title') ?? 'New message', body: text(made, 'body'), icon: text(made, 'icon') ?? this.icon, tag: text(made, 'tag') ?? tag };
  }
}
