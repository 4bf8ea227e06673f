// The real backends of the seed notes for the end-to-end tests: one virtualenv per backend
// (created once, reinstalled only when its requirements.txt changes), servers on free 127.0.0.1
// ports started as child processes and waited for, redis-server without persistence. Every
// process started here is stopped by stop() / kill(), and SIGKILLed if the test process exits.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, sleep, until } from '../support/wait.mjs';

export const BACKENDS = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export { freePort, sleep, until };

/** The users both test backends seed, by name: their ids (django's seed command, fastapi's store.py). */
export const USER_IDS = { ada: 1, bob: 2, cy: 3 };

/**
 * A temporary directory for one test file's server logs, databases and redis files, removed by
 * its cleanup (kept, and its path printed, when KEEP_BACKEND_LOGS is set).
 */
export function workDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `rc-${name}-`));
  const remove = () => {
    if (process.env.KEEP_BACKEND_LOGS) process.stderr.write(`[backends] logs kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  };
  return { dir, remove };
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * The virtualenv of backend `name` (tests/backends/NAME/requirements.txt) at
 * tests/backends/.venv-NAME, created with `python3 -m venv` and `pip install -r` unless its stamp
 * matches the hash of requirements.txt and the interpreter's version. Returns its bin directory
 * and how long the install took (0 when skipped).
 */
export function ensureVenv(name) {
  const requirements = join(BACKENDS, name, 'requirements.txt');
  const dir = join(BACKENDS, `.venv-${name}`);
  const stampFile = join(dir, '.requirements.sha256');
  const python = process.env.PYTHON ?? 'python3';
  const version = run(python, ['-c', 'import sys; print(sys.version)']).trim();
  const stamp = createHash('sha256').update(readFileSync(requirements)).update(version).digest('hex');
  const bin = join(dir, 'bin');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp && existsSync(join(bin, 'python'))) {
    return { bin, installMs: 0 };
  }
  const started = Date.now();
  process.stderr.write(`[backends] creating ${dir} (pip install -r ${name}/requirements.txt)\n`);
  rmSync(stampFile, { force: true });
  run(python, ['-m', 'venv', '--clear', dir]);
  run(join(bin, 'pip'), ['install', '--no-input', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stampFile, stamp + '\n');
  const installMs = Date.now() - started;
  process.stderr.write(`[backends] ${name} virtualenv ready in ${(installMs / 1000).toFixed(1)} s\n`);
  return { bin, installMs };
}

const children = new Set();
process.on('exit', () => { for (const c of children) try { c.kill('SIGKILL'); } catch {} });

/**
 * Starts `cmd args` (output to `logFile`) and resolves once `ready()` is truthy; rejects if the
 * process exits first or after `timeoutMs`. The handle's kill() SIGKILLs, stop() sends SIGTERM
 * and SIGKILL after 5 s; both resolve when the process is gone.
 */
export async function startProcess({ name, cmd, args, cwd, env, logFile, ready, timeoutMs = 60000 }) {
  const out = openSync(logFile, 'a');
  const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  closeSync(out);
  children.add(proc);
  let exitCode = null;
  const exited = new Promise((r) => proc.once('exit', (code, signal) => { exitCode = code ?? signal; children.delete(proc); r(); }));
  const log = () => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } };
  const handle = {
    name,
    pid: proc.pid,
    log,
    get running() { return exitCode === null; },
    kill: async () => { if (exitCode === null) proc.kill('SIGKILL'); await exited; },
    stop: async () => {
      if (exitCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => { if (exitCode === null) proc.kill('SIGKILL'); }, 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
  const ok = await until(async () => exitCode !== null || await ready().catch(() => false), { timeoutMs, everyMs: 100 });
  if (exitCode !== null || !ok) {
    await handle.kill();
    throw new Error(`${name} did not start (${exitCode !== null ? `exited ${exitCode}` : 'timed out'}); log:\n${log().slice(-4000)}`);
  }
  return handle;
}

const httpReady = (url) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/** JSON over HTTP: get(path), post(path, body, token?) against `base`. */
export function http(base) {
  const call = async (method, path, body, token) => {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
  return { get: (path, token) => call('GET', path, undefined, token), post: (path, body, token) => call('POST', path, body, token) };
}

/** An HS256 JWT (for tokens the servers must refuse: expired, wrongly signed). */
export function signJwt(claims, secret) {
  const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export const randomSecret = () => randomBytes(24).toString('hex');

// Django (tests/backends/django) -------------------------------------------------------------

const DJANGO = join(BACKENDS, 'django');

/** Migrates a fresh SQLite database at `dbPath` and seeds the users and conversations. */
export function prepareDjango({ bin, env }) {
  const opts = { cwd: DJANGO, env: { ...process.env, ...env } };
  run(join(bin, 'python'), ['manage.py', 'migrate', '--noinput', '-v', '0'], opts);
  run(join(bin, 'python'), ['manage.py', 'seed'], opts);
}

/** One daphne process serving the Django project on 127.0.0.1:`port`. */
export async function startDaphne({ bin, port, env, logFile, name = `daphne:${port}` }) {
  const p = await startProcess({
    name,
    cmd: join(bin, 'daphne'),
    args: ['-b', '127.0.0.1', '-p', String(port), 'project.asgi:application'],
    cwd: DJANGO,
    env: { PYTHONUNBUFFERED: '1', ...env },
    logFile,
    ready: httpReady(`http://127.0.0.1:${port}/api/health/`),
  });
  return { ...p, port, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

// FastAPI (tests/backends/fastapi) ------------------------------------------------------------

const FASTAPI = join(BACKENDS, 'fastapi');

/** One uvicorn process serving the FastAPI app on 127.0.0.1:`port`. */
export async function startUvicorn({ bin, port, env, logFile, name = `uvicorn:${port}` }) {
  const p = await startProcess({
    name,
    cmd: join(bin, 'uvicorn'),
    args: ['main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
    cwd: FASTAPI,
    env: { PYTHONUNBUFFERED: '1', ...env },
    logFile,
    ready: httpReady(`http://127.0.0.1:${port}/api/health`),
  });
  return { ...p, port, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

/**
 * The FastAPI app for one test file: a work directory `name`, the virtualenv, a new JWT secret,
 * uvicorn on a free port and its API, and the users' access tokens by username (ada, bob, cy).
 * Returns `{work, bin, secret, server, api, tokens}`.
 */
export async function startFastapiApp(name) {
  const work = workDir(name);
  const { bin } = ensureVenv('fastapi');
  const secret = randomSecret();
  const env = { JWT_SECRET: secret, DB_PATH: join(work.dir, 'messages.sqlite3') };
  const server = await startUvicorn({ bin, port: await freePort(), env, logFile: join(work.dir, 'uvicorn.log') });
  const api = http(server.http);
  const tokens = {};
  for (const who of ['ada', 'bob', 'cy']) tokens[who] = (await api.post('/api/token', { username: who, password: 'pw' })).access_token;
  return { work, bin, secret, server, api, tokens };
}

// redis-server ---------------------------------------------------------------------------------

/**
 * Installs Debian's redis-server when it is missing, through install_redis_server() of
 * scripts/setup.sh (run alone). Returns how long that took (0 when it was there).
 */
export function ensureRedisServer() {
  const has = () => spawnSync('bash', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;
  if (has()) return 0;
  const started = Date.now();
  process.stderr.write('[backends] redis-server missing: running install_redis_server of scripts/setup.sh\n');
  run('bash', ['-c', 'set -euo pipefail; eval "$(sed -n \'/^install_redis_server() {/,/^}/p\' scripts/setup.sh)"; install_redis_server'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (!has()) throw new Error('redis-server is still missing after install_redis_server');
  const installMs = Date.now() - started;
  process.stderr.write(`[backends] redis-server installed in ${(installMs / 1000).toFixed(1)} s\n`);
  return installMs;
}

function redisPing(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.setTimeout(2000, () => { s.destroy(); resolve(false); });
    s.on('error', () => resolve(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => { got += d; if (got.includes('\r\n')) { s.end(); resolve(got.startsWith('+PONG')); } });
  });
}

/** redis-server on a free 127.0.0.1 port, no RDB snapshots, no AOF, its files in `dir`. */
export async function startRedis({ dir, logFile }) {
  const port = await freePort();
  const p = await startProcess({
    name: `redis:${port}`,
    cmd: 'redis-server',
    args: ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes', '--daemonize', 'no'],
    cwd: dir,
    logFile,
    ready: () => redisPing(port),
  });
  return { ...p, port, url: `redis://127.0.0.1:${port}/0` };
}
