// The same listeners for every router: each counts its calls and reads one field of the message.
import { TYPES } from './messages.js';

/** Subscribes 1-2 listeners per type through `subscribe(type, cb)`; returns the call counter. */
export function attachListeners(subscribe) {
  const counter = { calls: 0, sum: 0 };
  for (const { type, listeners } of TYPES) {
    for (let k = 0; k < listeners; k++) {
      subscribe(type, (m) => { counter.calls++; counter.sum += m.seq; });
    }
  }
  return counter;
}
