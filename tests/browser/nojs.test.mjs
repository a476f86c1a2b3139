// Gate: with JavaScript off, every page still shows its main content: there is a
// <main> element, it is visible, and it has visible text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext } from './lib/browser.mjs';
import { serveSite, siteDir, pagesForBrowserGates, pool, report } from './lib/site.mjs';

let server, browser;
before(async () => {
  server = await serveSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('JS disabled: <main> is visible and has text on every page', { timeout: 600_000 }, async () => {
  const pages = await pagesForBrowserGates(siteDir(), 'no-JS');
  const ctx = await newContext(browser, { javaScriptEnabled: false });
  const problems = [];
  await pool(pages, 3, async (rel) => {
    const page = await ctx.newPage();
    try {
      await page.goto(server.pageUrl(rel), { waitUntil: 'load' });
      const main = page.locator('main');
      const n = await main.count();
      if (n !== 1) {
        problems.push(`${rel}: ${n} <main> elements (want exactly 1)`);
        if (n === 0) return;
      }
      if (!(await main.first().isVisible())) {
        problems.push(`${rel}: <main> is not visible without JavaScript`);
        return;
      }
      // innerText only counts rendered text (not display:none / visibility:hidden).
      const text = (await main.first().innerText()).replace(/\s+/g, ' ').trim();
      if (text.length < 2) problems.push(`${rel}: <main> has no visible text without JavaScript`);
    } catch (err) {
      problems.push(`${rel}: ${err.message.split('\n')[0]}`);
    } finally {
      await page.close();
    }
  });
  await ctx.close();
  console.log(`no-JS: ${pages.length} pages checked`);
  assert.equal(problems.length, 0, report('pages empty without JavaScript', problems));
});
