// Prints the gzipped (level 9) size of what a browser loads: the wasm, its wasm-bindgen glue, the
// package entry js/index.js and the React layer react/, file by file as shipped, then bundled and
// minified as an app ships them (esbuild --bundle --minify, as `npm run bench` measures every
// library; the React layer is what adding realtime-context/react costs), against the size bar:
// wasm + glue + React ≤ 32 KB (32,000 B) gzipped.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';

const BAR = 32_000;
const root = new URL('../', import.meta.url).pathname;
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const int = (n) => n.toLocaleString('en-US');

/** The .js and .wasm files under `dir` (relative to the root), recursively; .d.ts excluded. */
function files(dir) {
  if (!existsSync(root + dir)) return [];
  return readdirSync(root + dir, { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return files(path);
    return /\.(js|wasm)$/.test(e.name) ? [path] : [];
  });
}

const shipped = [...files('pkg'), 'js/index.js', ...files('react')];
let raw = 0;
let zipped = 0;
for (const path of shipped) {
  const bytes = readFileSync(root + path);
  const z = gz(bytes);
  raw += bytes.length;
  zipped += z;
  console.log(`  ${path.padEnd(34)} ${String(bytes.length).padStart(7)} B  ${String(z).padStart(6)} B gz`);
}
console.log(`shipped, unminified: ${int(raw)} B raw, ${int(zipped)} B gzipped — wasm, glue, js/index.js and react/`);

/** `source` bundled and minified as an app would (react external), gzipped. */
const bundled = (source) =>
  gz(
    buildSync({
      stdin: { contents: source, resolveDir: root, sourcefile: 'app.js' },
      bundle: true, minify: true, format: 'esm', write: false, external: ['react', 'react-dom'], logLevel: 'silent',
    }).outputFiles[0].contents,
  );
const entry = "export { default as init, RealtimeContext } from './js/index.js';\n";
const wasm = gz(readFileSync(`${root}pkg/realtime_context_bg.wasm`));
const glue = bundled(entry);
const react = bundled(entry + "export * from './react/index.js';\n") - glue;
const total = wasm + glue + react;
console.log('bundled and minified (esbuild --bundle --minify, gzip level 9):');
console.log(`  wasm                       ${String(wasm).padStart(7)} B`);
console.log(`  JS: glue and js/index.js   ${String(glue).padStart(7)} B`);
console.log(`  React layer (react/)       ${String(react).padStart(7)} B`);
console.log(
  `  total                      ${String(total).padStart(7)} B (${(total / 1024).toFixed(1)} KiB) — ` +
    `bar: wasm + glue + React ≤ ${int(BAR)} B gzipped: ${total <= BAR ? 'met' : `NOT met, ${int(total - BAR)} B over`}`,
);
