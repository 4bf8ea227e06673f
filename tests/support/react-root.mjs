// A React root in Node for tests of realtime-context/react (see react-node.mjs): every update runs
// in act() under StrictMode and is followed by the hub's next flush; console errors fail the test
// at unmount.
import assert from 'node:assert/strict';
import { container } from './react-node.mjs';

const { StrictMode, act, createElement } = await import('react');
const { createRoot } = await import('react-dom/client');

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A new root: `render(element, before?)` (`before` runs in the same act, before any flush), `frame(fn)` (fn, e.g. frames arriving, then a flush), `unmount()`. */
export function mount() {
  const root = createRoot(container);
  const errors = [];
  const consoleError = console.error;
  console.error = (...args) => errors.push(args.join(' '));
  const view = {
    async render(element, before = () => {}) {
      await act(async () => {
        before();
        root.render(createElement(StrictMode, null, element));
      });
      await view.frame();
    },
    async frame(fn = () => {}) {
      await act(async () => {
        fn();
        await tick();
        await tick();
      });
    },
    async unmount() {
      await act(async () => root.unmount());
      await act(tick);
      console.error = consoleError;
      assert.deepEqual(errors, []);
    },
  };
  return view;
}
