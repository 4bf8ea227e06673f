// The demo server: builds the app if needed, then serves it, its REST API, the unified and
// legacy WebSocket endpoints and the test control API on one port on 127.0.0.1.
// `node www/server.mjs` prints the page URL (PORT env var, default 5173, else any free port).
import http from 'node:http';
import { createApi } from './server/api.mjs';
import { DIST, ensureBuilt } from './server/build.mjs';
import { createDelivery } from './server/delivery.mjs';
import { createPresence } from './server/presence.mjs';
import { createSockets } from './server/sockets.mjs';
import { createState, CONVERSATIONS, fullNameOf } from './server/state.mjs';
import { createStatic } from './server/static.mjs';
import { createTyping } from './server/typing.mjs';

/**
 * Builds the app if stale and starts the server. `autoReplyMs`: when set, the peer of a
 * conversation answers each message after that delay (off in tests, on from the CLI).
 * `historySize`: frames kept per user for `resume` on the unified endpoint.
 * @param {{port?: number, autoReplyMs?: number, historySize?: number}} [options]
 * @returns {Promise<{url: string, port: number, close(): Promise<void>}>}
 */
export async function startDemoServer({ port = 0, autoReplyMs = 0, historySize = 1000 } = {}) {
  await ensureBuilt();
  const timers = new Set();
  let sockets;
  const state = createState((user, channel, frame) => sockets.publish(user, channel, frame));
  const ephemeral = (user, frame) => sockets.ephemeral(user, frame);
  const presence = createPresence({ fullNameOf, send: ephemeral });
  sockets = createSockets({
    userOf: state.userOf,
    delivery: createDelivery({ historySize }),
    onTyping: createTyping({ membersOf: state.members, send: ephemeral }),
    onOpen: presence.opened,
    onClose: presence.closed,
    onChat(user, frame) {
      const sent = state.addMessage(user, frame.conversation_id, user, frame.message);
      const peer = CONVERSATIONS.find((c) => c.id === sent?.conversation_id)?.peer;
      if (!peer || !autoReplyMs) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        state.addMessage(user, sent.conversation_id, peer, `${peer} read "${sent.message}"`);
      }, autoReplyMs);
      timers.add(timer);
    },
  });
  const api = createApi({ state, sockets });
  const serveStatic = createStatic(DIST);
  const server = http.createServer(async (req, res) => {
    if (!(await api(req, res))) await serveStatic(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (!sockets.upgrade(req, socket, head)) socket.destroy();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = server.address().port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    port: bound,
    close: () => new Promise((done) => {
      timers.forEach(clearTimeout);
      sockets.closeAll();
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}

async function main() {
  const options = { autoReplyMs: 1500 };
  const wanted = process.env.PORT ? Number(process.env.PORT) : 5173;
  let demo;
  try {
    demo = await startDemoServer({ ...options, port: wanted });
  } catch (error) {
    if (error.code !== 'EADDRINUSE' || process.env.PORT) throw error;
    demo = await startDemoServer({ ...options, port: 0 });
  }
  console.log('realtime-context demo: open (add ?user=NAME to pick the user, ?unified=1|0 to pick the mode)');
  console.log(demo.url);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
