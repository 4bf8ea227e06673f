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
  const section = (name, body) => (!results[name] ? '_Not run in this run._' : results[name].error ? failedText(results[name]) : body(results[name]));
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
    '## 6. Tab hand-over',
    section('handover', handoverSection),
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

/** The targets: routing, size and memory; p99 from the earlier ones. */
export const SIZE_TARGET = 32_000;
const ROUTING_TARGET = 0.6;
const HANDOVER_TARGET_MS = 1000;

function targetsSection(results) {
  const rows = [];
  const r = results.routing, e = results.e2e, s = results.size, m = results.memory, h = results.handover;
  const ok = (b) => (b ? 'met' : 'not met');
  if (r && !r.error) {
    const w = r.rows.find((x) => x.name === 'wasm');
    const q = r.rows.find((x) => x.name === 'wasmQuiet');
    if (w) rows.push([`routing ≥ ${ROUTING_TARGET.toFixed(2)}x the plain-JS router: ${w.label}`, `${w.ratio.toFixed(2)}x`, ok(w.ratio >= ROUTING_TARGET)]);
    if (q) rows.push([`(for comparison) ${q.label} vs the plain-JS router`, `${q.ratio.toFixed(2)}x`, '']);
    for (const c of r.rows.filter((x) => x.packageOver?.wasm != null)) {
      const goal = c.name === 'phoenix' ? 'goal: ' : '';
      rows.push([`${goal}routing faster than ${c.label} (default options)`, `${c.packageOver.wasm.toFixed(2)}x its rate`, ok(c.packageOver.wasm > 1)]);
    }
  }
  if (e && !e.error) {
    const p = e.rows.find((x) => x.name === 'plain'), w = e.rows.find((x) => x.name === 'wasm');
    const d = w.p99 - p.p99;
    rows.push(['p99 within 1 ms of the plain-JS page', `${ms(w.p99)} vs ${ms(p.p99)} (${d >= 0 ? '+' : ''}${ms(d)})`, ok(d <= 1)]);
  }
  if (s && !s.error) {
    const ours = s.rows[0];
    rows.push([`total size ≤ ${SIZE_TARGET / 1000} KB (${int(SIZE_TARGET)} B) gzipped: wasm + glue + React layer`, `${int(ours.gz)} B`, ok(ours.gz <= SIZE_TARGET)]);
  }
  if (m && !m.error) {
    const w = m.rows.find((x) => x.name === 'wasm');
    if (w) {
      rows.push([`wasm memory flat over ${int(m.cycles)} subscribe/unsubscribe cycles and ${int(m.reconnects)} reconnects`,
        `${kib(w.routed.wasm)} → ${kib(w.cycled.wasm)} (→ ${kib(w.cycledAgain.wasm)} after as many more) → ${kib(w.reconnected.wasm)}`,
        ok(w.routed.wasm === w.cycled.wasm && w.cycled.wasm === w.cycledAgain.wasm && w.cycledAgain.wasm === w.reconnected.wasm)]);
    }
  }
  if (h && !h.error) {
    const tabs = h.rows[1];
    rows.push([`a new leader within ${HANDOVER_TARGET_MS / 1000} s of the leader tab closing (every tab open again, slowest of ${h.rounds} rounds)`, ms(tabs.max), ok(tabs.max <= HANDOVER_TARGET_MS)]);
  }
  return '## Targets\n\n' + table(['target', 'measured', ''], rows);
}

function routingSection(r, charts) {
  const plainMedian = r.rows.find((x) => x.name === 'plain')?.median;
  charts.routing = barChart({
    title: 'Routing throughput through each client\'s socket (messages/s, median)',
    note: `${int(r.messages)} messages per round, each client in its own wire format; ratios vs the plain-JS router`,
    series: ['messages/s'], rows: r.rows.map((x) => ({ label: x.label, values: [x.median], texts: [`${rate(x.median)}  (${x.ratio.toFixed(2)}x)`] })),
    marker: plainMedian ? { value: ROUTING_TARGET * plainMedian, label: `target ${ROUTING_TARGET.toFixed(2)}x plain` } : null,
  });
  const profile = (name, p) => `**${name}** (${ms(p.totalMs)} sampled):\n\n` +
    table(['function · file', 'self time', 'share'], p.top.map((t) => [`\`${t.fn}\``, ms(t.ms), pct(t.share)]));
  const mix = r.mix.types.map((t) => `\`${t.type}\` ${(t.share * 100).toFixed(0)}% (${t.listeners} listener${t.listeners > 1 ? 's' : ''})`).join(', ');
  const competitors = r.rows.filter((x) => x.packageOver);
  const label = (name) => r.rows.find((x) => x.name === name)?.label ?? name;
  return [
    `The same ${int(r.messages)} JSON messages (150–250 bytes, 20 conversations; ${mix}; ${int(r.listenerCallsPerRound)} listener ` +
      'calls per round) routed by each client in one page, each fed through its real `onmessage` path: a fake `WebSocket` ' +
      '(bench/page/fake-socket.js) is installed as `globalThis.WebSocket` before any client loads, each client makes its ' +
      'socket itself (`new WebSocket(url)`, `binaryType`, the `on…` handlers) and completes its handshake with a fake server ' +
      'of its own protocol, and a round then calls that socket\'s `onmessage({data})` with one frame per message, in the ' +
      'client\'s wire format. The fake servers answer heartbeats as real ones do, and every round checks that each client ' +
      'is still on its first socket. Every notification carries a new id (the package\'s in-app store keeps the newest 200).',
    '- **realtime-context**: the app\'s JSON text per frame, `rt.on(type, cb)`; default options (heartbeat, reconnect, ' +
      'notify on `new_message`: unread counts and browser notifications, the notification store; the headless page is visible ' +
      'and has notification permission "default", so no browser notification is shown), and `notify: false`, which turns off ' +
      'the unread counts and browser notifications that no other client here has (the notification store stays).\n' +
      '- **plain-JS router** (seed 002, the 1.00x reference): `ws.onmessage` = JSON.parse + an object of listener arrays.\n' +
      '- **socket.io-client**: Engine.IO v4 over WebSocket only (`transports: [\'websocket\']`), the open packet `0{…}` and ' +
      'the namespace connect `40`, then `42["type",message]` per message, `socket.on(type, cb)`.\n' +
      '- **centrifuge**: the JSON protocol (connect and subscribe replies), then `{"push":{"channel":…,"pub":{"data":message}}}` ' +
      'per message. ' + (r.rows.some((x) => x.name === 'centrifuge') ? `"${label('centrifuge')}": one subscription to the user's channel whose \`publication\` handler routes \`ctx.data\` by type through the plain router's listener table. ` : '') +
      (r.rows.some((x) => x.name === 'centrifugeByType') ? `"${label('centrifugeByType')}": one subscription per type, \`sub.on('publication', ctx => cb(ctx.data))\`. ` : '') + '\n' +
      '- **phoenix**: `Socket` + one channel (join reply), then `[join_ref, null, topic, "type", message]` frames (serializer ' +
      'v2), `channel.on(type, cb)`.\n' +
      '- **JSON.parse alone**: the ceiling, `JSON.parse(event.data)` and nothing else.',
    `Every ${int(r.mix.chunk)} frames a round yields one task (a MessageChannel message), so work a client defers to ` +
      'microtasks (socket.io-client dispatches each packet in one, centrifuge chains promises per frame) runs inside the ' +
      'timed round, and the round ends once every listener call has been made. The frames are made anew before each round ' +
      `(untimed), so the page holds one set at a time. ${r.warmup} warm-up rounds, then rounds in rotating order with a forced ` +
      'GC before each; every round checks the listener-call count. "vs plain-JS" is the median over rounds of each round\'s ' +
      'ratio, which drift of the shared machine between rounds does not move.' +
      (r.rows.some((x) => x.messages < r.messages)
        ? ` A router that a probe of ${int(r.probe)} messages showed too slow for ${int(r.messages)} within ${r.roundBudgetMs / 1000} s ` +
          'gets the first messages only and fewer rounds, as its row says.'
        : ''),
    table(['router', 'messages per round', 'rounds', 'median', 'per message', 'min – max', 'vs plain-JS'], r.rows.map((x) => [
      x.label, int(x.messages), x.rounds, rate(x.median), `${int(1e9 / x.median)} ns`, `${rate(x.min)} – ${rate(x.max)}`,
      `${x.ratio.toFixed(2)}x`,
    ])),
    competitors.length
      ? 'The package against each competitor, the median over rounds of the ratio of their rates in the same round:\n\n' +
        table(['competitor', ...Object.keys(competitors[0].packageOver).map(label)], competitors.map((c) => [
          c.label, ...Object.values(c.packageOver).map((v) => `${v.toFixed(2)}x`),
        ]))
      : '',
    '![routing](charts/routing.svg)',
    'Where the time goes: a Chrome CPU profile (CDP Profiler, 50 µs sampling) of one round of each, self time by function. ' +
      'Builtins such as `JSON.parse` count as self time of their JS caller; wasm functions are unnamed in the release build ' +
      '(no name section), so they show as `wasm-function[N]`.',
    ...Object.entries(r.profiles).map(([name, p]) => profile(label(name), p)),
    load(r),
  ].filter(Boolean).join('\n\n');
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
    marker: { value: SIZE_TARGET, label: `target ${SIZE_TARGET / 1000} KB` },
  });
  const parts = `${int(ours.parts.wasm)} B wasm + ${int(ours.parts.glue)} B JS (the wasm-bindgen glue and js/index.js)` + (r.react ? ` + ${int(ours.parts.react)} B React layer` : '');
  return [
    'Each library bundled from the import an app would write (below) with esbuild `--bundle --minify --format=esm` ' +
      '(react and react-dom external), then `gzip -9 -n`. ' +
      (r.react ? 'The package\'s React layer (`react/index.js`) existed at this run and is included.' : '**`react/index.js` did not exist at this run: the package row has no React layer.**'),
    table(['library', 'version', 'entry', 'minified', 'gzipped'], r.rows.map((x) => [
      x.name, x.version ?? 'this repo', `\`${x.shown ?? x.entry}\``, `${int(x.raw)} B`, `**${int(x.gz)} B** (${kib(x.gz)})`,
    ])),
    `realtime-context: ${parts}.`,
    'Raw bytes per section of the .wasm: ' + Object.entries(ours.sections).map(([k, v]) => `${k} ${int(v)}`).join(', ') + '.' +
      (ours.counts ? ` The module has ${int(ours.counts.functions)} functions, ${int(ours.counts.exports)} exports and ${int(ours.counts.imports)} imports (each import a JS function of the glue).` : ''),
    breakdownSection(r.breakdown, ours),
    '![size](charts/size.svg)',
    load(r),
  ].join('\n\n');
}

function breakdownSection(b, ours) {
  if (!b) return '';
  if (b.error) return `**Where the wasm bytes go:** the named build failed in this run:\n\n\`\`\`\n${b.error}\n\`\`\``;
  const share = (n) => pct(n / b.functionBytes);
  return [
    '**Where the wasm bytes go.** The same release build made again with its function names: `cargo build --lib --release ' +
      `--target wasm32-unknown-unknown${b.cargoArgs.length ? ' ' + b.cargoArgs.join(' ') : ''}\` (as wasm-pack runs it), \`wasm-bindgen --target web\`, then ` +
      `\`wasm-opt ${b.wasmOptFlags.join(' ')}\` (the package's flags from Cargo.toml, plus \`-g\` to keep the name section), ` +
      'measured by `wasm-opt --func-metrics` (binaryen from npm). Its code section is ' +
      `${int(b.namedCode)} B against ${int(b.shippedCode)} B in the measured package` +
      (b.namedCode === b.shippedCode ? ' (the same build).' : ' (the sources changed since the package was built, or -g kept some code apart).') +
      ` ${int(b.functionCount)} functions, ${int(b.functionBytes)} B of function bodies, by the crate each function's name belongs to ` +
      '(with LTO much of every crate is inlined into its callers: an exported method\'s body holds the web-sys, js-sys and ' +
      'wasm-bindgen calls it makes, so the crates below count what was left as functions of their own):',
    table(['crate', 'functions', 'bytes', 'share of code', '≈ gzipped'], b.crates.map((c) => [
      c.crate, int(c.functions), `${int(c.bytes)} B`, share(c.bytes), `${int((c.bytes / b.functionBytes) * ours.parts.wasm)} B`,
    ])),
    '"≈ gzipped" splits the gzipped .wasm (data and the other sections included) by share of code: an estimate. The 20 largest functions:',
    table(['function', 'crate', 'bytes'], b.top.map((f) => [`\`${f.name.replace(/\|/g, '\\|')}\``, f.crate, `${int(f.bytes)} B`])),
  ].join('\n\n');
}

function memorySection(r, charts) {
  charts.memory = barChart({
    title: 'Memory after forced GC', note: 'JS heap used (CDP Runtime.getHeapUsage) and wasm linear memory, KiB',
    series: ['JS heap after setup', `after ${r.messages / 1e6}M messages`, `after ${r.cycles / 1e3}k sub/unsub cycles`, `after ${r.reconnects / 1e3}k reconnects`, 'wasm memory'],
    format: (b) => kib(b),
    rows: r.rows.map((x) => ({ label: x.label, values: [x.start.heap, x.routed.heap, x.cycled.heap, x.reconnected.heap, x.reconnected.wasm] })),
  });
  const wasm = (x, k) => (x[k].wasm == null ? '–' : kib(x[k].wasm));
  return [
    'Each router in its own fresh page (so neither heap holds the other), connected to a fake `WebSocket` (bench/page/fake-socket.js) ' +
      'and fed through its socket\'s `onmessage`. After a forced GC (CDP `HeapProfiler.collectGarbage`, ' +
      `twice) the JS heap in use (\`Runtime.getHeapUsage\`) and the wasm memory (\`memory.buffer.byteLength\` of the exports \`init()\` ` +
      `returns) are read: after setup with the listeners attached, after routing ${int(r.messages)} messages (made on the fly, ` +
      `1,000 at a time, so the texts are not on the heap), after ${int(r.cycles)} mount/unmount cycles (subscribe a type ` +
      'listener and a listener on a new conversation id, then unsubscribe both), after as many again on other ids (memory ' +
      'that grows again is held per cycle; memory that does not was the high-water mark of the first), and after ' +
      `${int(r.reconnects)} reconnects (the server drops the socket with 1006; the package, once \`reconnecting\`, is told ` +
      '`retry()`, which cancels its backoff timer and opens a new socket; the plain-JS socket reconnects from its `onclose`, ' +
      'as seed 002\'s does; 10 messages are routed on each new socket, and each reconnect is counted by the sockets made). ' +
      'The plain-JS router keys conversations in the same object of arrays, as a hand-written extension of seed 002 would. ' +
      'The package runs with its default options.',
    table(['router', 'blank page', 'after setup', `after ${int(r.messages)} messages`, `after ${int(r.cycles)} cycles`, `after ${int(r.cycles)} more`, `after ${int(r.reconnects)} reconnects`, 'growth from setup'],
      r.rows.map((x) => [
        x.label, kib(x.empty.heap), kib(x.start.heap), kib(x.routed.heap), kib(x.cycled.heap), kib(x.cycledAgain.heap), kib(x.reconnected.heap), kib(x.reconnected.heap - x.start.heap),
      ])),
    'Wasm memory (`memory.buffer.byteLength`):\n\n' +
      table(['router', 'after setup', `after ${int(r.messages)} messages`, `after ${int(r.cycles)} cycles`, `after ${int(r.cycles)} more`, `after ${int(r.reconnects)} reconnects`, 'reconnects took'],
        r.rows.map((x) => [x.label, wasm(x, 'start'), wasm(x, 'routed'), wasm(x, 'cycled'), wasm(x, 'cycledAgain'), wasm(x, 'reconnected'), `${(x.reconnectMs / 1000).toFixed(1)} s`])),
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
      '`Schedule::Fixed` with no jitter. Peak = most attempts starting in any sliding ' + `${r.windowMs} ms window. ` +
      `First wave = the largest share of the clients whose first retry starts in any ${r.windowMs} ms window (goal: at most 10%); ` +
      'median first retry = when one client alone retries after the drop, at the median (goal: within 1 s).',
    table(['policy', `peak / ${r.windowMs} ms`, 'peak after the server is back', 'attempts', 'gave up', 'last client back', 'first wave', 'median first retry'], r.policies.map((p) => [
      p.policy, int(p.peak), int(p.peakAfterUp), int(p.attempts), int(p.gaveUp), p.lastBackMs == null ? 'never' : `${(p.lastBackMs / 1000).toFixed(1)} s`,
      `${p.firstWavePeakPercent.toFixed(2)}%`, `${int(p.medianFirstRetryMs)} ms`,
    ])),
    '![storm](charts/storm.svg)',
    load(r),
  ].join('\n\n');
}

function handoverSection(r) {
  return [
    `bench/handover.mjs: ${r.tabs} pages of one browser context connect as one user (\`userKey\`, sharing on, no heartbeat) to a ` +
      'local server that only accepts sockets. Each of the ' + `${r.rounds} rounds closes the leader tab's page (Playwright \`page.close()\`) ` +
      'and measures from just before the close: when the server accepted the next leader\'s socket, and when the last of the ' +
      'remaining tabs saw the connection open again (its `onState`). A page is then opened to make ' + `${r.tabs} tabs again.`,
    table(['from the leader tab closing to', 'p50', 'p99', 'min', 'max'], r.rows.map((x) => [x.label, ms(x.p50), ms(x.p99), ms(x.min), ms(x.max)])),
    load(r),
  ].join('\n\n');
}
