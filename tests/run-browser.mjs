// Runs the wasm-bindgen-test suite (tests/web.rs) in each browser named on the command line
// (chrome, firefox) against a real test server on 127.0.0.1; exits non-zero if any run fails.
import { spawn, spawnSync } from 'node:child_process';
import { startServer } from './support/server.mjs';

const drivers = {
  chrome: ['--chrome', '--chromedriver', '/usr/bin/chromedriver'],
  firefox: ['--firefox', '--geckodriver', which('geckodriver')],
};

function which(cmd) {
  const found = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return found.stdout.trim() || cmd;
}

const browsers = process.argv.slice(2);
let failed = [];
for (const browser of browsers) {
  // A fresh server per browser: its per-room socket counts start at zero.
  const server = await startServer();
  try {
    console.log(`\n== wasm-bindgen-test in ${browser} against ${server.url}`);
    const env = { ...process.env, REALTIME_TEST_WS: server.url };
    delete env.CHROMEDRIVER;
    delete env.GECKODRIVER;
    // Not spawnSync: the server lives in this process and must keep answering meanwhile.
    const child = spawn('wasm-pack', ['--log-level', 'warn', 'test', '--headless', ...drivers[browser], '--', '--test', 'web', '--test', 'notifications'], { stdio: 'inherit', env });
    const code = await new Promise((done) => child.on('close', done));
    if (code !== 0) failed.push(browser);
  } finally {
    await server.close();
  }
}
if (failed.length) {
  console.error(`browser tests failed in: ${failed.join(', ')}`);
  process.exit(1);
}
