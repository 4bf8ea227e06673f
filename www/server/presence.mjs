// Who is online on the unified endpoint: a user is online while at least one of their unified
// sockets is open. A new socket gets `{type:"online_users", users: [{user_id, full_name}]}` of
// the others online; a user's first socket tells the others `{type:"user_online", user_id,
// full_name}`, their last one closing `{type:"user_offline", user_id}`. The frames are
// ephemeral: sent as they are, never numbered or kept.

/**
 * `fullNameOf(user)` names a user; `send(user, frame)` writes to every unified socket of `user`.
 * @param {{fullNameOf(user: string): string, send(user: string, frame: object): void}} options
 */
export function createPresence({ fullNameOf, send }) {
  const online = new Map(); // user → open unified sockets
  const others = (user) => [...online.keys()].filter((u) => u !== user);
  const entry = (user) => ({ user_id: user, full_name: fullNameOf(user) });

  return {
    /** A unified socket of `user` opened; `reply(frame)` writes to that socket alone. */
    opened(user, reply) {
      reply({ type: 'online_users', users: others(user).map(entry) });
      const count = (online.get(user) ?? 0) + 1;
      online.set(user, count);
      if (count === 1) for (const other of others(user)) send(other, { type: 'user_online', ...entry(user) });
    },
    /** A unified socket of `user` closed. */
    closed(user) {
      const count = (online.get(user) ?? 1) - 1;
      if (count > 0) {
        online.set(user, count);
        return;
      }
      online.delete(user);
      for (const other of online.keys()) send(other, { type: 'user_offline', user_id: user });
    },
  };
}
