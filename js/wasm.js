// The wasm core, loaded once by init(), and views of the memory it leaves its answers in. A
// view of a buffer that memory growth replaced has length 0, and is made again.
import { Core, initSync } from '../pkg/realtime_context.js';

export { Core };

let loading = null;
let memory = null;
let u32 = new Uint32Array(0);
let f64 = new Float64Array(0);

/**
 * Loads the wasm core, once: from `input` (a URL or path, a `Response` or a promise of one,
 * the module's bytes, or a `WebAssembly.Module`), by default from the package's own file.
 * Resolves to its exports. A failed load may be retried.
 */
export default function init(input = new URL('../pkg/realtime_context_bg.wasm', import.meta.url)) {
  if (!loading) {
    // wasm-bindgen's form `{module_or_path}` is taken too.
    loading = compile(input?.module_or_path ?? input).then((module) => {
      const exports = initSync({ module });
      memory = exports.memory;
      return exports;
    });
    loading.catch(() => (loading = null));
  }
  return loading;
}

/** Fetches and compiles what `init` was given. */
async function compile(input) {
  // Request and Response may be missing (jsdom): then bytes or a module can still be given.
  const fetched = typeof input === 'string' || input instanceof URL || (globalThis.Request && input instanceof Request);
  const source = await (fetched ? fetch(input) : input);
  if (source instanceof WebAssembly.Module) return source;
  if (!(globalThis.Response && source instanceof Response)) return WebAssembly.compile(source);
  if (!source.ok) throw new Error('init: fetching the wasm core failed with HTTP ' + source.status + ' (' + source.url + ')');
  return WebAssembly.compile(await source.arrayBuffer());
}

/** The wasm memory as 32-bit words. */
export function words() {
  if (u32.length === 0) u32 = new Uint32Array(memory.buffer);
  return u32;
}

/** The wasm memory as 64-bit floats. */
export function floats() {
  if (f64.length === 0) f64 = new Float64Array(memory.buffer);
  return f64;
}
