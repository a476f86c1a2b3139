// Launch Debian's Chromium through playwright-core. Never downloads a browser.
//
//   const browser = await launch();
//   const ctx = await newContext(browser, { viewport: { width: 320, height: 640 } });
//   const page = await ctx.newPage();
//   const visit = await visitPage(page, url);   // { response, requests, offsite, failed, csp, console }
//
// Every context made by newContext aborts any request that is not to 127.0.0.1
// (or data:/blob:), so nothing ever leaves the machine; the request is still
// recorded so the network gate can name it.

import { chromium } from 'playwright-core';
import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: run .ci/install-browser-deps (or set CHROMIUM_PATH)`);
  }
  // playwright-core makes a fresh, temporary --user-data-dir for each launch.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** True for URLs allowed to be requested: loopback 127.0.0.1 only, plus data:/blob:/about:. */
export function isLocalUrl(u) {
  let url;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'about:'].includes(url.protocol)) return true;
  return (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') && url.hostname === '127.0.0.1';
}

// Runs before any page script, whatever the page's CSP says (init scripts are
// injected by the browser, not loaded by the page), and records CSP violations.
const CSP_LISTENER = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
      sample: e.sample,
    });
  }, true);
`;

export async function newContext(browser, opts = {}) {
  const ctx = await browser.newContext({ serviceWorkers: 'block', ...opts });
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(20_000);
  await ctx.route('**/*', (route) => {
    if (isLocalUrl(route.request().url())) return route.continue();
    return route.abort('blockedbyclient');
  });
  if (opts.javaScriptEnabled !== false) await ctx.addInitScript(CSP_LISTENER);
  return ctx;
}

/**
 * Load url in page and collect what happened. Waits for the load event, then a
 * short settle for late requests (fetches a script makes after load).
 */
export async function visitPage(page, url, { settleMs = 150 } = {}) {
  const requests = [];
  const failed = [];
  const consoleMsgs = [];
  const onRequest = (r) => requests.push(r.url());
  const onFailed = (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`);
  const onResponse = (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
  };
  const onConsole = (m) => consoleMsgs.push(`${m.type()}: ${m.text()}`);
  const onPageError = (e) => consoleMsgs.push(`pageerror: ${e.message}`);
  page.on('request', onRequest);
  page.on('requestfailed', onFailed);
  page.on('response', onResponse);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  let response;
  try {
    response = await page.goto(url, { waitUntil: 'load' });
    if (settleMs) await page.waitForTimeout(settleMs);
  } finally {
    page.off('request', onRequest);
    page.off('requestfailed', onFailed);
    page.off('response', onResponse);
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
  }
  let csp = [];
  try {
    csp = (await page.evaluate(() => window.__cspViolations || [])) ?? [];
  } catch {
    // javaScriptEnabled: false -> evaluate is not possible; no listener anyway
  }
  const cspConsole = consoleMsgs.filter((m) => /Content Security Policy/i.test(m));
  return {
    response,
    requests,
    offsite: requests.filter((u) => !isLocalUrl(u)),
    failed,
    csp,
    cspConsole,
    console: consoleMsgs,
  };
}
