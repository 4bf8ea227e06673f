// Figure 4: JS heap (after forced GC, via CDP) and wasm memory after 1,000,000 routed messages
// and after 10,000 subscribe/unsubscribe cycles; the package and the plain-JS router each in
// its own page.
import { heapAfterGc, openPage } from './lib/browser.mjs';

const MESSAGES = 1_000_000;
const CYCLES = 10_000;
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
      await call('route', MESSAGES);
      const routed = await sample();
      await call('cycles', CYCLES);
      const cycled = await sample();
      if (errors.length) throw new Error(errors.join('; '));
      rows.push({ name: kind, label: LABELS[kind], empty, start, routed, cycled });
    } finally {
      await close();
    }
  }
  return { messages: MESSAGES, cycles: CYCLES, rows };
}
