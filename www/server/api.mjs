// The HTTP API: `/api/...` is the app's REST (Bearer token), `/control/...` lets tests steer
// the server by user name: emit sample events or frames (`raw: true`: as given, without an
// id), drop, close or refuse sockets, count them, read the user's data.
import { CONVERSATIONS } from './state.mjs';

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const noContent = (res) => res.writeHead(204).end();

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

/** Emits `count` sample events of `kind` (at most 1000) to `user`. */
function emitMany(state, user, { kind, conversationId, text, count = 1 }) {
  const n = Math.min(Math.max(1, Number(count) || 1), 1000);
  let last = null;
  for (let i = 0; i < n; i++) last = state.emit(user, kind, { conversationId, text });
  return last;
}

/** The routes of the app, keyed `METHOD /path` with `:id` for a numeric segment. */
function appRoutes(state, sockets) {
  return {
    'GET /api/notifications': (u) => state.notifications(u),
    'GET /api/notifications/unread-count': (u) => ({ count: state.notifications(u).filter((n) => !n.read).length }),
    'POST /api/notifications/read-all': (u) => state.markAllRead(u),
    'POST /api/notifications/:id/read': (u, id) => state.markRead(u, id) || 404,
    'DELETE /api/notifications/:id': (u, id) => state.deleteNotification(u, id) || 404,
    'GET /api/friend-requests': (u) => state.requests(u),
    'POST /api/friend-requests/:id/accept': (u, id) => state.answerRequest(u, id, true) || 404,
    'POST /api/friend-requests/:id/decline': (u, id) => state.answerRequest(u, id, false) || 404,
    'GET /api/conversations': () => CONVERSATIONS.map(({ id, title }) => ({ id, title })),
    'GET /api/conversations/:id/messages': (u, id) => state.messages(u, id) ?? 404,
    'POST /api/demo/emit': (u, _, body) => emitMany(state, u, body) ?? 400,
    'POST /api/demo/drop': (u) => sockets.drop(u),
  };
}

/** The control routes: no auth, the user named in the query or body. */
function controlRoutes(state, sockets) {
  return {
    'GET /control/sockets': (u) => sockets.count(u),
    'GET /control/state': (u) => ({
      notifications: state.notifications(u),
      requests: state.requests(u),
      messages: Object.fromEntries(CONVERSATIONS.map((c) => [c.id, state.messages(u, c.id)])),
    }),
    'POST /control/emit': (u, _, body) => emitMany(state, u, body) ?? 400,
    'POST /control/send': (u, _, body) => sockets.publish(u, body.channel ?? 'notifications', body.frame, Boolean(body.raw)),
    'POST /control/drop': (u) => sockets.drop(u),
    'POST /control/close': (u, _, body) => sockets.close(u, Number(body.code) || 1000),
    'POST /control/block': (u, _, body) => sockets.block(u, Boolean(body.blocked)),
  };
}

/** A request handler for `/api/` and `/control/`; resolves false for any other path. */
export function createApi({ state, sockets }) {
  const app = appRoutes(state, sockets);
  const control = controlRoutes(state, sockets);

  function route(table, method, path) {
    const m = path.match(/^(.*?)\/(\d+)(\/[a-z-]+)?$/);
    const withId = m && table[`${method} ${m[1]}/:id${m[3] ?? ''}`];
    return withId ? [withId, Number(m[2])] : [table[`${method} ${path}`], null];
  }

  return async function handle(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname.replace(/\/$/, '');
    const isControl = path.startsWith('/control/');
    if (!isControl && !path.startsWith('/api/')) return false;
    const body = req.method === 'GET' ? {} : await readBody(req);
    if (req.method === 'POST' && path === '/api/login') {
      const user = String(body.user ?? '').trim().toLowerCase();
      if (!/^[a-z0-9_-]{1,32}$/.test(user)) return json(res, 400, { error: 'user: 1-32 letters, digits, - or _' });
      return json(res, 200, { user, token: state.tokenFor(user) });
    }
    const [handler, id] = route(isControl ? control : app, req.method, path);
    if (!handler) return json(res, 404, { error: 'no such route' });
    const user = isControl
      ? String(url.searchParams.get('user') ?? body.user ?? '')
      : state.userOf((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!user) return json(res, 401, { error: isControl ? 'user is required' : 'invalid token' });
    const result = handler(user, id, body);
    if (typeof result === 'number') return json(res, result, { error: 'not found or invalid' });
    return result === undefined || typeof result === 'boolean' ? noContent(res) : json(res, 200, result);
  };
}
