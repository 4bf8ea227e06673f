// Figure 5: the native reconnect-storm simulation (examples/reconnect_storm.rs), run by cargo.
import { execFileSync } from 'node:child_process';

export function storm(root) {
  const out = execFileSync('cargo', ['run', '--release', '--quiet', '--example', 'reconnect_storm', '--', '--json'], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` },
  });
  return JSON.parse(out.trim().split('\n').pop());
}
