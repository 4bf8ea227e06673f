// The browser suite (tests/web.rs, wasm-bindgen-test) in headless Chromium and then Firefox,
// each through `wasm-pack test --headless` against the real test server (tests/support/server.mjs)
// on a free port of 127.0.0.1, whose address the suite gets at compile time in REALTIME_TEST_WS.
// Each engine is a subtest that fails on a non-zero exit; each Rust test becomes a subtest of it.
//
// Profiles: wasm-bindgen-test-runner starts the driver and asks it for a new session with the
// capabilities of webdriver.json (which grants notifications) plus its headless flags. It passes
// no profile, so geckodriver makes a fresh temporary Firefox profile for every session and
// removes it afterwards, and ChromeDriver does the same with a temporary user-data-dir: every
// run starts clean. The suite's server rooms carry a per-page suffix, so one server serves both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './support/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// binaryen's wasm-opt (never Debian's /usr/bin/wasm-opt) and the cargo-installed tools first.
const PATH = [join(ROOT, 'node_modules/.bin'), join(homedir(), '.cargo/bin'), process.env.PATH].join(':');
// The longest a whole engine run may take: a cold compile of the test crate on two shared
// cores, then the suite (wasm-bindgen-test-runner's own limit for the page is set below).
const ENGINE_TIMEOUT_MS = 30 * 60_000;
const PAGE_TIMEOUT_S = 900;

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8', env: { ...process.env, PATH } }).stdout.trim() || null;

/** Fails loudly when a tool is missing (scripts/setup.sh installs them). */
function need(path, what) {
  if (!path || !existsSync(path)) throw new Error(`${what} not found (${path ?? 'not on PATH'}): run scripts/setup.sh`);
  return path;
}

// Per engine: wasm-pack's flags and the one driver variable wasm-bindgen-test-runner may see
// (with several set it picks geckodriver; with none, the first driver on PATH).
const ENGINES = {
  chromium: () => {
    need('/usr/bin/chromium', 'Chromium');
    const driver = need('/usr/bin/chromedriver', 'ChromeDriver');
    return { flags: ['--chrome', '--chromedriver', driver], env: { CHROMEDRIVER: driver } };
  },
  firefox: () => {
    need(which('firefox') ?? which('firefox-esr'), 'Firefox');
    const driver = need(which('geckodriver') ?? join(homedir(), '.cargo/bin/geckodriver'), 'geckodriver');
    return { flags: ['--firefox', '--geckodriver', driver], env: { GECKODRIVER: driver } };
  },
};

/** How many tests tests/web.rs and its modules declare. */
function declaredTests() {
  const files = [join(ROOT, 'tests/web.rs'), ...readdirSync(join(ROOT, 'tests/web')).filter((f) => f.endsWith('.rs')).map((f) => join(ROOT, 'tests/web', f))];
  return files.reduce((n, file) => n + (readFileSync(file, 'utf8').match(/^\s*#\[wasm_bindgen_test\]/gm) ?? []).length, 0);
}

/** Runs wasm-pack with `env` added; resolves to its exit code and its whole output. */
function wasmPack(args, env) {
  const childEnv = { ...process.env, PATH, ...env };
  for (const name of ['CHROMEDRIVER', 'GECKODRIVER', 'SAFARIDRIVER', 'MSEDGEDRIVER']) {
    if (!(name in env)) delete childEnv[name];
    delete childEnv[`${name}_REMOTE`];
  }
  return new Promise((resolve, reject) => {
    // Not spawnSync: the test server lives in this process and must keep answering meanwhile.
    const child = spawn(need(which('wasm-pack'), 'wasm-pack'), args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? signal, output }));
  });
}

/** wasm-bindgen-test's report: the number run, each test's result and failure text, the summary. */
function report(output) {
  const running = output.match(/^running (\d+) tests?$/m);
  const results = [...output.matchAll(/^test (\S+) \.\.\. (ok|FAIL|ignored.*)$/gm)].map(([, name, result]) => ({ name, result }));
  const failure = (name) => {
    const start = output.indexOf(`---- ${name} output ----`);
    if (start < 0) return '(no failure output)';
    const rest = output.slice(start);
    const end = rest.slice(1).search(/^(---- |failures:)/m);
    return end < 0 ? rest : rest.slice(0, end + 1);
  };
  const summary = output.match(/^test result: .*$/m)?.[0] ?? null;
  return { ran: running ? Number(running[1]) : null, results, failure, summary };
}

const tail = (text, lines = 80) => text.trimEnd().split('\n').slice(-lines).join('\n');

test('wasm-bindgen-test browser suite', { timeout: 2 * ENGINE_TIMEOUT_MS }, async (t) => {
  const server = await startServer();
  const declared = declaredTests();
  try {
    for (const [name, engine] of Object.entries(ENGINES)) {
      await t.test(name, { timeout: ENGINE_TIMEOUT_MS }, async (st) => {
        const { flags, env } = engine();
        const { code, output } = await wasmPack(['--log-level', 'warn', 'test', '--headless', ...flags, '--', '--test', 'web'], {
          ...env,
          REALTIME_TEST_WS: server.url,
          WASM_BINDGEN_TEST_TIMEOUT: String(PAGE_TIMEOUT_S),
        });
        const { ran, results, failure, summary } = report(output);
        st.diagnostic(`${summary ?? 'no wasm-bindgen-test summary'} (server ${server.url})`);
        for (const { name: testName, result } of results) {
          await st.test(testName, () => {
            if (result === 'FAIL') assert.fail(failure(testName));
          });
        }
        assert.equal(code, 0, `wasm-pack test exited with ${code}:\n${tail(output)}`);
        assert.equal(ran, declared, `wasm-bindgen-test ran ${ran} tests; tests/web.rs declares ${declared}:\n${tail(output)}`);
        assert.equal(results.length, declared, `${results.length} results reported for ${declared} tests`);
      });
    }
  } finally {
    await server.close();
  }
});
