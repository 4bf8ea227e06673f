// How the demo shows a user: user ids are the demo's login names (`ada`, `bob`), shown
// capitalized ("Ada", "Bob"), as the peers of the conversations sign their messages.

/** The name shown for user `id`. */
export function displayName(id) {
  const name = String(id);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** "Ada", "Ada and Bob", "Ada, Bob and Grace": the names of `ids`, joined. */
export function nameList(ids) {
  const names = ids.map(displayName);
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
