// The package entry: what wasm-bindgen generates from src/lib.rs. `init(input)` loads the wasm once
// (default: the package's own .wasm) from a URL or path, a Response or a promise of one, the bytes,
// a WebAssembly.Module, or `{module_or_path}`, handed to the glue in the form it does not warn about.
import load from '../pkg/realtime_context.js';
export * from '../pkg/realtime_context.js';
export default (input) => load({ module_or_path: input?.module_or_path ?? input });
