// The socket URL from the `url` option: ws:// or wss:// as given, or a path resolved against the
// page (wss: on https pages), with the token as a query parameter. Errors never hold the token.

const bad = (why) => new Error('option "url": ' + why);

/** The URL to open for `url` with `token` (or none) in the query parameter `param`. */
export function socketUrl(url, token, param) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    const base = globalThis.location?.href;
    if (!base) throw bad('a path needs a page location to resolve against; give a ws:// or wss:// URL');
    try {
      parsed = new URL(url, base);
    } catch {
      throw bad('could not be parsed as a URL or path');
    }
    if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
    else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw bad('expected a ws:// or wss:// URL, or a path such as "/ws/realtime/"');
  }
  if (token != null) parsed.searchParams.set(param, token);
  return parsed.href;
}
