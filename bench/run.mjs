// npm run bench: every figure measured in one run on this machine, written to bench/RESULTS.md
// and bench/charts/*.svg (both overwritten). Exits non-zero if any figure failed.
//
// For development, `BENCH_ONLY=routing,memory node bench/run.mjs` runs only those figures (of
// storm, size, routing, e2e, memory, handover) and writes bench/tmp/partial/ instead (RESULTS.md, charts,
// results.json), leaving bench/RESULTS.md alone. BENCH_PACKAGE=DIR measures the package built in
// DIR (its pkg/, js/ and react/) instead of this checkout's; BENCH_ROUTERS=plain,wasm,… picks
// the routers of figure 1 and BENCH_ROUNDS its rounds.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const bench = `${root}/bench`;
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const source = process.env.BENCH_PACKAGE ?? root;
const out = only ? `${bench}/tmp/partial` : bench;
const log = (...a) => console.log('[bench]', ...a);

if (!existsSync(`${bench}/node_modules/.package-lock.json`)) {
  log('installing the competitor libraries and esbuild (npm ci in bench/)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: bench, stdio: 'inherit' });
}
// Imported only now: they need bench/node_modules.
const { launch } = await import('./lib/browser.mjs');
const { serveStatic } = await import('./lib/serve.mjs');
const { machine } = await import('./lib/machine.mjs');
const { writeReport } = await import('./lib/report.mjs');
const { storm } = await import('./storm.mjs');
const { size } = await import('./size.mjs');
const { routing } = await import('./routing.mjs');
const { e2e } = await import('./e2e.mjs');
const { memory } = await import('./memory.mjs');
const { handover } = await import('./handover.mjs');

// A snapshot of the freshly built package (pkg/, the JS shell js/ and react/, which import each
// other by relative paths), so a concurrent rebuild cannot swap the package mid-run.
const snapshot = `${bench}/tmp/snapshot`;
const pkg = `${snapshot}/pkg`;
rmSync(snapshot, { recursive: true, force: true });
mkdirSync(snapshot, { recursive: true });
for (const dir of ['pkg', 'js', 'react']) {
  if (existsSync(`${source}/${dir}`)) cpSync(`${source}/${dir}`, `${snapshot}/${dir}`, { recursive: true });
}

const results = {};
let failed = false;
async function figure(name, body) {
  if (only && !only.includes(name)) return;
  const start = Date.now();
  const load = [loadavg()[0]];
  log(`${name}...`);
  try {
    results[name] = await body();
  } catch (e) {
    failed = true;
    results[name] = { error: String(e.stack ?? e) };
    console.error(`[bench] ${name} failed:`, e);
  }
  load.push(loadavg()[0]);
  Object.assign(results[name], { seconds: (Date.now() - start) / 1000, load });
  log(`${name} done in ${results[name].seconds.toFixed(0)} s`);
}

const web = await serveStatic(root, { '/pkg/': pkg, '/js/': `${snapshot}/js` });
const browser = await launch();
try {
  results.machine = machine(browser.version());
  await figure('storm', () => storm(root));
  await figure('size', () => size(root, snapshot, existsSync(`${source}/Cargo.toml`) ? source : root));
  const routers = process.env.BENCH_ROUTERS?.split(',');
  const rounds = process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : undefined;
  await figure('routing', () => routing(browser, web.url, `${pkg}/realtime_context.js`, { root, routers, rounds }));
  await figure('e2e', () => e2e(browser, web.url, root));
  await figure('memory', () => memory(browser, web.url));
  await figure('handover', () => handover(browser, web.url));
} finally {
  await browser.close();
  await web.close();
}
mkdirSync(out, { recursive: true });
writeFileSync(only ? `${out}/results.json` : `${bench}/tmp/results.json`, JSON.stringify(results, null, 2));
writeReport(results, out);
log(`wrote ${out.slice(root.length + 1)}/RESULTS.md and its charts/`);
process.exit(failed ? 1 : 0);
