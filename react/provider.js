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

/**
 * Loads the wasm module once and owns one `RealtimeContext` built from `options`: it
 * connects while `options.token` is set (or absent, for cookie auth) and disconnects when it
 * becomes null or empty (logout); new options (another token) mean a new context. Under
 * StrictMode and fast remounts the context is handed over, never doubled: at most one socket.
 * @param {{options: object, api?: import('./index.js').NotificationApi, children?: any}} props
 */
export function RealtimeProvider({ options, api, children }) {
  const [hub] = useState(() => new Hub());
  const key = loggedIn(options) ? JSON.stringify(options) : null;
  useEffect(() => {
    hub.api = api ?? {};
  }, [hub, api]);
  useEffect(() => {
    if (key === null) return undefined;
    let mounted = true;
    load().then(() => {
      if (!mounted) return;
      try {
        const ctx = acquire(key, options);
        hub.attach(ctx);
        ctx.connect();
      } catch (error) {
        hub.fail(error);
      }
    }, (error) => mounted && hub.fail(error));
    return () => {
      mounted = false;
      const ctx = hub.detach();
      if (ctx) release(key, ctx);
    };
    // `key` stands for `options`: a new object with the same content is the same context.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hub, key]);
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
