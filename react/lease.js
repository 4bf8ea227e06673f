// The wasm module is loaded once; a context whose provider unmounts is parked for one task so
// that a remount with the same options, token aside (React StrictMode, a moved subtree), adopts
// it instead of opening a second socket. At most one context is parked: at most one socket held.
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
 * A context for `key`: the parked one when its key matches (given `options.token` if it was
 * parked with another), else a new idle one built from `options` (any other parked context is
 * freed first). Call only after `load()` resolved.
 * @param {string} key the options but `token` serialised, naming what the context was built from
 * @param {object} options the `RealtimeContext` options
 * @returns {RealtimeContext}
 */
export function acquire(key, options) {
  if (parked?.key === key) {
    const { ctx, timer, token } = parked;
    clearTimeout(timer);
    parked = null;
    if (options.token !== token) ctx.setToken(options.token ?? null);
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
 * @param {string | null | undefined} token the `options.token` it was last given
 */
export function release(key, ctx, token) {
  drop();
  parked = { key, ctx, token, timer: setTimeout(drop, 0) };
}

function drop() {
  if (!parked) return;
  const { ctx, timer } = parked;
  parked = null;
  clearTimeout(timer);
  ctx.free();
}
