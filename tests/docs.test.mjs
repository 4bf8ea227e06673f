// The README's API table and the TypeScript declarations (js/index.d.ts) name the same members,
// so the table cannot drift from the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

test('the README API table lists exactly the members of RealtimeContext', () => {
  const dts = read('js/index.d.ts');
  const body = dts.slice(dts.indexOf('export class RealtimeContext'));
  const declared = new Set(
    [...body.slice(0, body.indexOf('\n}')).matchAll(/^\s+(?:get |readonly )?([a-zA-Z]+)[(:]/gm)]
      .map((m) => m[1])
      .filter((name) => name !== 'constructor' && name !== 'Symbol'),
  );
  const readme = read('README.md');
  const table = readme.slice(readme.indexOf('## API'), readme.indexOf('\n## ', readme.indexOf('## API') + 1));
  const documented = new Set([...table.matchAll(/^\| `([a-zA-Z]+)/gm)].map((m) => m[1]).filter((n) => n !== 'member'));
  assert.deepEqual([...documented].sort(), [...declared].sort());
});

test('the TypeScript declarations list exactly the members of the RealtimeContext class', async () => {
  const { RealtimeContext } = await import('../js/context.js');
  const dts = read('js/index.d.ts');
  const body = dts.slice(dts.indexOf('export class RealtimeContext'));
  const declared = [...body.slice(0, body.indexOf('\n}')).matchAll(/^\s+(?:readonly )?([a-zA-Z]+)[(:]/gm)].map((m) => m[1]);
  const members = Object.getOwnPropertyNames(RealtimeContext.prototype);
  assert.deepEqual(declared.sort(), members.sort());
});
