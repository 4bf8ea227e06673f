// Figure 6: the hand-over when the leader tab closes. TABS pages of one browser context share
// one socket (userKey set, the default shareAcrossTabs); each round closes the leader's page and
// measures, from just before the close, when the server accepted the new leader's socket and
// when every remaining tab saw the connection open again (its onState), then opens a page to
// make TABS again.
import { WebSocketServer } from 'ws';
import { quantile } from './lib/stats.mjs';

const TABS = 4;
const ROUNDS = 50;
const clock = () => performance.timeOrigin + performance.now();

/** A server that only accepts sockets and notes when each one connected. */
function startServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const connectedAt = [];
  wss.on('connection', () => connectedAt.push(clock()));
  return new Promise((resolve) => wss.on('listening', () => resolve({
    url: `ws://127.0.0.1:${wss.address().port}`,
    connectedAt,
    open: () => [...wss.clients].filter((c) => c.readyState === c.OPEN).length,
    close: () => new Promise((done) => { for (const c of wss.clients) c.terminate(); wss.close(done); }),
  })));
}

/** Polls `cond` (async) every 5 ms for up to `ms`; throws `what` on timeout. */
async function until(cond, what, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function handover(browser, base) {
  const server = await startServer();
  const context = await browser.newContext();
  const errors = [];
  const call = (page, fn, ...args) => page.evaluate(([f, a]) => window.mod[f](...a), [fn, args]);
  async function openTab() {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/bench/page/index.html`);
    await page.evaluate(async () => { window.mod = await import('/bench/page/handover.js'); });
    await call(page, 'start', server.url);
    return page;
  }
  const views = (pages) => Promise.all(pages.map((p) => call(p, 'view')));
  /** Whether `pages` share one open socket of one leader; and, with `reopened`, all saw it open again. */
  const settled = async (pages, reopened = false) => {
    const v = await views(pages);
    return v.filter((x) => x.role === 'leader').length === 1 && server.open() === 1
      && v.every((x) => x.status === 'open' && x.tabs === pages.length && (!reopened || x.reopenedAt !== null));
  };
  try {
    const pages = [];
    for (let i = 0; i < TABS; i++) pages.push(await openTab());
    await until(() => settled(pages), `${TABS} tabs on one socket`);
    const toServer = [], toEveryTab = [];
    for (let r = 0; r < ROUNDS; r++) {
      const leaderAt = (await views(pages)).findIndex((v) => v.role === 'leader');
      const [leader] = pages.splice(leaderAt, 1);
      for (const page of pages) await call(page, 'arm');
      const sockets = server.connectedAt.length;
      const closedAt = clock();
      await leader.close();
      await until(() => settled(pages, true), `round ${r}: a new leader`);
      if (server.connectedAt.length !== sockets + 1) throw new Error(`round ${r}: ${server.connectedAt.length - sockets} sockets opened, not 1`);
      toServer.push(server.connectedAt[sockets] - closedAt);
      toEveryTab.push(Math.max(...(await views(pages)).map((v) => v.reopenedAt)) - closedAt);
      pages.push(await openTab());
      await until(() => settled(pages), `round ${r}: ${TABS} tabs again`);
    }
    if (errors.length) throw new Error(errors.join('; '));
    const row = (label, xs) => ({ label, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: Math.max(...xs), min: Math.min(...xs) });
    return { tabs: TABS, rounds: ROUNDS, rows: [row('the new leader\'s socket reaches the server', toServer), row('every remaining tab sees the connection open', toEveryTab)] };
  } finally {
    await context.close();
    await server.close();
  }
}
