// <RealtimeProvider>: one RealtimeContext for the subtree, alive while the user is logged in.
import { createContext, createElement, useContext, useEffect, useState } from 'react';
import { Hub } from './hub.js';
import { acquire, load, release } from './lease.js';

const HubContext = createContext(null);

/**
 * Whether `options` describe a logged-in user: no `token` key, or a non-empty token. Options
 * that are no object count too: the context then refuses them with a clear error in `state`.
 */
function loggedIn(options) {
  return !(typeof options == 'object' && options !== null && 'token' in options) || (options.token != null && options.token !== '');
}

/** What names the context: `options` but `token`, serialised (a new token keeps the context). */
function keyOf(options) {
  if (typeof options != 'object' || options === null) return JSON.stringify(options);
  const { token, ...rest } = options;
  return JSON.stringify(rest);
}

/**
 * Loads the wasm module once and owns one `RealtimeContext` built from `options`: it
 * connects while `options.token` is set (or absent, for cookie auth) and disconnects when it
 * becomes null or empty (logout, in every tab of the user: `logoutEverywhere()`). Another token keeps the context (its listeners and unread
 * counts) and reconnects with it unless open; other options (another `userKey` or `url`) mean
 * a new context. `getToken` is the context's token provider, asked for a fresh token when the
 * server refuses one. Under StrictMode and fast remounts the context is handed over, never
 * doubled: at most one socket.
 * @param {{options: object, api?: import('./index.js').NotificationApi,
 *   getToken?: () => string | null | Promise<string | null>, children?: any}} props
 */
export function RealtimeProvider({ options, api, getToken, children }) {
  const [hub] = useState(() => new Hub());
  const key = loggedIn(options) ? keyOf(options) : null;
  // Read by the cleanup below: a context given up because the user logged out ends the
  // session in every tab that shares its socket, not only here.
  hub.loggingOut = key === null;
  const token = typeof options == 'object' && options !== null ? options.token : undefined;
  useEffect(() => {
    hub.api = api ?? {};
  }, [hub, api]);
  useEffect(() => {
    hub.setTokenProvider(getToken);
  }, [hub, getToken]);
  useEffect(() => {
    if (key === null) return undefined;
    let mounted = true;
    load().then(() => {
      if (!mounted) return;
      try {
        // The token may have changed while the wasm loaded: the hub holds the latest one.
        const ctx = acquire(key, hub.token === undefined ? options : { ...options, token: hub.token });
        hub.attach(ctx);
        ctx.connect();
      } catch (error) {
        hub.fail(error);
      }
    }, (error) => mounted && hub.fail(error));
    return () => {
      mounted = false;
      const ctx = hub.detach();
      if (ctx && hub.loggingOut) ctx.logoutEverywhere();
      if (ctx) release(key, ctx, hub.token);
    };
    // `key` stands for `options`: a new object with the same content is the same context.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hub, key]);
  // Set up after every cleanup of its commit: a context the one above parks keeps its token.
  useEffect(() => {
    hub.setToken(token);
  }, [hub, token]);
  return createElement(HubContext.Provider, { value: hub }, children);
}

/**
 * The provider's hub; throws outside a <RealtimeProvider>.
 * @returns {Hub}
 */
export function useHub() {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('realtime-context/react: this hook must be used inside <RealtimeProvider>');
  return hub;
}
