// The WebSocket endpoints. `/ws/realtime/` is the unified one (every channel); the legacy
// `/ws/notifications/` and `/ws/friend-requests/` carry one channel each. Every socket is
// counted per user, so tests can check how many a page holds.
//
// The unified endpoint follows the delivery rules: each frame pushed to a user carries the
// user's next `id` and is kept in the delivery log; `{type:"resume", last_id}` replays the kept
// frames after `last_id`, in order; a frame carrying `client_id` is applied once per user and
// every copy is answered with `{type:"ack", client_id}` on that socket. It also carries the
// ephemeral frames, typing and presence, which are sent as they are: never numbered, kept or
// replayed. The legacy endpoints get the frames without ids and know nothing of resume, acks,
// typing or presence, as seed 000's consumers.
import { WebSocketServer } from 'ws';
import { createDelivery } from './delivery.mjs';

/**
 * Endpoint path → the channels it carries, whether it accepts chat messages, whether it
 * follows the delivery rules and whether it carries the ephemeral frames (typing, presence).
 */
const ENDPOINTS = {
  '/ws/realtime/': { name: 'realtime', channels: ['notifications', 'friend_requests'], chat: true, delivery: true, ephemeral: true },
  '/ws/notifications/': { name: 'notifications', channels: ['notifications'], chat: true, delivery: false, ephemeral: false },
  '/ws/friend-requests/': { name: 'friendRequests', channels: ['friend_requests'], chat: false, delivery: false, ephemeral: false },
};

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A `last_id` as a number: a whole number, or a string of digits; else null. */
const lastIdOf = (v) => (Number.isSafeInteger(v) || (typeof v === 'string' && /^\d{1,15}$/.test(v)) ? Number(v) : null);
/** A `client_id` is a string of 1 to 256 characters. */
const isClientId = (v) => typeof v === 'string' && v.length > 0 && v.length <= 256;

/**
 * The socket layer. `userOf(token)` authenticates; `onChat(user, frame)` receives chat frames
 * (`{conversation_id, message, type}`) from the endpoints that accept them; `delivery` (see
 * delivery.mjs) numbers, keeps and de-duplicates for the unified endpoint. On the unified
 * endpoint, `onTyping(user, frame)` receives the `{type:"typing"}` frames, `onOpen(user, reply)`
 * is called for each socket accepted (`reply(frame)` writes to that socket alone) and
 * `onClose(user)` when it closes.
 */
export function createSockets({ userOf, onChat, onTyping = () => {}, onOpen = () => {}, onClose = () => {}, delivery = createDelivery() }) {
  const wss = new WebSocketServer({ noServer: true });
  const open = new Map(); // user → Set of {ws, endpoint, firstLive: the first id it got live}
  const opened = new Map(); // user → sockets ever accepted
  const blocked = new Set();
  const socketsOf = (user) => open.get(user) ?? new Set();

  function apply(ws, user, endpoint, frame) {
    if (frame?.type === 'ping') return ws.send('{"type":"pong"}');
    if (endpoint.ephemeral && frame?.type === 'typing') return onTyping(user, frame);
    if (endpoint.chat && frame && 'conversation_id' in frame) onChat(user, frame);
  }

  // Sends the kept frames after `lastId` that this socket has not had live yet (those from
  // `entry.firstLive` on went out as they were published), oldest first.
  function replay(entry, user, lastId) {
    for (const kept of delivery.between(user, lastId, entry.firstLive ?? Infinity)) {
      if (entry.endpoint.channels.includes(kept.channel)) entry.ws.send(kept.text);
    }
  }

  function receive(entry, user, frame) {
    const { ws, endpoint } = entry;
    if (!endpoint.delivery || !isObject(frame)) return apply(ws, user, endpoint, frame);
    if (frame.type === 'resume') {
      const lastId = lastIdOf(frame.last_id);
      if (lastId !== null) replay(entry, user, lastId);
      return;
    }
    if (!('client_id' in frame)) return apply(ws, user, endpoint, frame);
    if (!isClientId(frame.client_id)) return; // neither applied nor acked
    if (delivery.firstSeen(user, frame.client_id)) apply(ws, user, endpoint, frame);
    ws.send(JSON.stringify({ type: 'ack', client_id: frame.client_id }));
  }

  function accept(ws, user, endpoint) {
    if (!open.has(user)) open.set(user, new Set());
    const entry = { ws, endpoint, firstLive: null };
    open.get(user).add(entry);
    opened.set(user, (opened.get(user) ?? 0) + 1);
    ws.on('close', () => {
      open.get(user)?.delete(entry);
      if (endpoint.ephemeral) onClose(user);
    });
    ws.on('message', (data, isBinary) => {
      let frame;
      try {
        frame = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        return;
      }
      receive(entry, user, frame);
    });
    if (endpoint.ephemeral) onOpen(user, (frame) => ws.send(JSON.stringify(frame)));
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
    /**
     * Sends `frame` to every socket of `user` that carries `channel`. An object frame is kept
     * in the delivery log, and the unified sockets get it with its `id`; `raw`: sent as given
     * everywhere and not kept (a test's own ids).
     */
    publish(user, channel, frame, raw = false) {
      const text = JSON.stringify(frame);
      const kept = !raw && isObject(frame) ? delivery.record(user, channel, frame) : null;
      for (const entry of socketsOf(user)) {
        if (!entry.endpoint.channels.includes(channel)) continue;
        if (!kept || !entry.endpoint.delivery) {
          entry.ws.send(text);
          continue;
        }
        entry.firstLive ??= kept.id;
        entry.ws.send(kept.text);
      }
    },
    /**
     * Sends `frame` (typing, presence) to every unified socket of `user` as it is: not
     * numbered and not kept, so never replayed.
     */
    ephemeral(user, frame) {
      const text = JSON.stringify(frame);
      for (const { ws, endpoint } of socketsOf(user)) if (endpoint.ephemeral) ws.send(text);
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
