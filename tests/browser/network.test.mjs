// Gate: loading a page makes no request to anything but 127.0.0.1 (data: is fine),
// and every request it makes succeeds (no 404 for a stylesheet, script, image or
// a fetch the page's own script makes).
//
// Cheap per page, so it visits more postcode pages than the other browser gates
// (AIDMAP_NETWORK_POSTCODE_SAMPLE, default 200). Off-site references in the HTML of
// EVERY page are also caught without a browser by links.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, visitPage } from './lib/browser.mjs';
import { serveSite, siteDir, listHtml, isPostcodePage, spread, pool, report } from './lib/site.mjs';

let server, browser;
before(async () => {
  server = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('no request leaves 127.0.0.1, and none fails', { timeout: 600_000 }, async () => {
  const all = await listHtml(siteDir());
  const pcN = Number(process.env.AIDMAP_NETWORK_POSTCODE_SAMPLE ?? 200);
  const pages = [...all.filter((p) => !isPostcodePage(p)), ...spread(all.filter(isPostcodePage), pcN)];
  // bypassCSP: measure what the page *tries* to load; the site's CSP blocking it
  // is csp.test.mjs's business and must not hide an off-site request here.
  const ctx = await newContext(browser, { bypassCSP: true });
  const offsite = [];
  const failed = [];
  await pool(pages, 3, async (rel) => {
    const page = await ctx.newPage();
    try {
      const v = await visitPage(page, server.pageUrl(rel));
      for (const u of v.offsite) offsite.push(`${rel}: ${u}`);
      const status = v.response?.status();
      if (rel !== '404.html' && status !== 200) failed.push(`${rel}: page itself answered HTTP ${status}`);
      for (const f of v.failed) {
        if (rel === '404.html' && f.startsWith(server.pageUrl(rel))) continue; // its own 404 status
        if (v.offsite.some((u) => f.startsWith(u))) continue; // reported as off-site
        failed.push(`${rel}: ${f}`);
      }
    } catch (err) {
      failed.push(`${rel}: ${err.message.split('\n')[0]}`);
    } finally {
      await page.close();
    }
  });
  await ctx.close();
  console.log(`network: ${pages.length} of ${all.length} pages loaded`);
  assert.equal(offsite.length, 0, report('requests to somewhere other than 127.0.0.1', offsite));
  assert.equal(failed.length, 0, report('failed requests', failed));
});
