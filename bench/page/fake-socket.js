// A stand-in for the browser's WebSocket, with a fake server behind it per protocol, so each
// client is fed through its own socket path: the library makes the socket (`new WebSocket(url)`
// through the global, at the time it connects), sets `binaryType` and the `on…` handlers, and
// the bench calls `socket.onmessage({data})` with the frames a server would send it.
//
// Importing this module installs the class as `globalThis.WebSocket`; import it before any
// client library (engine.io-client reads the global once, when it loads).
//
// The server behind a socket is chosen by the URL's host (see HOSTS). It answers what the client
// sends as a real one would (handshakes, joins, heartbeats), always in a later task, and pings
// the client at the protocol's interval where the protocol wants that.

const sockets = [];
const made = new Map(); // host -> sockets ever made to it
// What a real socket does "later" (open, replies, close) runs in a later task: a MessageChannel
// message, in order, without the 4 ms clamp of nested timers.
const queue = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => queue.shift()();
function later(fn) {
  queue.push(fn);
  channel.port2.postMessage(0);
}

export class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  constructor(url, protocols) {
    this.url = String(url);
    this.protocol = Array.isArray(protocols) ? (protocols[0] ?? '') : (protocols ?? '');
    this.extensions = '';
    this.binaryType = 'blob';
    this.bufferedAmount = 0;
    this.readyState = 0;
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    this.host = new URL(this.url).hostname;
    const make = SERVERS[HOSTS[this.host]];
    if (!make) throw new SyntaxError(`fake WebSocket: no server for ${this.url}`);
    this.server = make(this);
    this.sent = 0;
    sockets.push(this);
    made.set(this.host, (made.get(this.host) ?? 0) + 1);
    later(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.onopen?.({ type: 'open', target: this });
      this.server.open?.();
    });
  }

  send(data) {
    if (this.readyState === 0) throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
    if (this.readyState !== 1) return;
    this.sent++;
    this.server.receive?.(String(data));
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    later(() => this.#closed(code, reason, true));
  }

  /** Server side: sends `text` to the client in a later task. */
  reply(text) {
    later(() => this.deliver(text));
  }

  /** Server side: sends `text` to the client now (what the bench does with every frame). */
  deliver(text) {
    if (this.readyState === 1) this.onmessage?.({ type: 'message', data: text, target: this });
  }

  /** Server side: the connection drops (code 1006 unless given), as when the server goes away. */
  drop(code = 1006) {
    if (this.readyState === 3) return;
    this.readyState = 2;
    later(() => this.#closed(code, '', false));
  }

  #closed(code, reason, wasClean) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.server.closed?.();
    this.onclose?.({ type: 'close', code, reason, wasClean, target: this });
    const at = sockets.indexOf(this);
    if (at >= 0) sockets.splice(at, 1);
  }
}
for (const [k, v] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) FakeWebSocket.prototype[k] = v;

globalThis.WebSocket = FakeWebSocket;

/** How many sockets were ever made to `host`. */
export const socketsMade = (host) => made.get(host) ?? 0;

/** The sockets to `host` not closed yet, oldest first. */
export const socketsTo = (host) => sockets.filter((s) => s.host === host);

/** Server pings every `ms` while the socket is open. */
function pinger(ws, ms, text) {
  const timer = setInterval(() => ws.deliver(text), ms);
  return () => clearInterval(timer);
}

// The protocol of each host. One host per client, so each client's sockets can be told apart.
export const HOSTS = {
  'parse.bench.invalid': 'json',
  'plain.bench.invalid': 'json',
  'rt.bench.invalid': 'json',
  'rt-quiet.bench.invalid': 'json',
  'rt-memory.bench.invalid': 'json',
  'plain-memory.bench.invalid': 'json',
  'socketio.bench.invalid': 'socketio',
  'centrifuge.bench.invalid': 'centrifuge',
  'centrifuge-types.bench.invalid': 'centrifuge',
  'phoenix.bench.invalid': 'phoenix',
};

const SERVERS = {
  // The app's own JSON protocol: one message per frame; answers the package's heartbeat ping.
  json: (ws) => ({
    receive(text) {
      let m = null;
      try { m = text.length < 64 ? JSON.parse(text) : null; } catch {}
      if (m?.type === 'ping') ws.reply('{"type":"pong"}');
    },
  }),

  // Engine.IO v4 over WebSocket with Socket.IO v5 packets: the open packet, then the client
  // connects to the namespace "/" (`40`); events are `42["name",payload]`; the server pings (`2`).
  socketio: (ws) => {
    let stop = () => {};
    return {
      open() {
        ws.reply('0' + JSON.stringify({ sid: 'eio-sid-1', upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 }));
        stop = pinger(ws, 25000, '2');
      },
      receive(text) {
        if (text.startsWith('40')) ws.reply('40' + JSON.stringify({ sid: 'sio-sid-1' }));
      },
      closed: () => stop(),
    };
  },

  // Centrifugo's JSON protocol: newline-separated commands, each answered by a reply with its id
  // (connect, subscribe); publications are pushes `{"push":{"channel":…,"pub":{"data":…}}}`;
  // the server pings (`{}`) every `ping` seconds and the client answers with `{}`.
  centrifuge: (ws) => {
    let stop = () => {};
    return {
      receive(text) {
        const replies = [];
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          const cmd = JSON.parse(line);
          if (cmd.connect) {
            replies.push({ id: cmd.id, connect: { client: 'client-1', version: '6.0.0', ping: 25, pong: true } });
            stop();
            stop = pinger(ws, 25000, '{}');
          } else if (cmd.subscribe) {
            replies.push({ id: cmd.id, subscribe: {} });
          } else if (cmd.unsubscribe) {
            replies.push({ id: cmd.id, unsubscribe: {} });
          }
        }
        if (replies.length) ws.reply(replies.map((r) => JSON.stringify(r)).join('\n'));
      },
      closed: () => stop(),
    };
  },

  // Phoenix channels, serializer v2: frames are [join_ref, ref, topic, event, payload]; joins,
  // leaves and the client's heartbeats get a `phx_reply` with status "ok".
  phoenix: (ws) => {
    const joins = new Map();
    return {
      joins,
      receive(text) {
        const [joinRef, ref, topic, event] = JSON.parse(text);
        if (event === 'phx_join') joins.set(topic, joinRef);
        if (event === 'phx_leave') joins.delete(topic);
        if (event === 'phx_join' || event === 'phx_leave' || event === 'heartbeat') {
          ws.reply(JSON.stringify([joinRef, ref, topic, 'phx_reply', { status: 'ok', response: {} }]));
        }
      },
    };
  },
};
