// Waiting in Node tests: sleep, poll for a condition, and a free port for a server started later.
import net from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` (sync or async) every `everyMs` until it is truthy or `timeoutMs` passed; its last value. */
export async function until(cond, { timeoutMs = 60000, everyMs = 50 } = {}) {
  const end = Date.now() + timeoutMs;
  let v = await cond();
  while (!v && Date.now() < end) {
    await sleep(everyMs);
    v = await cond();
  }
  return v;
}

/** A port free on 127.0.0.1 right now (for a server started later on it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}
