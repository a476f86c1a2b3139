// Gate: the sub-path build works in a browser when served under its sub-path
// (e.g. http://127.0.0.1:PORT/sub/path/): every request a page makes (CSS, JS,
// images, the search index fetch) succeeds and stays under the sub-path. This
// catches what the static link crawl cannot: URLs built by the site's JavaScript.
// The server listens on the port written into the base URL at build time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, visitPage } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { subpathSite, pagesForBrowserGates, pool, report } from './lib/site.mjs';

const sub = subpathSite();
let server, browser, skipReason = sub ? null : 'AIDMAP_SUBPATH_SITE not set: no sub-path build';

before(async () => {
  if (skipReason) return;
  const u = new URL(sub.baseUrl);
  if (u.hostname !== '127.0.0.1') {
    skipReason = `sub-path base URL ${sub.baseUrl} is not on 127.0.0.1`;
    return;
  }
  try {
    server = await startServer({ root: sub.dir, prefix: sub.prefix, port: Number(u.port || 80) });
  } catch (err) {
    skipReason = `cannot listen on ${u.host}: ${err.code || err.message}`;
    return;
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('sub-path build: pages load with every request under the sub-path', { timeout: 600_000 }, async (t) => {
  if (skipReason) return t.skip(skipReason);
  const pages = await pagesForBrowserGates(sub.dir, 'sub-path');
  const ctx = await newContext(browser);
  const problems = [];
  await pool(pages, 3, async (rel) => {
    const page = await ctx.newPage();
    try {
      const v = await visitPage(page, server.pageUrl(rel));
      if (rel !== '404.html' && v.response?.status() !== 200) problems.push(`${rel}: HTTP ${v.response?.status()}`);
      for (const u of v.requests) {
        if (!/^https?:/.test(u)) continue;
        const p = new URL(u);
        if (p.origin !== server.origin) problems.push(`${rel}: request off the site: ${u}`);
        else if (!p.pathname.startsWith(sub.prefix)) problems.push(`${rel}: request outside ${sub.prefix}: ${p.pathname}`);
      }
      for (const f of v.failed) if (!(rel === '404.html' && f.startsWith(server.pageUrl(rel)))) problems.push(`${rel}: ${f}`);
    } catch (err) {
      problems.push(`${rel}: ${err.message.split('\n')[0]}`);
    } finally {
      await page.close();
    }
  });
  await ctx.close();
  console.log(`sub-path: ${pages.length} pages loaded under ${server.url}`);
  assert.equal(problems.length, 0, report('sub-path build problems', [...new Set(problems)]));
});
