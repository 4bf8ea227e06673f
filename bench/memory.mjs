// Figure 4: JS heap (after forced GC, via CDP) and wasm memory after 1,000,000 routed messages,
// after 10,000 subscribe/unsubscribe cycles and after 1,000 reconnects; the package and the
// plain-JS router each in its own page, each connected to a fake WebSocket.
import { heapAfterGc, openPage } from './lib/browser.mjs';

const MESSAGES = 1_000_000;
const CYCLES = 10_000;
const RECONNECTS = 1_000;
export const LABELS = { plain: 'plain-JS router (seed 002)', wasm: 'realtime-context (default options)' };

export async function memory(browser, base) {
  const rows = [];
  for (const kind of ['plain', 'wasm']) {
    const { page, cdp, errors, close } = await openPage(browser, `${base}/bench/page/index.html`, '/bench/page/memory.js');
    try {
      const call = (fn, arg) => page.evaluate(([f, a]) => window.mod[f](a), [fn, arg]);
      const sample = async () => ({ heap: await heapAfterGc(cdp), wasm: await call('wasmBytes') });
      const empty = await sample();
      await call('setup', kind);
      const start = await sample();
      const afterRouting = await call('route', MESSAGES);
      if (afterRouting !== 'open') throw new Error(`${kind}: ${afterRouting} after routing, not open`);
      const routed = await sample();
      await call('cycles', CYCLES);
      const cycled = await sample();
      // As many again, on other conversation ids: memory that grows again is held per cycle,
      // memory that does not was a high-water mark of the first.
      await call('cycles', CYCLES);
      const cycledAgain = await sample();
      const t0 = Date.now();
      const rec = await call('reconnects', RECONNECTS);
      const reconnectMs = Date.now() - t0;
      if (rec.reconnects !== RECONNECTS || rec.sockets !== 1 || rec.status !== 'open') {
        throw new Error(`${kind}: after ${RECONNECTS} reconnects: ${JSON.stringify(rec)}`);
      }
      const reconnected = await sample();
      if (errors.length) throw new Error(errors.join('; '));
      rows.push({ name: kind, label: LABELS[kind], empty, start, routed, cycled, cycledAgain, reconnected, reconnectMs });
    } finally {
      await close();
    }
  }
  return { messages: MESSAGES, cycles: CYCLES, reconnects: RECONNECTS, rows };
}
