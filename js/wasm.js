// The wasm core, loaded once by init(), and views of the memory it leaves its answers in. A
// view of a buffer that memory growth replaced has length 0, and is made again.
import initWasm, { Core } from '../pkg/realtime_context.js';

export { Core };

let memory = null;
let u32 = new Uint32Array(0);
let f64 = new Float64Array(0);

/** Loads the wasm core (once; call it before creating a context). Resolves to its exports. */
export default async function init(input) {
  const exports = await initWasm(input);
  memory = exports.memory;
  return exports;
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
