// Prints the gzipped (level 9) size of what a browser loads from pkg/: wasm, JS glue, snippets.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../pkg/', import.meta.url).pathname;
const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
});
const shipped = files(root).filter((p) => /(_bg\.wasm|realtime_context\.js|snippets\/.*\.js)$/.test(p));
let raw = 0, gz = 0;
for (const path of shipped) {
  const bytes = readFileSync(path);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += zipped;
  console.log(`  ${path.slice(root.length).padEnd(44)} ${String(bytes.length).padStart(7)} B  ${String(zipped).padStart(6)} B gz`);
}
console.log(`pkg size: ${raw} B raw, ${gz} B gzipped (${(gz / 1024).toFixed(1)} KiB) — wasm + JS glue`);
