// The package entry's default export init(), in Node: every form of input it takes loads a
// working wasm instance, with no deprecation warning from wasm-bindgen's glue. Each form gets a
// fresh copy of js/index.js and pkg/ (the glue loads its wasm once per module instance).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url);
const wasmFile = new URL('pkg/realtime_context_bg.wasm', root);
const bytes = readFileSync(wasmFile);
const copies = mkdtempSync(`${tmpdir()}/realtime-init-`);
let server, base;

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/missing.wasm') return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'application/wasm' }).end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(copies, { recursive: true, force: true });
});

let n = 0;
/** A fresh copy of the package entry and pkg/, imported. */
async function freshEntry() {
  const dir = `${copies}/${++n}`;
  cpSync(new URL('js/index.js', root), `${dir}/js/index.js`);
  cpSync(new URL('pkg/', root), `${dir}/pkg/`, { recursive: true });
  return import(pathToFileURL(`${dir}/js/index.js`).href);
}

/** Runs `fn` with console.warn recorded; returns what it warned. */
async function warnings(fn) {
  const warned = [];
  const warn = console.warn;
  console.warn = (...args) => warned.push(args.map(String).join(' '));
  try {
    await fn();
  } finally {
    console.warn = warn;
  }
  return warned;
}

const FORMS = {
  'the bytes (a Buffer)': () => bytes,
  'an ArrayBuffer': () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  'a WebAssembly.Module': () => new WebAssembly.Module(bytes),
  'a URL string': () => `${base}/pkg.wasm`,
  'a URL': () => new URL('/pkg.wasm', base),
  'a Request': () => new Request(`${base}/pkg.wasm`),
  'a Response': () => new Response(bytes, { headers: { 'content-type': 'application/wasm' } }),
  'a promise of a Response': () => fetch(`${base}/pkg.wasm`),
  '{module_or_path: bytes}': () => ({ module_or_path: bytes }),
  '{module_or_path: a URL string}': () => ({ module_or_path: `${base}/pkg.wasm` }),
};

for (const [form, input] of Object.entries(FORMS)) {
  test(`init() takes ${form}, with no warning`, async () => {
    const { default: init, RealtimeContext } = await freshEntry();
    const warned = await warnings(async () => {
      const exports = await init(input());
      assert.ok(exports.memory instanceof WebAssembly.Memory, 'resolves to the wasm exports');
      // A second call shares the first load.
      assert.equal(await init(), exports);
    });
    assert.deepEqual(warned, []);
    const ctx = new RealtimeContext({ url: 'ws://127.0.0.1:9/x', heartbeat: false });
    assert.equal(ctx.state.status, 'idle');
    ctx.free();
  });
}

test('a failed load rejects, and init() may be called again', async () => {
  const { default: init, RealtimeContext } = await freshEntry();
  await assert.rejects(init(`${base}/missing.wasm`));
  await assert.rejects(init(new Uint8Array([0, 1, 2, 3])));
  await init(bytes);
  new RealtimeContext({ url: 'ws://127.0.0.1:9/x' }).free();
});
