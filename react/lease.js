// The wasm module is loaded once; a context whose provider unmounts is parked for one task so
// that a remount with the same options (React StrictMode, a moved subtree) adopts it instead
// of opening a second socket. At most one context is parked, so at most one socket is held.
import init, { RealtimeContext } from '../js/index.js';

let loading = null;
let parked = null;

/**
 * Loads the wasm module; every call shares the first call's promise.
 * @returns {Promise<unknown>}
 */
export function load() {
  loading ??= init();
  return loading;
}

/**
 * A context for `key`: the parked one when its key matches, else a new idle one built from
 * `options` (any other parked context is freed first). Call only after `load()` resolved.
 * @param {string} key the options serialised, naming what the context was built from
 * @param {object} options the `RealtimeContext` options
 * @returns {RealtimeContext}
 */
export function acquire(key, options) {
  if (parked?.key === key) {
    const { ctx, timer } = parked;
    clearTimeout(timer);
    parked = null;
    return ctx;
  }
  drop();
  return new RealtimeContext(options);
}

/**
 * Parks `ctx` for one task; unless `acquire(key)` takes it back by then, it is freed (which
 * closes its socket with code 1000).
 * @param {string} key
 * @param {RealtimeContext} ctx
 */
export function release(key, ctx) {
  drop();
  parked = { key, ctx, timer: setTimeout(drop, 0) };
}

function drop() {
  if (!parked) return;
  const { ctx, timer } = parked;
  parked = null;
  clearTimeout(timer);
  ctx.free();
}
