// React in Node without a browser, for tests of realtime-context/react: React and react-dom come
// from www/node_modules, react/lease.js gets a fake RealtimeContext (set with `fakeRealtime`)
// instead of the wasm one, and the DOM is a stand-in, enough for a tree that renders no element.
import { register } from 'node:module';

const hooks = `
const www = ${JSON.stringify(new URL('../../www/', import.meta.url).href)};
const fake = 'data:text/javascript,' + encodeURIComponent(
  'export default () => globalThis.fakeRealtime.init?.() ?? Promise.resolve();' +
  'export class RealtimeContext { constructor(options) { return new globalThis.fakeRealtime.Context(options); } }');
export async function resolve(specifier, context, next) {
  if (/^(react|react-dom|scheduler)(\\/|$)/.test(specifier)) return next(specifier, { ...context, parentURL: www });
  if (specifier === '../js/index.js' && context.parentURL?.endsWith('/react/lease.js')) return { url: fake, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

/** Makes `Context` the RealtimeContext react/ builds, and `init` (optional) its module loader. */
export function fakeRealtime({ Context, init }) {
  globalThis.fakeRealtime = { Context, init };
}

// What react-dom touches of the DOM when the tree has no element to put in it.
globalThis.IS_REACT_ACT_ENVIRONMENT = true;
globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
const doc = { nodeType: 9, activeElement: null, addEventListener() {}, removeEventListener() {} };
globalThis.window = doc.defaultView = { document: doc, HTMLIFrameElement: class {}, event: undefined };

/** The container to render into. */
export const container = {
  nodeType: 1, tagName: 'DIV', namespaceURI: 'http://www.w3.org/1999/xhtml', ownerDocument: doc,
  textContent: '', addEventListener() {}, removeEventListener() {},
};
