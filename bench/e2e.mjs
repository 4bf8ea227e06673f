// Figure 2: server send -> listener call over loopback, for the package and for plain and
// partysocket sockets with the plain-JS router; rounds alternate between them.
import { mkdirSync } from 'node:fs';
import { build } from 'esbuild';
import { openPage } from './lib/browser.mjs';
import { quantile } from './lib/stats.mjs';
import { startStreamServer } from './lib/stream-server.mjs';

const TOTAL = 50_000; // per variant
const ROUNDS = 10;
const RATE = 2_000; // messages/s: what 2 shared cores sustain without a backlog (5,000/s built one)
export const LABELS = {
  plain: 'WebSocket + plain-JS router',
  partysocket: 'partysocket + plain-JS router',
  wasm: 'realtime-context (default options)',
};

export async function e2e(browser, base, root) {
  mkdirSync(`${root}/bench/tmp`, { recursive: true });
  await build({ entryPoints: ['partysocket'], bundle: true, format: 'esm', outfile: `${root}/bench/tmp/partysocket.js`, absWorkingDir: `${root}/bench`, logLevel: 'silent' });
  const per = TOTAL / ROUNDS;
  const server = await startStreamServer(per);
  const { page, errors, close } = await openPage(browser, `${base}/bench/page/index.html`, '/bench/page/e2e.js');
  try {
    const names = Object.keys(LABELS);
    const runs = Object.fromEntries(names.map((n) => [n, { delays: [], offsets: [], drifts: [], rtts: [] }]));
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(r + k) % names.length];
        const res = await page.evaluate((a) => window.mod.round(...a), [name, server.url, per, RATE]);
        if (res.delays.some(Number.isNaN)) throw new Error(`${name}: some messages never reached a listener`);
        runs[name].delays.push(...res.delays);
        runs[name].offsets.push(res.offset);
        runs[name].drifts.push(res.drift);
        runs[name].rtts.push(res.rtt);
      }
    }
    if (errors.length) throw new Error(errors.join('; '));
    const rows = names.map((name) => {
      const { delays, offsets, drifts, rtts } = runs[name];
      return {
        name, label: LABELS[name], messages: delays.length,
        p50: quantile(delays, 0.5), p99: quantile(delays, 0.99), max: Math.max(...delays), min: Math.min(...delays),
        offset: Math.max(...offsets.map(Math.abs)), drift: Math.max(...drifts.map(Math.abs)), rtt: Math.min(...rtts),
      };
    });
    return { total: TOTAL, rounds: ROUNDS, rate: RATE, rows };
  } finally {
    await close();
    await server.close();
  }
}
