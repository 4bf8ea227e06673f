// Headless Debian Chromium through playwright-core, and a static file server for pages.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches Debian's Chromium (never a downloaded one) with a fresh profile. */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves `root` on 127.0.0.1 (a free port); `pages` maps extra paths to HTML text. */
export function startStatic(root, pages = {}) {
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/favicon.ico') return res.writeHead(204).end();
    if (pages[path]) return res.writeHead(200, { 'content-type': 'text/html' }).end(pages[path]);
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  })));
}

/**
 * A page that loads the release build (`/js/index.js`) and sets `window.RealtimeContext`,
 * `window.until(cond, ms)` (polls, throws after `ms`) and, once loaded, `window.ready`.
 */
export const RELEASE_PAGE = `<!doctype html><script type="module">
  import init, { RealtimeContext } from '/js/index.js';
  await init();
  window.RealtimeContext = RealtimeContext;
  window.until = async (cond, ms = 15000) => {
    const end = Date.now() + ms;
    while (!cond()) { if (Date.now() > end) throw new Error('timed out: ' + cond); await new Promise((r) => setTimeout(r, 10)); }
  };
  window.ready = true;
</script>`;
