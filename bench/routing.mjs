// Figure 1: routing throughput, every client in one page fed through its own socket path (a
// fake WebSocket, each client's own wire format), rounds alternated, medians reported; then a
// CPU profile of one round of each package variant and of the plain-JS router.
import { openPage } from './lib/browser.mjs';
import { median } from './lib/stats.mjs';
import { profile } from './lib/profile.mjs';
import { bundleCompetitors } from './lib/competitors.mjs';

const MESSAGES = 200_000;
const WARMUP = 3;
const ROUNDS = 30;
// A router too slow for 200,000 messages in ROUND_BUDGET_MS (measured by a probe of PROBE
// messages) gets the first `PROBE * k` of the same texts and SLOW_ROUNDS rounds, to keep the budget.
const PROBE = 20_000;
const ROUND_BUDGET_MS = 2_000;
const SLOW_ROUNDS = 5;
export const LABELS = {
  parse: 'JSON.parse alone (ceiling)',
  plain: 'plain-JS router (seed 002)',
  wasm: 'realtime-context (default options)',
  wasmQuiet: 'realtime-context, notify: false',
  socketio: 'socket.io-client',
  centrifuge: 'centrifuge (one channel)',
  centrifugeByType: 'centrifuge (channel per type)',
  phoenix: 'phoenix',
};
/** The routers of the figure (centrifugeByType is there for comparison by hand: BENCH_ROUTERS). */
export const ROUTERS = ['parse', 'plain', 'wasm', 'wasmQuiet', 'socketio', 'centrifuge', 'phoenix'];
/** The routers whose CPU profile the report shows. */
export const PROFILED = ['plain', 'wasm', 'wasmQuiet', 'phoenix'];
/** The competitors' rows, for the targets. */
export const COMPETITOR_ROUTERS = ['socketio', 'centrifuge', 'centrifugeByType', 'phoenix'];

export async function routing(browser, base, glueFile, { root, routers = ROUTERS, rounds = ROUNDS } = {}) {
  await bundleCompetitors(root);
  const { page, cdp, errors, close } = await openPage(browser, `${base}/bench/page/index.html`, '/bench/page/routing.js');
  const prepare = (name, count) => page.evaluate(([n, c]) => window.mod.prepare(n, c), [name, count]);
  const run = (name) => page.evaluate((n) => window.mod.round(n), name);
  try {
    const names = await page.evaluate(([n, list]) => window.mod.setup(n, list), [MESSAGES, routers]);
    const rates = Object.fromEntries(names.map((n) => [n, []]));
    const plan = {};
    for (const name of names) {
      await prepare(name, PROBE);
      const { ms } = await run(name);
      const fits = Math.floor(ROUND_BUDGET_MS / ms) * PROBE;
      plan[name] = fits >= MESSAGES ? { messages: MESSAGES, rounds } : { messages: Math.max(PROBE, fits), rounds: Math.min(rounds, SLOW_ROUNDS) };
    }
    let callsPerRound = 0;
    for (let r = 0; r < WARMUP + rounds; r++) {
      // Rotate the order each round so no router always runs right after the same one.
      for (let k = 0; k < names.length; k++) {
        const name = names[(r + k) % names.length];
        if (r >= WARMUP + plan[name].rounds) continue;
        await prepare(name, plan[name].messages);
        const res = await run(name);
        if (r >= WARMUP) rates[name].push((res.messages / res.ms) * 1000);
        if (name !== 'parse' && res.calls !== res.expected) {
          throw new Error(`${name} made ${res.calls} listener calls for ${res.messages} messages, expected ${res.expected}`);
        }
        if (name === 'plain') callsPerRound = res.calls;
      }
    }
    const profiles = {};
    for (const name of PROFILED.filter((n) => names.includes(n))) {
      await prepare(name, plan[name].messages);
      profiles[name] = await profile(cdp, () => run(name), glueFile);
    }
    if (errors.length) throw new Error(errors.join('; '));
    const rows = names.map((name) => ({
      name, label: LABELS[name], messages: plan[name].messages, rounds: rates[name].length,
      median: median(rates[name]), min: Math.min(...rates[name]), max: Math.max(...rates[name]),
    }));
    // The k-th rate of every router comes from the same round: the ratio of each round, then
    // their median, which the machine's drift between rounds does not move.
    for (const row of rows) {
      const own = rates[row.name];
      row.ratio = median(own.slice(0, rates.plain.length).map((rate, k) => rate / rates.plain[k]));
      // How much faster each package variant is than this competitor, round by round.
      if (COMPETITOR_ROUTERS.includes(row.name)) {
        row.packageOver = {};
        for (const w of ['wasm', 'wasmQuiet'].filter((n) => rates[n])) {
          row.packageOver[w] = median(own.slice(0, rates[w].length).map((rate, k) => rates[w][k] / rate));
        }
      }
    }
    return { messages: MESSAGES, warmup: WARMUP, probe: PROBE, roundBudgetMs: ROUND_BUDGET_MS, listenerCallsPerRound: callsPerRound, mix: await page.evaluate(() => window.mod.mix()), rows, profiles };
  } finally {
    await close();
  }
}
