// The package entry: `init()` loads the wasm core once (call it before creating a context);
// `RealtimeContext` is the public class.
export { default } from './wasm.js';
export { RealtimeContext } from './context.js';
