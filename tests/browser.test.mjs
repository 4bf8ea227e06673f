// The in-page browser suite (tests/browser/index.html) in headless Chromium and Firefox, each
// driven through WebDriver classic over HTTP (chromedriver / geckodriver) against a fresh test
// server and a static server for the repository, all on 127.0.0.1. Every in-page test becomes
// its own subtest of its engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './support/server.mjs';
import { startStatic } from './support/browser.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CAPABILITIES = JSON.parse(readFileSync(join(ROOT, 'webdriver.json'), 'utf8'));
const SUITE_TIMEOUT_MS = 120_000;

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;

/** Fails loudly when a browser or driver is missing (scripts/setup.sh installs them). */
function need(path, what) {
  if (!path || !existsSync(path)) throw new Error(`${what} not found (${path ?? 'not on PATH'}): run scripts/setup.sh`);
  return path;
}

// Per engine: the driver's command line for a port, and the session's capabilities (with a
// clean-up where the session leaves something behind).
const ENGINES = {
  chromium: {
    driver: (port) => [need('/usr/bin/chromedriver', 'ChromeDriver'), [`--port=${port}`]],
    async session() {
      need('/usr/bin/chromium', 'Chromium');
      const profile = await mkdtemp(join(tmpdir(), 'realtime-chromium-'));
      const options = CAPABILITIES['goog:chromeOptions'];
      return {
        capabilities: { 'goog:chromeOptions': { ...options, args: [...options.args, `--user-data-dir=${profile}`] } },
        cleanup: () => rm(profile, { recursive: true, force: true, maxRetries: 5 }),
      };
    },
  },
  firefox: {
    driver: (port) => [
      need(which('geckodriver') ?? join(homedir(), '.cargo/bin/geckodriver'), 'geckodriver'),
      ['--host', '127.0.0.1', '--port', String(port)],
    ],
    async session() {
      const binary = need(which('firefox-esr') ?? which('firefox'), 'Firefox');
      const options = CAPABILITIES['moz:firefoxOptions'];
      return {
        capabilities: { 'moz:firefoxOptions': { ...options, args: ['-headless'], binary } },
      };
    },
  },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spawns a WebDriver server on a free port of 127.0.0.1 and waits until it is ready. */
async function startDriver(commandLine) {
  const port = await freePort();
  const [program, args] = commandLine(port);
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk) => { log = (log + chunk).slice(-4000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const driver = {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`${program} exited with ${child.exitCode}:\n${log}`);
    const ready = await fetch(`${driver.url}/status`).then((r) => r.json()).then((r) => r.value?.ready, () => false);
    if (ready) return driver;
    if (waited > 10_000) {
      await driver.stop();
      throw new Error(`${program} not ready after 10 s:\n${log}`);
    }
    await sleep(100);
  }
}

/** One WebDriver classic command; throws with the driver's error. */
async function command(driver, method, path, body) {
  const response = await fetch(driver.url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = await response.json();
  if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${value?.error}: ${value?.message}\n${driver.log()}`);
  return value;
}

/** Loads the suite page and polls until it has results (or failed to load the suite). */
async function runSuite(driver, session, page) {
  await command(driver, 'POST', `/session/${session}/url`, { url: page });
  const script = 'return [window.__results ?? null, window.__error ?? null];';
  for (let waited = 0; waited < SUITE_TIMEOUT_MS; waited += 250) {
    const [results, error] = await command(driver, 'POST', `/session/${session}/execute/sync`, { script, args: [] });
    if (error) throw new Error(`the suite page failed: ${error}`);
    if (results) return results;
    await sleep(250);
  }
  throw new Error(`no results from the suite page after ${SUITE_TIMEOUT_MS} ms`);
}

for (const [name, engine] of Object.entries(ENGINES)) {
  test(name, { timeout: SUITE_TIMEOUT_MS + 60_000 }, async (t) => {
    let server, files, driver, session, cleanup, results;
    try {
      // A fresh test server per engine: its per-room socket counts start at zero.
      server = await startServer();
      files = await startStatic(ROOT);
      driver = await startDriver(engine.driver);
      const setup = await engine.session();
      cleanup = setup.cleanup;
      ({ sessionId: session } = await command(driver, 'POST', '/session', { capabilities: { alwaysMatch: setup.capabilities } }));
      results = await runSuite(driver, session, `${files.url}/tests/browser/index.html?ws=${encodeURIComponent(server.url)}`);
    } finally {
      if (session) await command(driver, 'DELETE', `/session/${session}`).catch((e) => t.diagnostic(String(e)));
      await driver?.stop();
      await cleanup?.();
      await files?.close();
      await server?.close();
    }
    assert.ok(results.length > 0, 'the page ran no tests');
    for (const result of results) {
      await t.test(result.name, (st) => {
        st.diagnostic(`${result.ms} ms in the page`);
        if (!result.ok) assert.fail(result.error);
      });
    }
  });
}
