// realtime-context/react on its own, in a development build under StrictMode, against the
// demo server: never two sockets, re-renders batched per frame, latest callbacks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoServer } from '../../www/server.mjs';
import { control, launchChromium, sockets, until, untilSockets } from './lib/demo.mjs';
import { serveFixture } from './lib/fixture.mjs';

let server, fixture, browser;

before(async () => {
  server = await startDemoServer({ port: 0 });
  fixture = await serveFixture();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await fixture?.close();
  await server?.close();
});

/** Opens the fixture as `user`; returns the page and its console errors. */
async function open(user) {
  const res = await fetch(new URL('api/login', server.url), { method: 'POST', body: JSON.stringify({ user }) });
  const { token } = await res.json();
  const ws = `ws://127.0.0.1:${server.port}/ws/realtime/`;
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${fixture.url}/index.html?ws=${encodeURIComponent(ws)}&token=${token}`);
  await untilSockets(server, user, { realtime: 1 });
  return { page, errors };
}

const one = { realtime: 1, total: 1, opened: 1 };

test('StrictMode and fast remounts never open a second socket; logout closes it', async () => {
  const user = 'react-strict';
  const { page, errors } = await open(user);
  try {
    assert.deepEqual(await sockets(server, user), { ...one, notifications: 0, friendRequests: 0 });
    for (let i = 0; i < 5; i++) {
      const commits = await page.evaluate(() => window.fixture.commits);
      await page.evaluate(() => window.fixture.remount());
      await until(() => page.evaluate((c) => window.fixture.commits > c, commits), 'the remounted tree');
    }
    await untilSockets(server, user, one);
    // The handed-over context carries only the mounted tree's subscriptions.
    await control(server, 'send', { user, frame: { type: 'probe', n: 1 } });
    await control(server, 'send', { user, frame: { type: 'probe', n: 2 } });
    await until(() => page.evaluate(() => window.fixture.seen.includes('first:2')), 'the probes');
    assert.deepEqual(await page.evaluate(() => window.fixture.seen), ['first:1', 'first:2']);
    await page.evaluate(() => window.fixture.logout());
    await untilSockets(server, user, { total: 0, opened: 1 });
    await page.evaluate(() => window.fixture.login());
    await untilSockets(server, user, { total: 1, opened: 2 });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a burst of 1,000 messages re-renders a useUnread() component at most once per frame', async (t) => {
  const user = 'react-burst';
  const { page, errors } = await open(user);
  try {
    const before = await page.evaluate(() => ({ ...window.fixture }));
    await control(server, 'emit', { user, kind: 'message', conversationId: 2, count: 1000 });
    await until(() => page.evaluate(() => window.fixture.unread === 1000), 'unread 1000');
    const after = await page.evaluate(() => ({ ...window.fixture }));
    const commits = after.commits - before.commits;
    const frames = after.frames - before.frames;
    assert.ok(commits >= 1 && commits <= frames + 1, `${commits} commits in ${frames} frames`);
    t.diagnostic(`${commits} commits in ${frames} frames`);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('useRealtimeEvent calls the latest callback', async () => {
  const user = 'react-latest';
  const { page, errors } = await open(user);
  try {
    await control(server, 'send', { user, frame: { type: 'probe', n: 1 } });
    await until(() => page.evaluate(() => window.fixture.seen.length === 1), 'the first probe');
    await page.evaluate(() => window.fixture.relabel('second'));
    await page.getByText('second').waitFor();
    await control(server, 'send', { user, frame: { type: 'probe', n: 2 } });
    await until(() => page.evaluate(() => window.fixture.seen.length === 2), 'the second probe');
    assert.deepEqual(await page.evaluate(() => window.fixture.seen), ['first:1', 'second:2']);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
