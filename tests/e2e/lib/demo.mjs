// Helpers for the demo's end-to-end tests: the server's control API, a page per demo user
// with its console errors and browser notifications recorded, and bounded polling.
import assert from 'node:assert/strict';
import { launchChromium } from '../../support/browser.mjs';

export { launchChromium };

/**
 * Polls `probe` (sync or async) until it returns a truthy value; fails after `ms`.
 * `what` (a string, or a function giving one) names the condition in the failure.
 */
export async function until(probe, what, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Calls the demo server's control API: GET with a query, POST with a JSON body. */
export async function control(server, path, body) {
  const url = new URL(`control/${path}`, server.url);
  const init = body ? { method: 'POST', body: JSON.stringify(body) } : {};
  const res = await fetch(url, init);
  assert.ok(res.ok, `control/${path}: HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** Open sockets of `user` on the server: `{realtime, notifications, friendRequests, total, opened}`. */
export const sockets = (server, user) => control(server, `sockets?user=${user}`);

/** Waits until `user`'s open sockets match `expected` (a subset of `sockets()`'s fields). */
export async function untilSockets(server, user, expected) {
  let last;
  await until(async () => {
    last = await sockets(server, user);
    return Object.entries(expected).every(([k, v]) => last[k] === v);
  }, () => `sockets of ${user} to be ${JSON.stringify(expected)} (last: ${JSON.stringify(last)})`);
  return last;
}

// Records every browser notification the page constructs, in window.__notifications.
const RECORD_NOTIFICATIONS = () => {
  const Native = window.Notification;
  window.__notifications = [];
  window.Notification = class extends Native {
    constructor(title, options = {}) {
      super(title, options);
      window.__notifications.push({ title, body: options.body, tag: options.tag });
    }
  };
};

/**
 * Opens the demo for `user` in its own browser context (unified or legacy), with
 * Notification permission granted, and waits until the app is logged in.
 * `allow`: console errors this test provokes on purpose (regexps).
 */
export async function openDemo(browser, server, { user, unified, allow = [] }) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
  await context.grantPermissions(['notifications'], { origin: new URL(server.url).origin });
  await context.addInitScript(RECORD_NOTIFICATIONS);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow.some((re) => re.test(m.text()))) errors.push(m.text());
  });
  await page.goto(`${server.url}?user=${user}&unified=${unified ? 1 : 0}`);
  await page.getByTestId('logout').waitFor();
  return {
    page,
    errors,
    notifications: () => page.evaluate(() => window.__notifications),
    close: () => context.close(),
  };
}
