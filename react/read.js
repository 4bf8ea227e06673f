// What every hook builds on: a value read from the hub through useSyncExternalStore (re-read
// only after a flush), the latest callback of a render, and the connection's flags.
import { useLayoutEffect, useRef, useSyncExternalStore } from 'react';

/**
 * `read(hub, arg)`, recomputed only when the hub flushed or `arg` changed since last time. With
 * `same(last, value)`, a recomputed value the same as the last one is the last one: it keeps its
 * identity until it changes, so no component re-renders for it.
 * @template T
 * @param {import('./hub.js').Hub} hub
 * @param {(hub: import('./hub.js').Hub, arg: any) => T} read
 * @param {any} [arg]
 * @param {(last: T, value: T) => boolean} [same]
 * @returns {T}
 */
export function useHubValue(hub, read, arg, same) {
  const cache = useRef(null);
  const get = () => {
    const c = cache.current;
    if (c && c.version === hub.version && Object.is(c.arg, arg)) return c.value;
    let value = read(hub, arg);
    if (c && same?.(c.value, value)) value = c.value;
    cache.current = { version: hub.version, arg, value };
    return value;
  };
  return useSyncExternalStore(hub.subscribe, get, get);
}

/**
 * A ref holding `value` as of the last commit: effects call `ref.current` to reach the latest
 * callback without subscribing again.
 */
export function useLatest(value) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** The flags the hooks return, from a connection state. */
export function connection(state) {
  return {
    status: state.status,
    isConnected: state.status === 'open',
    isConnecting: state.status === 'connecting' || state.status === 'reconnecting',
    error: state.error,
  };
}

/** The hub's connection state, for `useHubValue`. */
export const readState = (hub) => hub.state;
