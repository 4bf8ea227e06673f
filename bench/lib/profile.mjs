// A Chrome CPU profile (CDP Profiler) of one piece of page work, reduced to self time by function.
// Anonymous functions of the wasm-bindgen glue are named after the import shim around them.
import { readFileSync } from 'node:fs';

export async function profile(cdp, body, glueFile) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await body();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  const glue = readFileSync(glueFile, 'utf8').split('\n');
  const frame = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = frame.get(id);
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    const file = f.url.split('/').pop();
    let name = f.functionName;
    if (!name && glueFile.endsWith(file)) name = `(anonymous in ${enclosingShim(glue, f.lineNumber)})`;
    const key = `${name || '(anonymous)'}${file ? ' · ' + file : ''}`;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    total += ms;
  });
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([fn, ms]) => ({ fn, ms, share: ms / total }));
  return { totalMs: total, top };
}

/** The nearest `__wbg_…`/`__wbindgen_…` name at or above `line` (0-based) in the glue. */
function enclosingShim(lines, line) {
  for (let k = line; k >= 0; k--) {
    const m = /(__wbg_\w+|__wbindgen_\w+)/.exec(lines[k]);
    if (m) return m[1];
  }
  return 'glue';
}
