// The reliable test server: a real `ws` server on 127.0.0.1 that keeps the server side of the
// resume and exactly-once rules (README, issue #13), for the fault suite.
//
// Rooms:   ?room=NAME on any path; each room has a history of numbered ticks
//          {"type":"tick","id":k,"n":k}, the frames it received, and socket counts.
// Frames from a client (JSON text):
//          {"type":"resume","last_id":K}   replays every history message with id > K, in order, then live
//          {"type":"ping"}                 answered with {"type":"pong"}
//          {"cmd":"stream","count":N,"everyMs":M,"batch":B}  emits N more ticks, B every M ms, into the
//                                          history and to every live socket of the room
//          {"cmd":"drop"}                  cuts every socket of the room (no close frame)
//          {"cmd":"count"}                 {"type":"count","open","maxOpen","total","history"}
//          anything carrying "client_id"   kept in `received` once per client_id (de-duplicated), and
//                                          EVERY copy answered with {"type":"ack","client_id"}
//          anything else                   kept in `received` (plain sends: no de-duplication)
// A new socket gets no tick until it is in step: its first frame (a resume sets where it starts;
// anything else starts it where the history stood when it connected), or 250 ms without one. Each
// socket gets the history from its own cursor on, so a reconnecting client that resumes sees every
// tick once and in order, never a live tick ahead of its replay.
// HTTP control, for a server run as a child process:
//          GET  /control?room=R                          {history, received, open, maxOpen, total, streaming}
//          POST /control/stream?room=R&count=N&everyMs=M&batch=B
//          POST /control/drop?room=R
// With a state file, the history, `received`, the client_ids seen and the stream's target are
// appended to it (one JSON line each, written synchronously before the frame or ack goes out),
// and read back on start: a SIGKILL loses nothing already sent, and an unfinished stream goes on
// from the history's end.
// Run directly (env PORT, STATE_FILE), it prints `READY ws://127.0.0.1:PORT` and serves until killed.
import http from 'node:http';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';

/** How long a new socket waits for its first frame (a resume) before it gets ticks anyway. */
const IN_STEP_AFTER_MS = 250;

export function startReliableServer({ port = 0, stateFile = null } = {}) {
  const rooms = new Map();
  const persist = (entry) => { if (stateFile) appendFileSync(stateFile, JSON.stringify(entry) + '\n'); };

  function room(name) {
    if (rooms.has(name)) return rooms.get(name);
    const r = {
      name, history: [], received: [], seen: new Set(), sockets: new Set(),
      open: 0, maxOpen: 0, total: 0, until: 0, timer: null,
      /** Emits `count` more ticks, `batch` every `everyMs` ms. */
      stream(count, everyMs = 1, batch = 1) {
        r.until = r.history.length + Number(count);
        persist({ r: name, until: r.until, everyMs, batch });
        run(r, everyMs, batch);
      },
      /** Cuts every socket of the room without a close frame. */
      drop() { for (const s of [...r.sockets]) { s.ws.terminate(); forget(r, s); } },
      /** Sends raw `data` (a string, or bytes with `{binary: true}`) to every socket of the room. */
      send(data, options) { for (const s of r.sockets) s.ws.send(data, options); },
      snapshot: () => ({ history: r.history.length, received: r.received, open: r.open, maxOpen: r.maxOpen, total: r.total, streaming: r.timer !== null }),
    };
    rooms.set(name, r);
    return r;
  }

  // The state file: one line per fact, replayed in order; a torn last line is skipped.
  const paces = new Map(); // room name -> [everyMs, batch] of its last stream
  if (stateFile && existsSync(stateFile)) {
    const text = readFileSync(stateFile, 'utf8');
    for (const line of text.split('\n')) {
      let e;
      try { e = JSON.parse(line); } catch { continue; }
      const r = room(e.r);
      if (e.tick) r.history.push(e.tick);
      if (e.recv) r.received.push(e.recv);
      if (e.seen !== undefined) r.seen.add(e.seen);
      if (e.until) { r.until = e.until; paces.set(r.name, [e.everyMs, e.batch]); }
    }
    if (text && !text.endsWith('\n')) appendFileSync(stateFile, '\n');
  }

  /** Appends tick history.length + 1, persisted before any socket gets it. */
  function tick(r) {
    const k = r.history.length + 1;
    const msg = { type: 'tick', id: k, n: k };
    persist({ r: r.name, tick: msg });
    r.history.push(msg);
  }

  function run(r, everyMs, batch) {
    if (r.timer) clearTimeout(r.timer);
    const step = () => {
      for (let i = 0; i < batch && r.history.length < r.until; i++) tick(r);
      for (const s of r.sockets) pump(s, r);
      r.timer = r.history.length < r.until ? setTimeout(step, everyMs) : null;
    };
    r.timer = setTimeout(step, everyMs);
  }

  /** Sends a socket in step every history message after its cursor. */
  function pump(s, r) {
    if (!s.inStep) return;
    while (s.cursor < r.history.length) s.ws.send(JSON.stringify(r.history[s.cursor++]));
  }

  function inStep(s, r, cursor) {
    clearTimeout(s.wait);
    s.inStep = true;
    s.cursor = cursor;
    pump(s, r);
  }

  /** A socket leaves the room's counts once, whether it closed or was cut. */
  function forget(r, s) {
    if (!r.sockets.delete(s)) return;
    clearTimeout(s.wait);
    r.open -= 1;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const r = room(url.searchParams.get('room') ?? '');
    const reply = (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && url.pathname === '/control') return reply(r.snapshot());
    if (req.method === 'POST' && url.pathname === '/control/stream') {
      const n = (key, otherwise) => Number(url.searchParams.get(key) ?? otherwise);
      r.stream(n('count', 0), n('everyMs', 1), n('batch', 1));
      return reply(r.snapshot());
    }
    if (req.method === 'POST' && url.pathname === '/control/drop') { r.drop(); return reply(r.snapshot()); }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server, maxPayload: 64 << 20 });

  wss.on('connection', (ws, req) => {
    const r = room(new URL(req.url, 'http://127.0.0.1').searchParams.get('room') ?? '');
    const s = { ws, cursor: r.history.length, inStep: false, wait: null };
    s.wait = setTimeout(() => inStep(s, r, s.cursor), IN_STEP_AFTER_MS);
    r.sockets.add(s);
    r.open += 1;
    r.total += 1;
    r.maxOpen = Math.max(r.maxOpen, r.open);
    ws.on('close', () => forget(r, s));
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => {
      let msg;
      try { msg = isBinary ? undefined : JSON.parse(data.toString()); } catch { msg = undefined; }
      if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return;
      if (msg.type === 'resume' && !msg.cmd) {
        const from = r.history.findLastIndex((m) => String(m.id) === String(msg.last_id));
        return inStep(s, r, from + 1);
      }
      if (!s.inStep) inStep(s, r, s.cursor);
      if (msg.type === 'ping' && !msg.cmd) return ws.send('{"type":"pong"}');
      switch (msg.cmd) {
        case undefined: break;
        case 'stream': return r.stream(msg.count, msg.everyMs ?? 1, msg.batch ?? 1);
        case 'drop': return r.drop();
        case 'count': return ws.send(JSON.stringify({ type: 'count', ...r.snapshot(), received: r.received.length }));
        default: return;
      }
      if ('client_id' in msg) {
        if (!r.seen.has(msg.client_id)) {
          persist({ r: r.name, seen: msg.client_id, recv: msg });
          r.seen.add(msg.client_id);
          r.received.push(msg);
        }
        return ws.send(JSON.stringify({ type: 'ack', client_id: msg.client_id }));
      }
      persist({ r: r.name, recv: msg });
      r.received.push(msg);
    });
  });

  // An unfinished stream from the state file goes on from the history's end.
  for (const r of rooms.values()) {
    if (r.history.length < r.until) run(r, ...paces.get(r.name));
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        url: `ws://127.0.0.1:${port}`,
        room,
        rooms,
        close: () => new Promise((done) => {
          for (const r of rooms.values()) { clearTimeout(r.timer); r.timer = null; }
          for (const ws of wss.clients) ws.terminate();
          wss.close();
          server.close(() => done());
        }),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startReliableServer({ port: Number(process.env.PORT ?? 0), stateFile: process.env.STATE_FILE || null });
  console.log(`READY ${s.url}`);
}
