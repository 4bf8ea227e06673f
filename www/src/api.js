// The demo server's REST API.

async function request(method, path, token, body) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path} failed: HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** Logs `user` in: `{user, token}`. */
export const login = (user) => request('POST', '/api/login', null, { user });

/** The REST calls of a logged-in user (each a Promise; rejects on an HTTP error). */
export function createApi(token) {
  const call = (method, path, body) => request(method, path, token, body);
  return {
    fetchNotifications: () => call('GET', '/api/notifications'),
    markAsRead: (id) => call('POST', `/api/notifications/${id}/read`),
    markAllAsRead: () => call('POST', '/api/notifications/read-all'),
    deleteNotification: (id) => call('DELETE', `/api/notifications/${id}`),
    friendRequests: () => call('GET', '/api/friend-requests'),
    answerRequest: (id, accept) => call('POST', `/api/friend-requests/${id}/${accept ? 'accept' : 'decline'}`),
    conversations: () => call('GET', '/api/conversations'),
    messages: (conversationId) => call('GET', `/api/conversations/${conversationId}/messages`),
    simulate: (kind, extra) => call('POST', '/api/demo/emit', { kind, ...extra }),
    dropConnection: () => call('POST', '/api/demo/drop'),
  };
}
