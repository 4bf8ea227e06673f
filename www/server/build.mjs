// Builds the Vite app into www/dist when it is missing, older than any of its sources, or
// was built with another VITE_USE_UNIFIED_WS.
import { spawn } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = fileURLToPath(new URL('..', import.meta.url));
/** Where the built app lives. */
export const DIST = join(www, 'dist');
const SOURCES = ['src', 'index.html', 'vite.config.js', 'package-lock.json', '../react', '../pkg'].map((p) => join(www, p));
const STAMP = join(DIST, '.build-env');

async function newest(path) {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newest(join(path, e))));
  return Math.max(info.mtimeMs, ...times);
}

async function isFresh(flag) {
  const built = await stat(join(DIST, 'index.html')).catch(() => null);
  const stamp = await readFile(STAMP, 'utf8').catch(() => null);
  if (!built || stamp !== flag) return false;
  const sources = await Promise.all(SOURCES.map(newest));
  return Math.max(...sources) <= built.mtimeMs;
}

/** Runs `vite build` in www/ unless www/dist is up to date. Rejects if the build fails. */
export async function ensureBuilt() {
  const flag = process.env.VITE_USE_UNIFIED_WS ?? '';
  if (await isFresh(flag)) return;
  const vite = join(www, 'node_modules', '.bin', 'vite');
  const code = await new Promise((resolve) => {
    spawn(vite, ['build', '--logLevel', 'warn'], { cwd: www, stdio: 'inherit' }).on('close', resolve);
  });
  if (code !== 0) throw new Error(`vite build failed with exit code ${code}`);
  await writeFile(STAMP, flag);
}
