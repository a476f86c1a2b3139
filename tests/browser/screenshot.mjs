// Take a full-page screenshot of a local page with Debian's Chromium.
//
//   node tests/browser/screenshot.mjs URL_OR_FILE out.png [width]
//
// URL_OR_FILE: an http://127.0.0.1 or localhost URL, or a built site's folder or
// HTML file (served by lib/server.mjs from the site root: the nearest folder up
// that holds 404.html or _headers, else AIDMAP_SITE if the file is inside it,
// else the file's own folder). width: CSS px, default 1280 (320 = phone).
import fs from 'node:fs';
import path from 'node:path';
import { launch, newContext } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

const [target, out, widthArg] = process.argv.slice(2);
if (!target || !out) {
  console.error('usage: node tests/browser/screenshot.mjs URL_OR_FILE out.png [width]');
  process.exit(2);
}
const width = Number(widthArg || 1280);

function siteRootFor(p) {
  let d = fs.statSync(p).isDirectory() ? p : path.dirname(p);
  for (let cur = d; ; cur = path.dirname(cur)) {
    if (fs.existsSync(path.join(cur, '404.html')) || fs.existsSync(path.join(cur, '_headers'))) return cur;
    if (path.dirname(cur) === cur) break;
  }
  const env = process.env.AIDMAP_SITE && path.resolve(process.env.AIDMAP_SITE);
  if (env && (p === env || p.startsWith(env + path.sep))) return env;
  return d;
}

let server;
let url;
if (/^https?:\/\//.test(target)) {
  const host = new URL(target).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    console.error(`screenshot.mjs: only local pages (127.0.0.1/localhost), not ${host}`);
    process.exit(2);
  }
  url = target.replace('//localhost', '//127.0.0.1');
} else {
  const p = path.resolve(target);
  const root = siteRootFor(p);
  server = await startServer({ root });
  url = server.pageUrl(path.relative(root, fs.statSync(p).isDirectory() ? path.join(p, 'index.html') : p));
}

const browser = await launch();
try {
  const ctx = await newContext(browser, { viewport: { width, height: 800 } });
  const page = await ctx.newPage();
  const res = await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(200);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`${url} (HTTP ${res?.status()}) -> ${out} at ${width}px wide`);
} finally {
  await browser.close();
  await server?.close();
}
