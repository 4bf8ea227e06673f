// Prints the gzipped (level 9) size of what a browser loads: the wasm core, its wasm-bindgen
// glue and the JavaScript shell (js/), file by file as shipped, then bundled and minified as an
// app would ship them (esbuild, as `npm run bench` measures every library).
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const root = new URL('../', import.meta.url).pathname;
const shipped = ['pkg/realtime_context_bg.wasm', 'pkg/realtime_context.js', ...readdirSync(`${root}js`).filter((f) => f.endsWith('.js')).map((f) => `js/${f}`)];
let raw = 0, gz = 0;
for (const path of shipped) {
  const bytes = readFileSync(root + path);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += zipped;
  console.log(`  ${path.padEnd(32)} ${String(bytes.length).padStart(7)} B  ${String(zipped).padStart(6)} B gz`);
}
console.log(`shipped size: ${raw} B raw, ${gz} B gzipped (${(gz / 1024).toFixed(1)} KiB) — wasm, glue and JS shell, unminified`);
const bundle = buildSync({ entryPoints: [`${root}js/index.js`], bundle: true, minify: true, format: 'esm', write: false }).outputFiles[0].contents;
const wasm = gzipSync(readFileSync(`${root}pkg/realtime_context_bg.wasm`), { level: 9 }).length;
const js = gzipSync(bundle, { level: 9 }).length;
console.log(`bundled and minified: ${wasm + js} B gzipped — wasm ${wasm} B + JS ${js} B (React layer not included)`);
