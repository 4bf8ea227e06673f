// The end-to-end server: answers clock-sync pings and streams the benchmark's messages at a
// fixed rate, each stamped with its send time (ms since the epoch, sub-ms, from
// performance.timeOrigin + performance.now()) just before ws.send.
import { WebSocketServer } from 'ws';
import { messageText } from '../page/messages.js';

const clock = () => performance.timeOrigin + performance.now();

export function startStreamServer(maxMessages) {
  const bodies = Array.from({ length: maxMessages }, (_, i) => messageText(i).slice(1)); // without the '{'
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => ws.on('message', (data) => {
    const m = JSON.parse(data);
    if (m.type === 'sync') ws.send(JSON.stringify({ type: 'sync_reply', c: m.c, s: clock() }));
    if (m.type === 'start') stream(ws, Math.min(m.n, maxMessages), m.rate);
  }));
  // Message i is due at start + i/rate; a 1 ms timer sends whatever is due, so bursts are <= rate/1000 + 1.
  function stream(ws, n, rate) {
    const start = performance.now();
    let i = 0;
    const tick = () => {
      if (ws.readyState !== ws.OPEN) return;
      const due = Math.min(n, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; i < due; i++) ws.send(`{"t":${clock()},${bodies[i]}`);
      if (i < n) setTimeout(tick, 1);
    };
    tick();
  }
  return new Promise((resolve) => wss.on('listening', () => resolve({
    url: `ws://127.0.0.1:${wss.address().port}`,
    close: () => new Promise((done) => { for (const c of wss.clients) c.terminate(); wss.close(done); }),
  })));
}
