// Figure 6 in a page: one tab's context on the socket its user's tabs share, and when this tab
// saw the connection open again after the leader tab went away.
let ctx;
let left = false;
let reopenedAt = null;

/** Epoch ms with sub-ms precision: comparable with the runner's clock and the other tabs'. */
const now = () => performance.timeOrigin + performance.now();

/** Creates and connects this tab's context of user `bench` on `url`. */
export async function start(url) {
  const pkg = await import('/js/index.js');
  await pkg.default();
  ctx = new pkg.RealtimeContext({ url, userKey: 'bench', heartbeat: false });
  ctx.onState((state) => {
    if (state.status !== 'open') left = true;
    else if (left && reopenedAt === null) reopenedAt = now();
  });
  ctx.connect();
}

/** Forgets the last hand-over: the next time the connection leaves and opens again is recorded. */
export function arm() {
  left = false;
  reopenedAt = null;
}

/** This tab's role, its view of the tab count and status, and when it saw the connection back. */
export function view() {
  const { role, tabs } = ctx.stats();
  return { role, tabs, status: ctx.state.status, reopenedAt };
}
