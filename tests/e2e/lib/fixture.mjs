// Builds an app of tests/e2e/fixtures/ with the demo's Vite and React (development build, so
// that StrictMode really mounts twice) into a temporary directory, and serves it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStatic } from '../../support/browser.mjs';

const main = fileURLToPath(new URL('../../../', import.meta.url));
const modules = join(main, 'www', 'node_modules');

/** Builds and serves the fixture `name`: `{url, close()}`. */
export async function serveFixture(name = 'react-app') {
  const { build } = await import(pathToFileURL(join(modules, 'vite', 'dist', 'node', 'index.js')));
  const { default: react } = await import(pathToFileURL(join(modules, '@vitejs', 'plugin-react', 'dist', 'index.js')));
  const outDir = await mkdtemp(join(tmpdir(), 'realtime-react-fixture-'));
  await build({
    root: join(main, 'tests', 'e2e', 'fixtures', name),
    configFile: false,
    logLevel: 'warn',
    mode: 'development',
    define: { 'process.env.NODE_ENV': '"development"' },
    plugins: [react()],
    resolve: {
      alias: [
        { find: 'realtime-context/react', replacement: join(main, 'react', 'index.js') },
        { find: 'react-dom', replacement: join(modules, 'react-dom') },
        { find: 'react', replacement: join(modules, 'react') },
      ],
    },
    build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
  });
  const web = await startStatic(outDir);
  return {
    url: web.url,
    close: async () => {
      await web.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
