// Figure 3: gzipped bytes of each library as an app would ship it: esbuild --bundle --minify
// --format=esm (react and react-dom external), then gzip -9; for this package, plus its .wasm.
// Then where the wasm's bytes go: the same build again with function names kept (cargo, then
// wasm-bindgen, then wasm-opt with the package's own flags plus -g), measured per function by
// `wasm-opt --func-metrics` (npm binaryen) and added up by crate.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// What an app imports from each: the symbols it would actually use.
const ENTRIES = {
  'socket.io-client': "export { io } from 'socket.io-client';",
  centrifuge: "export { Centrifuge } from 'centrifuge';",
  phoenix: "export { Socket } from 'phoenix';",
  partysocket: "export { default as PartySocket, WebSocket } from 'partysocket';",
  'react-use-websocket': "export { default as useWebSocket } from 'react-use-websocket';",
};

const gzip9 = (bytes) => execFileSync('gzip', ['-9', '-n', '-c'], { input: bytes, maxBuffer: 1 << 26 }).length;

async function bundle(source, dir, name) {
  const entry = `${dir}/${name.replace(/\W/g, '_')}.mjs`;
  writeFileSync(entry, source);
  const out = await build({
    entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false,
    external: ['react', 'react-dom'], logLevel: 'silent', absWorkingDir: dir,
  });
  return out.outputFiles[0].contents;
}

/**
 * Sizes of the package in `snapshot` (its pkg/ and react/) and of the competitors in
 * bench/node_modules; the wasm breakdown is built from the sources in `source` (the checkout).
 */
export async function size(root, snapshot, source = root) {
  const dir = `${root}/bench/tmp/size`;
  mkdirSync(dir, { recursive: true });
  const react = existsSync(`${snapshot}/react/index.js`);
  const ours = `export { default as init, RealtimeContext } from '${snapshot}/js/index.js';\n` +
    (react ? `export * from '${snapshot}/react/index.js';\n` : '');
  const js = await bundle(ours, dir, 'realtime-context');
  const glue = gzip9(await bundle(ours.split('\n')[0], dir, 'realtime-context-glue'));
  const wasm = readFileSync(`${snapshot}/pkg/realtime_context_bg.wasm`);
  const rows = [{
    name: 'realtime-context', entry: ours.trim(), react,
    shown: "export { default as init, RealtimeContext } from 'realtime-context'" + (react ? "; export * from 'realtime-context/react'" : ''),
    parts: { wasm: gzip9(wasm), glue, react: react ? gzip9(js) - glue : 0 },
    raw: js.length + wasm.length, sections: sections(wasm), counts: counts(wasm),
  }];
  rows[0].gz = rows[0].parts.wasm + rows[0].parts.glue + rows[0].parts.react;
  for (const [name, source] of Object.entries(ENTRIES)) {
    const js = await bundle(source, dir, name);
    const version = JSON.parse(readFileSync(`${root}/bench/node_modules/${name}/package.json`, 'utf8')).version;
    rows.push({ name, version, entry: source, raw: js.length, gz: gzip9(js) });
  }
  let breakdown;
  try {
    breakdown = wasmBreakdown(root, source, dir, sections(wasm).code);
  } catch (e) {
    breakdown = { error: String(e.message ?? e).split('\n').slice(0, 12).join('\n') };
  }
  return { react, rows, breakdown };
}

const env = () => ({ ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` });
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: env(), stdio: ['ignore', 'pipe', 'pipe'], ...opts });

/**
 * The release build again, with its function names: `cargo build` as wasm-pack runs it (the
 * same target dir and flags, so cargo reuses what `npm run build` compiled), wasm-bindgen, then
 * wasm-opt with the flags of Cargo.toml's [package.metadata.wasm-pack.profile.release] and -g
 * (keep the name section). Per function, `--func-metrics`' binary bytes; by crate, their sum.
 * `shippedCode` is the code section of the measured package, to show the two builds agree.
 */
function wasmBreakdown(root, source, dir, shippedCode) {
  const named = `${dir}/named`;
  rmSync(named, { recursive: true, force: true });
  mkdirSync(named, { recursive: true });
  const buildSh = readFileSync(`${source}/scripts/build.sh`, 'utf8');
  const extra = /wasm-pack\b[^\n]*\bbuild\b[^\n]*?\s--\s+([^\n]*)$/m.exec(buildSh)?.[1].trim().split(/\s+/) ?? [];
  run('cargo', ['build', '--lib', '--release', '--target', 'wasm32-unknown-unknown', ...extra], { cwd: source });
  const input = `${source}/target/wasm32-unknown-unknown/release/realtime_context.wasm`;
  run('wasm-bindgen', [input, '--out-dir', named, '--target', 'web'], { cwd: source });
  const cargoToml = readFileSync(`${source}/Cargo.toml`, 'utf8');
  const flagsText = /\[package\.metadata\.wasm-pack\.profile\.release\][^[]*?wasm-opt\s*=\s*\[([^\]]*)\]/s.exec(cargoToml)?.[1] ?? '"-O"';
  const flags = [...flagsText.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  // Binaryen from npm (node_modules/.bin), never Debian's /usr/bin/wasm-opt (version 108).
  const wasmOpt = `${root}/node_modules/.bin/wasm-opt`;
  const out = `${named}/named.wasm`;
  run(wasmOpt, [`${named}/realtime_context_bg.wasm`, ...flags, '-g', '-o', out]);
  const bytes = readFileSync(out);
  const metrics = run(wasmOpt, ['--all-features', out, '--func-metrics']);
  const functions = [];
  let current = null;
  for (const line of metrics.split('\n')) {
    const f = /^func: (.*)$/.exec(line);
    if (f) functions.push((current = { name: f[1].trim(), bytes: 0 }));
    const b = /^\s*\[binary-bytes\]\s*:\s*(\d+)/.exec(line);
    if (b && current) current.bytes = Number(b[1]);
  }
  functions.sort((a, b) => b.bytes - a.bytes);
  const total = functions.reduce((n, f) => n + f.bytes, 0);
  const crates = new Map();
  for (const f of functions) {
    const c = crateOf(f.name);
    const row = crates.get(c) ?? { crate: c, functions: 0, bytes: 0 };
    row.functions++;
    row.bytes += f.bytes;
    crates.set(c, row);
  }
  return {
    wasmOptFlags: [...flags, '-g'], cargoArgs: extra, namedCode: sections(bytes).code, shippedCode,
    functionBytes: total, functionCount: functions.length,
    crates: [...crates.values()].sort((a, b) => b.bytes - a.bytes),
    top: functions.slice(0, 20).map((f) => ({ ...f, crate: crateOf(f.name) })),
  };
}

/**
 * The crate a function's code belongs to, from its (demangled) name: the first path segment, or
 * for `<Type as Trait>::f` the type's crate (the trait's when the type is no path, as for `&T`);
 * `core::fmt` is counted apart from the rest of core. Unmangled names are the wasm-bindgen
 * exports of this crate (with all that is inlined into them), or wasm-bindgen's own
 * (`__wbindgen_…`, `__wbg_…`).
 */
export function crateOf(raw) {
  const name = raw.replace(/\[[0-9a-f]{6,}\]/g, '');
  if (/^\d+$/.test(name)) return '(unnamed)';
  if (/^__wbindgen|^__wbg_|^__externref/.test(name)) return 'wasm_bindgen';
  if (!name.includes('::')) return 'realtime_context (exports)';
  let path = name;
  if (name.startsWith('<')) {
    const inner = name.slice(1);
    const as = inner.indexOf(' as ');
    const type = (as >= 0 ? inner.slice(0, as) : inner).replace(/^(&|\*const |\*mut |mut |dyn )+/, '');
    path = /^[a-z_][a-z0-9_]*::/.test(type) ? type : as >= 0 ? inner.slice(as + 4) : type;
    if (as >= 0 && /^core::fmt::/.test(inner.slice(as + 4)) && !/^[a-z_][a-z0-9_]*::/.test(type)) path = inner.slice(as + 4);
  }
  path = path.replace(/^(&|\*const |\*mut |mut |dyn )+/, '');
  if (/^core::fmt\b/.test(path)) return 'core::fmt';
  const m = /^([a-z_][a-z0-9_]*)::/.exec(path);
  return m ? m[1] : '(other)';
}

/** How many imports (JS functions the glue provides), exports and functions the module has. */
function counts(wasm) {
  const out = {};
  walk(wasm, (id, start) => {
    const key = { 2: 'imports', 3: 'functions', 7: 'exports' }[id];
    if (key) out[key] = leb(wasm, start)[0];
  });
  return out;
}

/** Raw bytes per wasm section (code, data, ...): where the module's size goes. */
function sections(wasm) {
  const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
  const out = {};
  walk(wasm, (id, _start, len) => (out[NAMES[id] ?? id] = (out[NAMES[id] ?? id] ?? 0) + len));
  return out;
}

/** Calls `visit(id, start, length)` for each section of a wasm module. */
function walk(wasm, visit) {
  for (let at = 8; at < wasm.length; ) {
    const id = wasm[at];
    const [len, start] = leb(wasm, at + 1);
    visit(id, start, len);
    at = start + len;
  }
}

/** The unsigned LEB128 number at `at`, and where the bytes after it start. */
function leb(wasm, at) {
  let v = 0, shift = 0, b;
  do { b = wasm[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  return [v >>> 0, at];
}
