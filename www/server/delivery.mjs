// The delivery log behind the unified endpoint's guarantees: every frame pushed to a user gets
// that user's next id (1, 2, 3, ...) and is kept in a bounded history, so that a
// `{type:"resume", last_id}` can replay what a socket missed; and the `client_id`s a user sent,
// so that a frame written again after a reconnect is applied once.

/**
 * A fresh log, in memory. `historySize`: frames kept per user (the oldest go first);
 * `seenSize`: client_ids remembered per user.
 * @param {{historySize?: number, seenSize?: number}} [options]
 */
export function createDelivery({ historySize = 1000, seenSize = 10_000 } = {}) {
  const users = new Map(); // user → {nextId, history: [{id, channel, text}], seen: Set}
  const of = (user) => {
    if (!users.has(user)) users.set(user, { nextId: 1, history: [], seen: new Set() });
    return users.get(user);
  };

  return {
    /**
     * Stamps `frame` (an object) with `user`'s next id, keeps it and returns the entry
     * `{id, channel, text}`, `text` being the stamped frame as JSON.
     * @param {string} user
     * @param {string} channel
     * @param {object} frame
     */
    record(user, channel, frame) {
      const log = of(user);
      const id = log.nextId++;
      const entry = { id, channel, text: JSON.stringify({ ...frame, id }) };
      log.history.push(entry);
      if (log.history.length > historySize) log.history.shift();
      return entry;
    },
    /**
     * `user`'s kept entries with `after < id < before`, oldest first. Ids in the history are
     * consecutive, so this is a slice.
     * @param {string} user
     * @param {number} after
     * @param {number} [before]
     */
    between(user, after, before = Infinity) {
      const { history } = of(user);
      if (!history.length) return [];
      const first = history[0].id;
      const start = Math.max(0, Math.floor(after) + 1 - first);
      const end = Math.min(history.length, Math.ceil(before) - first);
      return start < end ? history.slice(start, end) : [];
    },
    /**
     * True the first time `user` sends `clientId`, false for every later copy.
     * @param {string} user
     * @param {string} clientId
     */
    firstSeen(user, clientId) {
      const { seen } = of(user);
      if (seen.has(clientId)) return false;
      seen.add(clientId);
      if (seen.size > seenSize) seen.delete(seen.values().next().value);
      return true;
    },
  };
}
