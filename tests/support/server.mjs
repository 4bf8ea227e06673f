// The realtime test server: a real `ws` server on 127.0.0.1 that tests steer from the client.
//
// Paths:   /ws       normal: answers {"type":"ping"} with {"type":"pong"}, obeys commands,
//                    echoes anything else as {"type":"echo","data":...}
//          /silent   accepts and never answers (heartbeat timeouts)
//          /refuse   rejects the upgrade with HTTP 403 (failed attempts)
//          /hang     never answers the upgrade (connect timeouts)
//          /close/N  accepts, then closes at once with code N
//          /hello    sends {"type":"hello","path","query"} on connect
//          /auth     normal with ?token=good, else accepts and closes at once with 4001
// Commands (JSON frames with a "cmd" field):
//          {"cmd":"emit","frames":[...]}  each item as its own frame (strings as-is, others as JSON)
//          {"cmd":"binary"}               a binary frame
//          {"cmd":"close","code":N}       close with code N
//          {"cmd":"drop"}                 cut the TCP connection without a close frame
//          {"cmd":"count"}                {"type":"count","open":N,"total":M} for this ?room=
// A frame carrying "client_id" is echoed, then acked with {"type":"ack","client_id"} unless it
// also carries "noack".
// Run directly, it prints `READY ws://127.0.0.1:PORT` and serves until killed.
import http from 'node:http';
import { WebSocketServer } from 'ws';

export function startServer({ port = 0 } = {}) {
  const rooms = new Map();
  const members = new Map(); // room → its open sockets
  const room = (name) => {
    if (!rooms.has(name)) rooms.set(name, { open: 0, total: 0 });
    return rooms.get(name);
  };
  const server = http.createServer((req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  const hanging = new Set();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/refuse') {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    if (url.pathname === '/hang') {
      hanging.add(socket);
      socket.on('close', () => hanging.delete(socket));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, url));
  });

  function accept(ws, url) {
    const name = url.searchParams.get('room') ?? '';
    const counts = room(name);
    counts.open += 1;
    counts.total += 1;
    if (!members.has(name)) members.set(name, new Set());
    members.get(name).add(ws);
    ws.on('close', () => { counts.open -= 1; members.get(name).delete(ws); });
    const closeWith = url.pathname.match(/^\/close\/(\d+)$/);
    if (closeWith) return ws.close(Number(closeWith[1]), 'closed by test server');
    if (url.pathname === '/auth' && url.searchParams.get('token') !== 'good') return ws.close(4001, 'bad token');
    if (url.pathname === '/silent') return;
    if (url.pathname === '/hello') {
      ws.send(JSON.stringify({ type: 'hello', path: url.pathname, query: Object.fromEntries(url.searchParams) }));
    }
    ws.on('message', (data, isBinary) => {
      let msg;
      try { msg = JSON.parse(isBinary ? '' : data.toString()); } catch { msg = undefined; }
      if (msg && msg.type === 'ping' && !msg.cmd) return ws.send('{"type":"pong"}');
      switch (msg && msg.cmd) {
        case 'emit':
          for (const f of msg.frames) ws.send(typeof f === 'string' ? f : JSON.stringify(f));
          return;
        case 'binary': return ws.send(Buffer.from([1, 2, 3]), { binary: true });
        case 'close': return ws.close(msg.code, 'closed by test server');
        case 'drop': return ws.terminate();
        case 'count': return ws.send(JSON.stringify({ type: 'count', ...counts }));
        default:
          ws.send(JSON.stringify({ type: 'echo', data: msg ?? data.toString() }));
          if (msg && typeof msg.client_id === 'string' && !msg.noack) ws.send(JSON.stringify({ type: 'ack', client_id: msg.client_id }));
      }
    });
  }

  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        url: `ws://127.0.0.1:${port}`,
        rooms,
        /** The open sockets of room `name`. */
        sockets: (name) => members.get(name) ?? new Set(),
        close: () => new Promise((done) => {
          for (const ws of wss.clients) ws.terminate();
          for (const socket of hanging) socket.destroy();
          wss.close();
          server.close(() => done());
        }),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startServer({ port: Number(process.env.PORT ?? 0) });
  console.log(`READY ${s.url}`);
}
