// Writes bench/RESULTS.md and one SVG chart per figure from a run's measured results.
import { mkdirSync, writeFileSync } from 'node:fs';
import { barChart } from './svg.mjs';

const int = (n) => Math.round(n).toLocaleString('en-US');
const rate = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(1)} k/s`);
const ms = (n) => `${n.toFixed(2)} ms`;
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const load = (r) => `Load average (1 min) before/after this figure: ${r.load.map((l) => l.toFixed(2)).join(' / ')}; took ${r.seconds.toFixed(0)} s.`;
const failedText = (r) => `**This figure failed in this run:**\n\n\`\`\`\n${r.error}\n\`\`\``;

export function writeReport(results, dir) {
  mkdirSync(`${dir}/charts`, { recursive: true });
  const charts = {};
  const section = (name, body) => (results[name]?.error ? failedText(results[name]) : body(results[name]));
  const md = [
    '# Benchmark results',
    'Written by `npm run bench` (bench/run.mjs); every run overwrites this file and `charts/`. All figures below come from ' +
      'one run on one machine; the raw numbers are in `bench/tmp/results.json`. The machine is shared with other work, ' +
      'so each section gives the load average around it.',
    machineSection(results.machine),
    targetsSection(results),
    '## 1. Routing throughput (no network)',
    section('routing', (r) => routingSection(r, charts)),
    '## 2. End to end over loopback: server send → listener call',
    section('e2e', (r) => e2eSection(r, charts)),
    '## 3. Size (gzipped)',
    section('size', (r) => sizeSection(r, charts)),
    '## 4. Memory',
    section('memory', (r) => memorySection(r, charts)),
    '## 5. Reconnect storm (native simulation)',
    section('storm', (r) => stormSection(r, charts)),
  ].join('\n\n');
  writeFileSync(`${dir}/RESULTS.md`, md + '\n');
  for (const [name, svg] of Object.entries(charts)) writeFileSync(`${dir}/charts/${name}.svg`, svg);
}

function machineSection(m) {
  return table(['', ''], [
    ['date', m.date], ['CPU', `${m.cpu}, nproc ${m.nproc}`], ['memory', m.memory], ['Node', m.node],
    ['Chromium', `${m.chromium} (headless, playwright-core)`], ['rustc', m.rustc], ['wasm-bindgen', m.wasmBindgen],
  ]);
}

function targetsSection(results) {
  const rows = [];
  const r = results.routing, e = results.e2e, s = results.size;
  if (r && !r.error) {
    for (const w of r.rows.filter((x) => x.name.startsWith('wasm'))) {
      rows.push([`routing ≥ plain-JS router: ${w.label}`, `${w.ratio.toFixed(2)}x`, w.ratio >= 1 ? 'met' : 'not met']);
    }
  }
  if (e && !e.error) {
    const p = e.rows.find((x) => x.name === 'plain'), w = e.rows.find((x) => x.name === 'wasm');
    const d = w.p99 - p.p99;
    rows.push(['p99 within 1 ms of the plain-JS page', `${ms(w.p99)} vs ${ms(p.p99)} (${d >= 0 ? '+' : ''}${ms(d)})`, d <= 1 ? 'met' : 'not met']);
  }
  if (s && !s.error) {
    const ours = s.rows[0];
    rows.push(['total size < 25 KB (25,000 B) gzipped', `${int(ours.gz)} B`, ours.gz < 25_000 ? 'met' : 'not met']);
    rows.push(['stretch: total size < 20 KB (20,000 B) gzipped', `${int(ours.gz)} B`, ours.gz < 20_000 ? 'met' : 'not met']);
  }
  return '## Targets\n\n' + table(['target', 'measured', ''], rows);
}

function routingSection(r, charts) {
  charts.routing = barChart({
    title: 'Routing throughput (messages/s, median)', note: `${int(r.messages)} JSON messages per round, ratios vs the plain-JS router`,
    series: ['messages/s'], rows: r.rows.map((x) => ({ label: x.label, values: [x.median], texts: [`${rate(x.median)}  (${x.ratio.toFixed(2)}x)`] })),
  });
  const profile = (name, p) => `**${name}** (${ms(p.totalMs)} sampled):\n\n` +
    table(['function · file', 'self time', 'share'], p.top.map((t) => [`\`${t.fn}\``, ms(t.ms), pct(t.share)]));
  return [
    `The same ${int(r.messages)} JSON texts (5 types, 20 conversations, 150–250 bytes; ${int(r.listenerCallsPerRound)} listener calls ` +
      'per round from 1–2 listeners per type) fed as strings to each router in one page, bypassing the network: the package ' +
      'through `receive(text)`, the plain-JS router through the `onmessage` handler of seed 002 (JSON.parse + an object of ' +
      `listener arrays). ${r.warmup} warm-up rounds, then rounds in rotating order with a forced GC before each; every round ` +
      'checks the listener-call count. "vs plain-JS" is the median over rounds of each round\'s ratio, which drift of the shared ' +
      'machine between rounds does not move. `notify: false` turns off the unread counts and browser notifications, which the ' +
      'plain-JS router does not have; the default options keep them (on `new_message`, 40% of the mix).' +
      (r.rows.some((x) => x.messages < r.messages)
        ? ` A router that a probe of ${int(r.probe)} messages showed too slow for ${int(r.messages)} within ${r.roundBudgetMs / 1000} s ` +
          'gets the first texts only and fewer rounds, as its row says.'
        : ''),
    table(['router', 'messages per round', 'rounds', 'median', 'per message', 'min – max', 'vs plain-JS'], r.rows.map((x) => [
      x.label, int(x.messages), x.rounds, rate(x.median), `${int(1e9 / x.median)} ns`, `${rate(x.min)} – ${rate(x.max)}`,
      `${x.ratio.toFixed(2)}x`,
    ])),
    '![routing](charts/routing.svg)',
    'Where the time goes: a Chrome CPU profile (CDP Profiler, 50 µs sampling) of one round of each, self time by function. ' +
      'Builtins such as `JSON.parse` count as self time of their JS caller; wasm functions are unnamed in the release build ' +
      '(no name section), so they show as `wasm-function[N]`.',
    profile('plain-JS router', r.profiles.plain),
    profile('realtime-context (default options)', r.profiles.wasm),
    profile('realtime-context, notify: false', r.profiles.wasmQuiet),
    load(r),
  ].join('\n\n');
}

function e2eSection(r, charts) {
  charts.e2e = barChart({
    title: 'Server send → listener call over loopback', note: `${int(r.rate)} messages/s; p50 and p99 (max in the label)`,
    series: ['p50', 'p99'],
    rows: r.rows.map((x) => ({ label: x.label, values: [x.p50, x.p99], texts: [ms(x.p50), `${ms(x.p99)}  (max ${ms(x.max)})`] })),
  });
  return [
    `A Node \`ws\` server on 127.0.0.1 streams the benchmark's messages at ${int(r.rate)} messages/s (a 1 ms timer sends what ` +
      'is due) to a page; each message carries its send time, read from `performance.timeOrigin + performance.now()` just ' +
      'before `ws.send`. The delay is taken in the first listener of the message\'s type. ' +
      `${r.rounds} rounds alternate between the variants; each round opens a new connection, streams ${int(r.total / r.rounds)} messages ` +
      'and closes. The package runs with its default options (heartbeat off); the other two use the seed-002 router.',
    '**Clock method.** Page and server read the same kind of clock (`performance.timeOrigin + performance.now()`; the page is ' +
      'cross-origin isolated, so its timer has 5 µs resolution), but the two time origins need not agree to a millisecond. ' +
      'So before each round the page syncs over the same socket and router it is about to measure: 30 pings carry the page ' +
      'time out, the server stamps its time into the reply, and the sample with the smallest round trip gives ' +
      'offset = server − (sent + received)/2, accurate to ± half that round trip. Delay = page time + offset − send time. ' +
      'A second sync after the stream measures the drift.',
    table(['variant', 'messages', 'p50', 'p99', 'max', 'min', 'max abs. offset', 'max drift', 'min sync RTT'], r.rows.map((x) => [
      x.label, int(x.messages), ms(x.p50), ms(x.p99), ms(x.max), ms(x.min), ms(x.offset), ms(x.drift), ms(x.rtt),
    ])),
    '![e2e](charts/e2e.svg)',
    load(r),
  ].join('\n\n');
}

function sizeSection(r, charts) {
  const ours = r.rows[0];
  charts.size = barChart({
    title: 'Size: bundled, minified, gzip -9', note: 'esbuild --bundle --minify --format=esm, react external; ours includes the .wasm',
    series: ['bytes gz'], rows: r.rows.map((x) => ({ label: x.name, values: [x.gz], texts: [`${int(x.gz)} B`] })),
    marker: { value: 25_000, label: 'target 25 KB' },
  });
  const parts = `${int(ours.parts.wasm)} B wasm + ${int(ours.parts.glue)} B JS (the shell in js/ with the wasm-bindgen glue)` + (r.react ? ` + ${int(ours.parts.react)} B React layer` : '');
  return [
    'Each library bundled from the import an app would write (below) with esbuild `--bundle --minify --format=esm` ' +
      '(react and react-dom external), then `gzip -9 -n`. ' +
      (r.react ? 'The package\'s React layer (`react/index.js`) existed at this run and is included.' : '**`react/index.js` did not exist at this run: the package row has no React layer.**'),
    table(['library', 'version', 'entry', 'minified', 'gzipped'], r.rows.map((x) => [
      x.name, x.version ?? 'this repo', `\`${x.shown ?? x.entry}\``, `${int(x.raw)} B`, `**${int(x.gz)} B** (${kib(x.gz)})`,
    ])),
    `realtime-context: ${parts}.`,
    'Raw bytes per section of the .wasm: ' + Object.entries(ours.sections).map(([k, v]) => `${k} ${int(v)}`).join(', ') + '.',
    '![size](charts/size.svg)',
    load(r),
  ].join('\n\n');
}

function memorySection(r, charts) {
  charts.memory = barChart({
    title: 'Memory after forced GC', note: 'JS heap used (CDP Runtime.getHeapUsage) and wasm linear memory, KiB',
    series: ['JS heap after setup', `after ${r.messages / 1e6}M messages`, `after ${r.cycles / 1e3}k sub/unsub cycles`, 'wasm memory'],
    format: (b) => kib(b),
    rows: r.rows.map((x) => ({ label: x.label, values: [x.start.heap, x.routed.heap, x.cycled.heap, x.cycled.wasm] })),
  });
  return [
    'Each router in its own fresh page (so neither heap holds the other). After a forced GC (CDP `HeapProfiler.collectGarbage`, ' +
      `twice) the JS heap in use (\`Runtime.getHeapUsage\`) and the wasm memory (\`memory.buffer.byteLength\` of the exports \`init()\` ` +
      `returns) are read: after setup with the listeners attached, after routing ${int(r.messages)} messages (made on the fly, ` +
      `1,000 at a time, so the texts are not on the heap), and after ${int(r.cycles)} mount/unmount cycles (subscribe a type ` +
      'listener and a listener on a new conversation id, then unsubscribe both). The plain-JS router keys conversations ' +
      'in the same object of arrays, as a hand-written extension of seed 002 would. The package runs with its default ' +
      'options (heartbeat off).',
    table(['router', 'blank page', 'after setup', `after ${int(r.messages)} messages`, `after ${int(r.cycles)} cycles`, 'growth from setup', 'wasm memory (setup → end)'],
      r.rows.map((x) => [
        x.label, kib(x.empty.heap), kib(x.start.heap), kib(x.routed.heap), kib(x.cycled.heap), kib(x.cycled.heap - x.start.heap),
        x.start.wasm == null ? '–' : `${kib(x.start.wasm)} → ${kib(x.cycled.wasm)}`,
      ])),
    '![memory](charts/memory.svg)',
    load(r),
  ].join('\n\n');
}

function stormSection(r, charts) {
  charts.storm = barChart({
    title: `Reconnect storm: ${int(r.clients)} clients lose the server at once`,
    note: `most attempts starting in any ${r.windowMs} ms window; server down ${r.downMs / 1000} s`,
    series: ['peak, whole storm', 'peak after the server is back'],
    rows: r.policies.map((p) => ({ label: p.policy.split(':')[0], values: [p.peak, p.peakAfterUp] })),
    format: int,
  });
  return [
    '`cargo run --release --example reconnect_storm` (examples/reconnect_storm.rs) drives `realtime_context::core::backoff` ' +
      `natively. Model: ${int(r.clients)} clients all see the connection drop at t = 0; the server is down for ` +
      `${r.downMs / 1000} s, so an attempt starting before then fails after ${r.failedAttemptMs} ms (refused) and one starting ` +
      'later succeeds; each client retries exactly as the connection state machine does (retry k waits `Backoff::delay(k)`, ' +
      'giving up after `max_attempts` failed attempts); client i\'s jitter seed is i. The seeds\' policies are expressed as ' +
      '`Schedule::Fixed` with no jitter. Peak = most attempts starting in any sliding ' + `${r.windowMs} ms window.`,
    table(['policy', `peak / ${r.windowMs} ms`, 'peak after the server is back', 'attempts', 'gave up', 'last client back'], r.policies.map((p) => [
      p.policy, int(p.peak), int(p.peakAfterUp), int(p.attempts), int(p.gaveUp), p.lastBackMs == null ? 'never' : `${(p.lastBackMs / 1000).toFixed(1)} s`,
    ])),
    '![storm](charts/storm.svg)',
    load(r),
  ].join('\n\n');
}
