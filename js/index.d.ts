// Types of realtime-context: the generated class and src/types.d.ts, from the wasm-bindgen output.
import type { InitInput, InitOutput } from '../pkg/realtime_context.js';
export * from '../pkg/realtime_context.js';
/** Loads the wasm once; await it before creating a context. Default: the package's own `.wasm`. */
export default function init(input?: InitInput | Promise<InitInput> | { module_or_path: InitInput | Promise<InitInput> }): Promise<InitOutput>;
