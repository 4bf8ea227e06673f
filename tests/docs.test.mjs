// The README's tables and the TypeScript declarations wasm-bindgen generates
// (pkg/realtime_context.d.ts: the class from src/lib.rs, the types from src/types.d.ts) name the
// same things, so the README cannot drift from the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const DTS = 'pkg/realtime_context.d.ts';

/** The text of the README section that starts with `heading`, up to the next `## `. */
function section(heading) {
  const readme = read('README.md');
  const start = readme.indexOf(heading);
  assert.ok(start >= 0, `README has ${heading}`);
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

/** The first-column names of the markdown table in `text` (a leading backtick, then a name). */
const tableNames = (text, header) => [...text.matchAll(/^\| `([a-zA-Z]+)/gm)].map((m) => m[1]).filter((n) => n !== header);

/** The body of `export <kind> <name> { ... }` in the generated declarations, doc comments removed. */
function body(kind, name) {
  const dts = read(DTS);
  const start = dts.indexOf(`export ${kind} ${name} `);
  assert.ok(start >= 0, `${DTS} declares ${kind} ${name}`);
  return dts.slice(start, dts.indexOf('\n}', start)).replace(/\/\*[\s\S]*?\*\//g, '');
}

/** The member names a class or interface body declares, in order. */
const members = (text) =>
  [...text.matchAll(/^\s+(?:static |get |set |readonly )?([a-zA-Z_$][\w$]*)\??[(:]/gm)].map((m) => m[1]).filter((n) => n !== 'constructor');

test('the README API table lists exactly the members of RealtimeContext', () => {
  const declared = new Set(members(body('class', 'RealtimeContext')));
  const documented = new Set(tableNames(section('## API'), 'member'));
  assert.deepEqual([...documented].sort(), [...declared].sort());
});

test('the generated declarations list exactly the members of the generated class', async () => {
  const { RealtimeContext } = await import('../pkg/realtime_context.js');
  const declared = members(body('class', 'RealtimeContext'));
  const own = Object.getOwnPropertyNames(RealtimeContext.prototype).filter((n) => n !== 'constructor' && !n.startsWith('__'));
  assert.deepEqual([...declared].sort(), own.sort());
});

test('every member of RealtimeContext is typed with a declared type, never any', () => {
  const text = read(DTS);
  const declared = new Set([...text.matchAll(/^export (?:declare )?(?:interface|type|class|function) ([A-Za-z_]\w*)/gm)].map((m) => m[1]));
  const globals = new Set(['Promise', 'NotificationPermission', 'Symbol', 'Array', 'ReadonlyArray', 'Record', 'Function', 'Object']);
  const lines = body('class', 'RealtimeContext')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('[Symbol.'));
  const untyped = lines.filter((l) => /\bany\b/.test(l));
  assert.deepEqual(untyped, [], 'members with `any` (a JsValue without unchecked_param_type / unchecked_return_type)');
  const unknown = lines.flatMap((l) => [...l.replace(/'[^']*'/g, '').matchAll(/\b[A-Z]\w*/g)].map((m) => m[0]).filter((n) => !declared.has(n) && !globals.has(n)).map((n) => `${n} in ${l}`));
  assert.deepEqual(unknown, [], 'type names the declarations do not declare');
});

test('the README options table lists exactly the keys of RealtimeOptions', () => {
  const declared = members(body('interface', 'RealtimeOptions'));
  const documented = tableNames(section('## Options'), 'option');
  assert.deepEqual([...documented].sort(), [...declared].sort());
});

test('the package entry declares what it exports', async () => {
  // js/index.d.ts re-exports the generated declarations; js/index.js the generated module, with
  // its own default init.
  const entry = await import('../js/index.js');
  const pkg = await import('../pkg/realtime_context.js');
  assert.deepEqual(Object.keys(entry).sort(), Object.keys(pkg).sort());
  assert.notEqual(entry.default, pkg.default);
  assert.equal(entry.RealtimeContext, pkg.RealtimeContext);
  const dts = read('js/index.d.ts');
  assert.match(dts, /^export \* from '\.\.\/pkg\/realtime_context\.js';$/m);
  assert.match(dts, /^export default function init\(/m);
});
