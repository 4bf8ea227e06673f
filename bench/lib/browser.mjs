// Headless Debian Chromium through playwright-core, and the CDP calls the figures need.
import { chromium } from 'playwright-core';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc',
];

export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
}

/** A fresh page (own context) at `url` with window.mod = the ES module at `module`, and a CDP session. */
export async function openPage(browser, url, module) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.evaluate(async (m) => { window.mod = await import(m); }, module);
  const cdp = await context.newCDPSession(page);
  return { page, cdp, errors, close: () => context.close() };
}

/** JS heap in use after two forced full GCs. */
export async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}
