// Figure 3: gzipped bytes of each library as an app would ship it: esbuild --bundle --minify
// --format=esm (react and react-dom external), then gzip -9; for this package, plus its .wasm.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Sizes of the package in `snapshot` (its pkg/ and react/) and of the competitors in bench/node_modules. */
export async function size(root, snapshot) {
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
    raw: js.length + wasm.length, sections: sections(wasm),
  }];
  rows[0].gz = rows[0].parts.wasm + rows[0].parts.glue + rows[0].parts.react;
  for (const [name, source] of Object.entries(ENTRIES)) {
    const js = await bundle(source, dir, name);
    const version = JSON.parse(readFileSync(`${root}/bench/node_modules/${name}/package.json`, 'utf8')).version;
    rows.push({ name, version, entry: source, raw: js.length, gz: gzip9(js) });
  }
  return { react, rows };
}

/** Raw bytes per wasm section (code, data, ...): where the module's size goes. */
function sections(wasm) {
  const NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
  const out = {};
  let at = 8;
  const leb = () => { let v = 0, shift = 0, b; do { b = wasm[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return v >>> 0; };
  while (at < wasm.length) {
    const id = wasm[at++];
    const len = leb();
    out[NAMES[id] ?? id] = (out[NAMES[id] ?? id] ?? 0) + len;
    at += len;
  }
  return out;
}
