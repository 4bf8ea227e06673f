// The WebSocket endpoints. `/ws/realtime/` is the unified one (every channel); the legacy
// `/ws/notifications/` and `/ws/friend-requests/` carry one channel each. Every socket is
// counted per user, so tests can check how many a page holds.
import { WebSocketServer } from 'ws';

/** Endpoint path → the channels it carries and whether it accepts chat messages. */
const ENDPOINTS = {
  '/ws/realtime/': { name: 'realtime', channels: ['notifications', 'friend_requests'], chat: true },
  '/ws/notifications/': { name: 'notifications', channels: ['notifications'], chat: true },
  '/ws/friend-requests/': { name: 'friendRequests', channels: ['friend_requests'], chat: false },
};

/**
 * The socket layer. `userOf(token)` authenticates; `onChat(user, frame)` receives chat frames
 * (`{conversation_id, message, type}`) from the endpoints that accept them.
 */
export function createSockets({ userOf, onChat }) {
  const wss = new WebSocketServer({ noServer: true });
  const open = new Map(); // user → Set of {ws, endpoint}
  const opened = new Map(); // user → sockets ever accepted
  const blocked = new Set();
  const socketsOf = (user) => open.get(user) ?? new Set();

  function accept(ws, user, endpoint) {
    if (!open.has(user)) open.set(user, new Set());
    const entry = { ws, endpoint };
    open.get(user).add(entry);
    opened.set(user, (opened.get(user) ?? 0) + 1);
    ws.on('close', () => open.get(user)?.delete(entry));
    ws.on('message', (data, isBinary) => {
      let frame;
      try {
        frame = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        return;
      }
      if (frame?.type === 'ping') return ws.send('{"type":"pong"}');
      if (endpoint.chat && frame && 'conversation_id' in frame) onChat(user, frame);
    });
  }

  return {
    /** Handles an HTTP upgrade; false if the path is not a WebSocket endpoint. */
    upgrade(req, socket, head) {
      const url = new URL(req.url, 'http://127.0.0.1');
      const endpoint = ENDPOINTS[url.pathname];
      if (!endpoint) return false;
      const user = userOf(url.searchParams.get('token'));
      if (user && blocked.has(user)) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (!user) return ws.close(4001, 'invalid token');
        accept(ws, user, endpoint);
      });
      return true;
    },
    /** Sends `frame` to every socket of `user` that carries `channel`. */
    publish(user, channel, frame) {
      const text = JSON.stringify(frame);
      for (const { ws, endpoint } of socketsOf(user)) if (endpoint.channels.includes(channel)) ws.send(text);
    },
    /** `{realtime, notifications, friendRequests, total, opened}`: open sockets, and all ever accepted. */
    count(user) {
      const counts = { realtime: 0, notifications: 0, friendRequests: 0, total: 0, opened: opened.get(user) ?? 0 };
      for (const { endpoint } of socketsOf(user)) {
        counts[endpoint.name] += 1;
        counts.total += 1;
      }
      return counts;
    },
    /** Cuts every socket of `user` without a close frame. */
    drop: (user) => socketsOf(user).forEach(({ ws }) => ws.terminate()),
    /** Closes every socket of `user` with `code`. */
    close: (user, code) => socketsOf(user).forEach(({ ws }) => ws.close(code, 'closed by the demo server')),
    /** While blocked, `user`'s upgrades are refused with HTTP 503. */
    block(user, on) {
      if (on) blocked.add(user);
      else blocked.delete(user);
    },
    /** Terminates every socket. */
    closeAll() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
