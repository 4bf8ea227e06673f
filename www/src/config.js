// Page settings: `?user=NAME` picks the demo user; `?unified=1|0` overrides the build-time
// feature flag VITE_USE_UNIFIED_WS ("true": one unified socket; otherwise the legacy two).
const params = new URLSearchParams(window.location.search);
const unified = params.get('unified');

/** The demo user this page logs in as. */
export const USER = params.get('user') || 'ada';

/** Whether the app runs on RealtimeProvider (one socket) or the legacy providers (two). */
export const UNIFIED = unified === null ? import.meta.env.VITE_USE_UNIFIED_WS === 'true' : unified === '1' || unified === 'true';

/** This page's URL in the other mode. */
export function otherModeUrl() {
  const next = new URLSearchParams(params);
  next.set('unified', UNIFIED ? '0' : '1');
  return `?${next}`;
}
