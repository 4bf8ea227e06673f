// Bundles the competitor clients for the pages (bench/tmp/competitors.js), as an app's bundler
// would: esbuild, browser platform, ES module. Not minified, so profiles name their functions.
import { mkdirSync } from 'node:fs';
import { build } from 'esbuild';

export const COMPETITORS = {
  'socket.io-client': "export { io } from 'socket.io-client';",
  centrifuge: "export { Centrifuge } from 'centrifuge';",
  phoenix: "export { Socket as PhoenixSocket } from 'phoenix';",
};

export async function bundleCompetitors(root) {
  mkdirSync(`${root}/bench/tmp`, { recursive: true });
  await build({
    stdin: { contents: Object.values(COMPETITORS).join('\n'), resolveDir: `${root}/bench`, loader: 'js' },
    bundle: true, format: 'esm', platform: 'browser', outfile: `${root}/bench/tmp/competitors.js`,
    define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent',
  });
}
