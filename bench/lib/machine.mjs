// The machine and tool versions the figures were measured with.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

const run = (cmd, args) => {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return 'unknown'; }
};

export function machine(browserVersion) {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  const home = process.env.HOME ?? '/root';
  return {
    date: new Date().toISOString(),
    nproc: run('nproc', []),
    cpu,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    chromium: browserVersion,
    rustc: run('rustc', ['--version']),
    wasmBindgen: run(`${home}/.cargo/bin/wasm-bindgen`, ['--version']),
    loadStart: loadavg()[0],
  };
}
