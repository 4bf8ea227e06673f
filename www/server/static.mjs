// Serves the built app: files under `root`, and index.html for any other GET (client routes).
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** A request handler serving `root` (a built Vite app). */
export function createStatic(root) {
  return async function serve(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405).end();
    const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) return res.writeHead(403).end();
    for (const candidate of [file, join(root, 'index.html')]) {
      try {
        const body = await readFile(candidate);
        const type = TYPES[extname(candidate)] ?? 'application/octet-stream';
        return res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' }).end(body);
      } catch {
        // not a file: fall back to index.html
      }
    }
    return res.writeHead(404).end();
  };
}
